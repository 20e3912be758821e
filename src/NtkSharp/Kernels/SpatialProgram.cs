using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>
/// A convolutional architecture compiled, for one input shape, into a register program over the per-pair spatial
/// covariance tensors (K, Θ) (the layout algebra of neural-tangents' <c>stax</c>, Novak et al. 2020). The layout is
/// decided here: <see cref="SpatialLayout.Full"/> when the network pools, <see cref="SpatialLayout.Diagonal"/> otherwise.
/// </summary>
internal sealed partial class SpatialProgram
{
    private SpatialProgram(SpatialLayout layout, int h, int w, int c, SpatialInstruction[] code, int registers, int slotTotal, int maxSize)
    {
        Layout = layout;
        InH = h;
        InW = w;
        InC = c;
        Code = code;
        Registers = registers;
        SlotTotal = slotTotal;
        MaxSize = maxSize;
        foreach (var ins in code)
        {
            if (ins.Family is { } f) Limits.Add(ins.SlotOffset, ins.InH * ins.InW, ins.Activation, f, ins.Layer);
            if (ins.Op == SpatialOpCode.LayerNorm) Limits.AddScales(ins.SlotOffset, ins.InH * ins.InW, ins.Epsilon, ins.Layer);
        }
        NeedsMeans = code.Any(i => i.Op == SpatialOpCode.LayerNorm);
        MaxPositions = code.Select(i => Math.Max(i.InH * i.InW, i.OutH * i.OutW)).DefaultIfEmpty(0).Max();
        MaxPositions = Math.Max(MaxPositions, h * w);
    }

    /// <summary>A LayerNorm step reads the per-position feature means: the self pass tracks them (one value per position
    /// and register, <see cref="SpatialWorkspace.M"/>); nothing is tracked without one.</summary>
    public bool NeedsMeans { get; }

    /// <summary>The most positions any register has.</summary>
    public int MaxPositions { get; }

    public SpatialLayout Layout { get; }

    public int InH { get; }

    public int InW { get; }

    public int InC { get; }

    public SpatialInstruction[] Code { get; }

    public int Registers { get; }

    /// <summary>Doubles of diagonal variances recorded per example (Σ over nonlinearities of the positions they see).</summary>
    public int SlotTotal { get; }

    /// <summary>The activations that can diverge, by record offset (checked against the self pass's variances).</summary>
    public VarianceLimits Limits { get; } = new();

    /// <summary>The largest tensor (doubles) any register or temporary holds.</summary>
    public int MaxSize { get; }

    /// <summary>Doubles of one block of the largest group convolution (its window's intermediate pass), 0 without one.</summary>
    public int GroupScratch => Code.Where(i => i.Op is SpatialOpCode.Lift or SpatialOpCode.GroupConv).Select(i => Size(i.OutH, i.OutW)).DefaultIfEmpty(0).Max();

    /// <summary>Doubles of one tensor of spatial size (h, w) in this program's layout.</summary>
    public int Size(int h, int w) => Layout == SpatialLayout.Full ? h * w * h * w : h * w;

    /// <summary>Validates and compiles <paramref name="network"/> for examples of shape (H, W, C) or (L, C).</summary>
    /// <param name="network">The architecture.</param>
    /// <param name="exampleShape">The per-example input shape.</param>
    /// <param name="layout">Force a layout (tests); null picks the cheapest exact one.</param>
    /// <exception cref="ArchitectureException">The network ends with a spatial signal, or a forced diagonal layout
    /// meets a pooling layer.</exception>
    /// <exception cref="NotSupportedException">Inputs of another rank.</exception>
    public static SpatialProgram Compile(Layer network, int[] exampleShape, SpatialLayout? layout = null)
    {
        if (exampleShape.Length is not (2 or 3))
            throw new NotSupportedException(
                $"The spatial kernel engine takes images (N, H, W, C) or signals (N, L, C); got examples of shape ({string.Join(", ", exampleShape)}).");
        return From(KernelPlan.Compile(network, exampleShape), layout);
    }

    /// <summary>The spatial form of <paramref name="plan"/>: <see cref="SpatialLayout.Full"/> when a layer declared it
    /// needs covariances between positions, <see cref="SpatialLayout.Diagonal"/> otherwise (or <paramref name="layout"/>).</summary>
    /// <exception cref="ArchitectureException">The network ends with a spatial signal, or a forced diagonal layout
    /// meets a layer that needs the full one.</exception>
    public static SpatialProgram From(KernelPlan plan, SpatialLayout? layout = null)
    {
        var chosen = layout ?? (plan.PositionCovariances is null ? SpatialLayout.Diagonal : SpatialLayout.Full);
        if (chosen != SpatialLayout.Full && plan.PositionCovariances is { } pool)
            throw new ArchitectureException(
                $"{pool.Layer.Name} needs the covariances between different positions, which the diagonal spatial layout does not keep; use the full layout.",
                pool.Path);
        var o = plan.Output;
        if (o.Spatial)
            throw new ArchitectureException(
                $"the network's output is still spatial ({o.H}×{o.W}×{o.C} per example), so its kernel is not a number per pair of inputs; end it with Flatten() or GlobalAvgPool() and a Dense readout.",
                "");
        long Size(int h, int w) => chosen == SpatialLayout.Full ? (long)h * w * h * w : (long)h * w;
        var steps = chosen == SpatialLayout.Full ? plan.Steps : CollapseGroups(plan.Steps);
        long max = Size(plan.InH, plan.InW);
        foreach (var ins in steps)
            max = Math.Max(max, Math.Max(Size(ins.InH, ins.InW) * ins.InBlocks, Size(ins.OutH, ins.OutW) * ins.OutBlocks));
        if (max > Array.MaxLength)
        {
            string why = chosen == SpatialLayout.Full
                ? $"its pooling needs the covariances between every pair of the {(long)plan.InH * plan.InW} positions, (H·W)² = {max} entries per tensor"
                : $"one tensor has {max} entries";
            throw new ArgumentException(
                $"x1 examples of shape ({plan.InH}, {plan.InW}, {plan.InC}) are too large for this network's kernel: {why}, " +
                $"{8.0 * max:G3} bytes per tensor and more than one array can hold ({Array.MaxLength} entries). " +
                "Use smaller (downsampled or cropped) inputs, or a network without pooling layers.", "x1");
        }
        return new SpatialProgram(chosen, plan.InH, plan.InW, plan.InC, steps, plan.Registers, plan.SlotTotal, (int)max);
    }
}
