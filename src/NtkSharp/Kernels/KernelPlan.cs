using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>A signal of a <see cref="KernelPlan"/>: the register holding its (K, Θ), its spatial size and channels.</summary>
/// <param name="Reg">The register.</param>
/// <param name="H">Spatial height (1 for vectors and after a readout).</param>
/// <param name="W">Spatial width (1 for vectors and after a readout).</param>
/// <param name="C">Channels (features of a vector).</param>
/// <param name="Spatial">The signal still has positions (an image or a signal before its readout).</param>
/// <param name="ThetaZero">Θ is identically zero (no affine layer yet): linear maps of Θ may be skipped.</param>
/// <param name="Blocks">|G| for a signal on G × ℤ² (one covariance block per u = g′g⁻¹, see <see cref="LiftingConv"/>),
/// else 1.</param>
internal readonly record struct PlanSignal(int Reg, int H, int W, double C, bool Spatial, bool ThetaZero = false, int Blocks = 1);

/// <summary>
/// A network compiled, for one input shape, into one register program over the per-pair kernels (K, Θ) — the layout
/// algebra of neural-tangents' <c>stax</c> (Novak et al. 2020) — shared by every kernel engine: the CPU runs it as the
/// fused FC program (<see cref="FcProgram"/>, when every step is per entry) or through the spatial interpreter
/// (<see cref="SpatialProgram"/>), the GPU engine through the same two forms on the device. Built from the validated
/// <see cref="LayerGraph"/> by each layer emitting its own steps (<see cref="Layer.EmitKernel"/>).
/// </summary>
internal sealed class KernelPlan
{
    private KernelPlan(Layer network, int h, int w, int c, bool vectorInput, SpatialInstruction[] steps, int registers,
        int slotTotal, LayerNode? positionCovariances, PlanSignal output)
    {
        Network = network;
        InH = h;
        InW = w;
        InC = c;
        VectorInput = vectorInput;
        Steps = steps;
        Registers = registers;
        SlotTotal = slotTotal;
        PositionCovariances = positionCovariances;
        Output = output;
        PerEntry = vectorInput && steps.All(s => s.Op is SpatialOpCode.Affine or SpatialOpCode.Activation or SpatialOpCode.Copy or SpatialOpCode.Add
            or SpatialOpCode.Dropout);
    }

    /// <summary>The architecture.</summary>
    public Layer Network { get; }

    /// <summary>Input height (1 for vectors).</summary>
    public int InH { get; }

    /// <summary>Input width (1 for vectors and 1-D signals).</summary>
    public int InW { get; }

    /// <summary>Input channels (the features of a vector).</summary>
    public int InC { get; }

    /// <summary>The inputs are vectors (N, d), seen as 1×1 images with d channels.</summary>
    public bool VectorInput { get; }

    /// <summary>The steps in execution order.</summary>
    public SpatialInstruction[] Steps { get; }

    /// <summary>Registers the steps use (register 0 holds the input and, at the end, the output).</summary>
    public int Registers { get; }

    /// <summary>Doubles of pre-activation variances recorded per example (Σ over nonlinearities of the positions they see).</summary>
    public int SlotTotal { get; }

    /// <summary>The first layer that needs the covariances between different positions (pooling), or null.</summary>
    public LayerNode? PositionCovariances { get; }

    /// <summary>The output signal.</summary>
    public PlanSignal Output { get; }

    /// <summary>Every step acts on each Gram entry alone (vectors; Dense, nonlinearities, FanOut, FanInSum, Dropout): the plan
    /// runs as the fused FC program.</summary>
    public bool PerEntry { get; }

    /// <summary>Validates <paramref name="network"/> for examples of <paramref name="exampleShape"/> — (d), (L, C) or
    /// (H, W, C) — and compiles it.</summary>
    /// <exception cref="ArchitectureException">The architecture is invalid or cannot take the shape.</exception>
    /// <exception cref="NotSupportedException">Inputs of another rank.</exception>
    public static KernelPlan Compile(Layer network, int[] exampleShape) => Compile(LayerGraph.Build(network, exampleShape), network, exampleShape);

    /// <summary>Compiles an already validated graph of <paramref name="network"/>.</summary>
    /// <exception cref="NotSupportedException">Inputs of another rank than 1, 2 or 3.</exception>
    public static KernelPlan Compile(LayerGraph graph, Layer network, int[] exampleShape)
    {
        var (h, w, c, spatial) = exampleShape.Length switch
        {
            3 => (exampleShape[0], exampleShape[1], exampleShape[2], true),
            2 => (exampleShape[0], 1, exampleShape[1], true),
            1 => (1, 1, exampleShape[0], false),
            _ => throw new NotSupportedException(
                $"The kernel engines take vectors (N, d), signals (N, L, C) or images (N, H, W, C); got examples of shape ({string.Join(", ", exampleShape)})."),
        };
        var builder = new KernelPlanBuilder(graph.Input, new PlanSignal(0, h, w, c, spatial, true));
        foreach (var node in graph.Nodes) node.Layer.EmitKernel(builder, node);
        var output = builder.Signal(graph.Output);
        if (output.Reg != 0) throw new InvalidOperationException("A validated network must end in register 0.");
        return new KernelPlan(network, h, w, c, !spatial, [.. builder.Steps], builder.Registers, builder.SlotTotal,
            builder.PositionCovariances, output);
    }
}

/// <summary>
/// What a layer emits its kernel steps into (<see cref="Layer.EmitKernel"/>): the signals of the graph mapped to
/// registers, the steps, the registers and variance slots in use, and what the layers declare they need.
/// </summary>
internal sealed class KernelPlanBuilder
{
    private readonly Dictionary<int, PlanSignal> _signals = [];

    public KernelPlanBuilder(Branch input, PlanSignal signal) => _signals[input.Id] = signal;

    /// <summary>The steps so far.</summary>
    public List<SpatialInstruction> Steps { get; } = [];

    /// <summary>Registers in use.</summary>
    public int Registers { get; private set; } = 1;

    /// <summary>Variance slots per example reserved so far.</summary>
    public int SlotTotal { get; private set; }

    /// <summary>The first layer that declared it needs covariances between positions.</summary>
    public LayerNode? PositionCovariances { get; private set; }

    /// <summary>The plan signal of a graph signal.</summary>
    public PlanSignal Signal(Branch branch) => _signals[branch.Id];

    /// <summary>The plan signal of <paramref name="node"/>'s single input.</summary>
    public PlanSignal Input(LayerNode node) => Signal(node.Input);

    /// <summary>Binds a graph signal to a plan signal.</summary>
    public void Bind(Branch branch, PlanSignal signal) => _signals[branch.Id] = signal;

    /// <summary>Appends a step of <paramref name="node"/>'s layer (labelled with it; an activation step gets its
    /// registry family).</summary>
    public void Add(LayerNode node, SpatialInstruction step)
    {
        // Steps that act block by block on a group signal (entrywise maps, pooling windows, the global sum) run over
        // all of its blocks; layers that know nothing of groups leave the blocks to this.
        bool blockwise = step.Op is SpatialOpCode.Affine or SpatialOpCode.Activation or SpatialOpCode.Copy or SpatialOpCode.Add
            or SpatialOpCode.Pool or SpatialOpCode.GlobalPool;
        int blocks = blockwise && node.Inputs.Length > 0 ? Signal(node.Input).Blocks : 1;
        Steps.Add(step with
        {
            Layer = node.Who,
            Family = step.Op == SpatialOpCode.Activation ? ActivationRegistry.Family(step.Activation) : null,
            InBlocks = blockwise ? blocks : step.InBlocks,
            OutBlocks = !blockwise ? step.OutBlocks : step.Op == SpatialOpCode.GlobalPool ? 1 : blocks,
        });
    }

    /// <summary>A fresh register.</summary>
    public int NewRegister() => Registers++;

    /// <summary>Reserves <paramref name="count"/> variance slots per example and returns the first.</summary>
    public int ReserveSlots(int count)
    {
        int offset = SlotTotal;
        SlotTotal += count;
        return offset;
    }

    /// <summary>Declares that <paramref name="node"/> needs the covariances between different positions (the full
    /// spatial layout).</summary>
    public void NeedPositionCovariances(LayerNode node) => PositionCovariances ??= node;
}
