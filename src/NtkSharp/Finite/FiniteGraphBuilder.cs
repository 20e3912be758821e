using NtkSharp.Layers;

namespace NtkSharp.Finite;

/// <summary>
/// Collects the registers, ops and parameter layout while the layers of a validated <see cref="LayerGraph"/> emit
/// themselves into a finite network (<c>Layer.EmitFinite</c>). Register 0 is the network input.
/// </summary>
internal sealed class FiniteGraphBuilder
{
    private readonly List<int[]> _shapes = [];
    private readonly List<FiniteOp> _ops = [];
    private readonly Dictionary<int, int> _registers = [];

    /// <summary>Starts a graph whose input examples have shape <paramref name="inputShape"/>.</summary>
    public FiniteGraphBuilder(int[] inputShape)
    {
        _shapes.Add((int[])inputShape.Clone());
        _registers[0] = 0;
    }

    /// <summary>Parameters allocated so far (the offset of the next op's parameters).</summary>
    public int ParameterCount { get; private set; }

    /// <summary>The per-example shape of a register.</summary>
    public int[] Shape(int register) => _shapes[register];

    /// <summary>The register holding a signal of the <see cref="LayerGraph"/> (the input signal: register 0).</summary>
    public int Register(Branch signal) => _registers[signal.Id];

    /// <summary>The register of <paramref name="node"/>'s single input.</summary>
    public int Input(LayerNode node) => Register(node.Input);

    /// <summary>Binds a signal of the <see cref="LayerGraph"/> to the register that holds it.</summary>
    public void Bind(Branch signal, int register) => _registers[signal.Id] = register;

    /// <summary>Adds a register for per-example shape <paramref name="shape"/>.</summary>
    public int AddRegister(int[] shape)
    {
        foreach (int s in shape)
        {
            if (s <= 0) throw new InvalidOperationException($"Register shape ({string.Join(", ", shape)}) has a non-positive axis.");
        }
        _shapes.Add((int[])shape.Clone());
        return _shapes.Count - 1;
    }

    /// <summary>Reserves <paramref name="count"/> parameters and returns their offset.</summary>
    public int AllocateParameters(int count)
    {
        int offset = ParameterCount;
        ParameterCount = checked(ParameterCount + count);
        return offset;
    }

    /// <summary>Appends an op (ops run in the order added).</summary>
    public void Add(FiniteOp op) => _ops.Add(op);

    /// <summary>Freezes the graph with <paramref name="output"/> as the network output register.</summary>
    public FiniteGraph Build(int output) => new([.. _ops], [.. _shapes], output, ParameterCount);
}

/// <summary>A compiled finite network: ops in execution order over registers of known per-example shape.</summary>
internal sealed class FiniteGraph
{
    public FiniteGraph(FiniteOp[] ops, int[][] shapes, int output, int parameterCount)
    {
        Ops = ops;
        Shapes = shapes;
        Sizes = shapes.Select(s => s.Aggregate(1, (a, b) => checked(a * b))).ToArray();
        Output = output;
        ParameterCount = parameterCount;
    }

    public FiniteOp[] Ops { get; }

    public int[][] Shapes { get; }

    /// <summary>Values per example of each register.</summary>
    public int[] Sizes { get; }

    /// <summary>The output register (0 when the network is the identity).</summary>
    public int Output { get; }

    public int ParameterCount { get; }

    public int InputSize => Sizes[0];

    public int OutputSize => Sizes[Output];

    /// <summary>Forward pass over <paramref name="examples"/> examples already in register 0.</summary>
    public void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        foreach (var op in Ops) op.Forward(parameters, ws, examples);
    }

    /// <summary>Backward pass from the output gradient rows already in the output register's gradient.</summary>
    public void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample, Span<double> parameterGradient)
    {
        for (int i = Ops.Length - 1; i >= 0; i--) Ops[i].Backward(parameters, ws, examples, rowsPerExample, parameterGradient);
    }
}
