namespace NtkSharp.Finite;

/// <summary>
/// Preallocated buffers of one thread's passes through a <see cref="FiniteGraph"/>: register values for up to
/// <see cref="ExampleCapacity"/> examples, register gradients for up to ExampleCapacity × RowsPerExampleCapacity rows,
/// and GEMM packing scratch. Reused across steps so that training allocates nothing in its loop.
/// </summary>
internal sealed class FiniteWorkspace
{
    private double[] _scratch = [];

    public FiniteWorkspace(FiniteGraph graph, int exampleCapacity, int rowsPerExampleCapacity = 1)
    {
        Graph = graph;
        ExampleCapacity = exampleCapacity;
        RowsPerExampleCapacity = rowsPerExampleCapacity;
        Values = new double[graph.Sizes.Length][];
        Gradients = new double[graph.Sizes.Length][];
        for (int r = 0; r < graph.Sizes.Length; r++)
        {
            Values[r] = new double[checked(exampleCapacity * graph.Sizes[r])];
            Gradients[r] = r == 0 ? [] : new double[checked(exampleCapacity * rowsPerExampleCapacity * graph.Sizes[r])];
        }
        GemmScratch = new double[Gemm.ScratchLength];
    }

    public FiniteGraph Graph { get; }

    public int ExampleCapacity { get; }

    public int RowsPerExampleCapacity { get; }

    /// <summary>Register values, row-major (example, per-example size).</summary>
    public double[][] Values { get; }

    /// <summary>Register gradients, row-major (row, per-example size); register 0 (the input) has none.</summary>
    public double[][] Gradients { get; }

    public double[] GemmScratch { get; }

    /// <summary>The key of the current forward pass's dropout masks (<see cref="DropoutMask.MemberKey"/>), or null for
    /// test mode, where Dropout is the identity. The backward pass reads the same key.</summary>
    public ulong? DropoutKey { get; set; }

    /// <summary>Whether a backward pass must produce the gradient of <paramref name="register"/> (not the input).</summary>
    public bool NeedsGradient(int register) => register != 0;

    /// <summary>The values of <paramref name="register"/> for <paramref name="examples"/> examples.</summary>
    public Span<double> Value(int register, int examples) => Values[register].AsSpan(0, examples * Graph.Sizes[register]);

    /// <summary>The gradient rows of <paramref name="register"/>.</summary>
    public Span<double> Gradient(int register, int rows) => Gradients[register].AsSpan(0, rows * Graph.Sizes[register]);

    private readonly double[][] _slots = [[], [], []];

    /// <summary>An extra scratch buffer (slot 0–2, distinct from <see cref="Scratch(int)"/> and from each other) of at
    /// least <paramref name="length"/> values, grown once, then reused (ops that need several buffers at once).</summary>
    public Span<double> Scratch(int slot, int length)
    {
        if (_slots[slot].Length < length) _slots[slot] = new double[length];
        return _slots[slot].AsSpan(0, length);
    }

    /// <summary>A scratch buffer of at least <paramref name="length"/> values (grown once, then reused).</summary>
    public Span<double> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new double[length];
        return _scratch.AsSpan(0, length);
    }
}
