using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite;

/// <summary>
/// The finite-width network of an architecture: the same <see cref="Layer"/> object that defines the infinite-width
/// kernels, instantiated with the declared widths for examples of a fixed shape (neural-tangents'
/// <c>init_fn</c>/<c>apply_fn</c>). Forward passes, hand-written backpropagation, per-example Jacobians and the
/// empirical NNGP and NTK.
/// </summary>
/// <remarks>
/// <para>Conventions exactly as neural-tangents (Novak et al. 2020): Dense acts on the last (channel) axis at every
/// position; NTK parameterisation z = σ_w/√fanIn·W·x + σ_b·b with W, b ~ N(0, 1); standard parameterisation
/// z = W·x + b with W ~ N(0, σ_w²/fanIn), b ~ N(0, σ_b²); a bias exists iff σ_b &gt; 0.</para>
/// <para>Empirical kernels (neural-tangents' <c>empirical_nngp_fn</c>/<c>empirical_ntk_fn</c> with the output axes
/// traced and divided by their size): K̂(x, x') = f(x)·f(x')/K and
/// Θ̂(x, x') = (1/K)·Σ_k ∂f_k(x)/∂θ·∂f_k(x')/∂θ for K output values per example. As the widths grow, K̂ averaged
/// over initialisations and Θ̂ itself converge to the kernels of <see cref="KernelFunction"/> (Lee et al. 2018,
/// Jacot et al. 2018).</para>
/// <para>Instances are immutable and thread-safe; <see cref="Parameters"/> are separate objects.</para>
/// </remarks>
public sealed class FiniteNetwork
{
    private FiniteNetwork(Layer network, int[] inputShape, FiniteGraph graph)
    {
        Network = network;
        InputShape = inputShape;
        Graph = graph;
        ParameterBlocks = graph.Ops.SelectMany(o => o.ParameterBlocks).ToArray();
    }

    /// <summary>The architecture.</summary>
    public Layer Network { get; }

    /// <summary>The per-example input shape (e.g. [d], [L, C] or [H, W, C]).</summary>
    public int[] InputShape { get; }

    /// <summary>The per-example output shape.</summary>
    public int[] OutputShape => (int[])Graph.Shapes[Graph.Output].Clone();

    /// <summary>Output values per example (K: the product of <see cref="OutputShape"/>).</summary>
    public int OutputSize => Graph.OutputSize;

    /// <summary>Number of trainable parameters.</summary>
    public int ParameterCount => Graph.ParameterCount;

    /// <summary>The layout of the flat parameter vector.</summary>
    public IReadOnlyList<ParameterBlock> ParameterBlocks { get; }

    internal FiniteGraph Graph { get; }

    /// <summary>Builds the finite network of <paramref name="network"/> for examples of shape <paramref name="inputShape"/>.</summary>
    /// <exception cref="ArchitectureException">The architecture is invalid or cannot take the input shape.</exception>
    /// <exception cref="NotSupportedException">A layer has no finite-width network.</exception>
    /// <exception cref="ArgumentException">The parameters or a layer's activations exceed 2^31 − 1 values.</exception>
    public static FiniteNetwork Create(Layer network, params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(s => s <= 0))
            throw new ArgumentException($"The input shape ({string.Join(", ", inputShape)}) needs at least one axis, all positive.", nameof(inputShape));
        var graph = LayerGraph.Build(network, inputShape);
        try
        {
            var builder = new FiniteGraphBuilder(inputShape);
            foreach (var node in graph.Nodes) node.Layer.EmitFinite(builder, node);
            return new FiniteNetwork(network, (int[])inputShape.Clone(), builder.Build(builder.Register(graph.Output)));
        }
        catch (OverflowException)
        {
            throw new ArgumentException(
                $"network is too large for inputs of shape ({string.Join(", ", inputShape)}): its parameter count or a layer's activations per example exceed 2147483647 (a layer's width × fan-in, or width × positions); use smaller widths or channels.",
                nameof(network));
        }
    }

    /// <summary>Draws initial parameters from stream <paramref name="stream"/> of <paramref name="seed"/>
    /// (<see cref="GaussianSampler"/>; layers in order, W before b).</summary>
    public Parameters Init(long seed, long stream = 0)
    {
        var p = new double[ParameterCount];
        InitInto(p, seed, stream);
        return new Parameters(p);
    }

    internal void InitInto(Span<double> parameters, long seed, long stream)
    {
        var rng = new GaussianSampler(unchecked((ulong)seed), unchecked((ulong)stream));
        foreach (var op in Graph.Ops)
        {
            if (op.ParameterCount > 0) op.Initialize(parameters.Slice(op.ParameterOffset, op.ParameterCount), ref rng);
        }
    }

    /// <summary>The outputs f(x) as an N × K matrix (K = <see cref="OutputSize"/>, the output shape flattened row-major).</summary>
    /// <remarks><paramref name="dropoutKey"/>: train-mode dropout, the key of this pass's <see cref="Dropout"/> masks (the
    /// same key gives the same masks, one per example and unit); null (default): test mode, Dropout is the identity.</remarks>
    /// <exception cref="ArgumentException">Wrong parameter count, wrong example shape or non-finite inputs.</exception>
    public Matrix<double> Apply(Parameters parameters, Tensor x, long? dropoutKey = null)
    {
        Check(parameters, x, nameof(x));
        var ws = new FiniteWorkspace(Graph, x.Count) { DropoutKey = MaskKey(dropoutKey) };
        var f = Forward(parameters.Values, ws, x.Data, x.Count);
        return ToMatrix(f, x.Count, OutputSize);
    }

    /// <summary>
    /// The gradient of the scalar Σ_{n,k} c_{nk}·f_k(xₙ) with respect to the parameters, by backpropagation, where
    /// c = <paramref name="outputCotangent"/> (N × K; e.g. ∂L/∂f of a loss L).
    /// </summary>
    /// <remarks><paramref name="dropoutKey"/>: train-mode dropout, the key of the pass's <see cref="Dropout"/> masks (the
    /// same key gives the same masks, one per example and unit); null (default): test mode, Dropout is the identity.</remarks>
    public Parameters Gradient(Parameters parameters, Tensor x, Matrix<double> outputCotangent, long? dropoutKey = null)
    {
        Check(parameters, x, nameof(x));
        ArgumentNullException.ThrowIfNull(outputCotangent);
        if (outputCotangent.RowCount != x.Count || outputCotangent.ColumnCount != OutputSize)
            throw new ArgumentException($"outputCotangent must be {x.Count}×{OutputSize}, not {outputCotangent.RowCount}×{outputCotangent.ColumnCount}.", nameof(outputCotangent));
        var ws = new FiniteWorkspace(Graph, x.Count) { DropoutKey = MaskKey(dropoutKey) };
        Forward(parameters.Values, ws, x.Data, x.Count);
        var g = ws.Gradient(Graph.Output, x.Count);
        for (int n = 0; n < x.Count; n++)
        {
            for (int k = 0; k < OutputSize; k++) g[n * OutputSize + k] = outputCotangent[n, k];
        }
        var grad = new double[ParameterCount];
        Graph.Backward(parameters.Values, ws, x.Count, 1, grad);
        return new Parameters(grad);
    }

    /// <summary>
    /// The mean-squared loss L = ½·mean((f(x) − y)²) over all N·K targets (the normalisation of the gradient-descent
    /// predictor, n = Y.size) and its parameter gradient ∂L/∂θ = (1/n)·Σ (f − y)·∂f/∂θ.
    /// </summary>
    /// <remarks><paramref name="dropoutKey"/>: train-mode dropout, the key of the pass's <see cref="Dropout"/> masks (the
    /// same key gives the same masks, one per example and unit); null (default): test mode, Dropout is the identity.</remarks>
    public double MseLoss(Parameters parameters, Tensor x, Matrix<double> y, out Parameters gradient, long? dropoutKey = null)
    {
        Check(parameters, x, nameof(x));
        ArgumentNullException.ThrowIfNull(y);
        if (y.RowCount != x.Count || y.ColumnCount != OutputSize)
            throw new ArgumentException($"y must be {x.Count}×{OutputSize}, not {y.RowCount}×{y.ColumnCount}.", nameof(y));
        var ws = new FiniteWorkspace(Graph, x.Count) { DropoutKey = MaskKey(dropoutKey) };
        var f = Forward(parameters.Values, ws, x.Data, x.Count);
        var g = ws.Gradient(Graph.Output, x.Count);
        int n = x.Count * OutputSize;
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double r = f[i] - y[i / OutputSize, i % OutputSize];
            loss += r * r;
            g[i] = r / n;
        }
        var grad = new double[ParameterCount];
        Graph.Backward(parameters.Values, ws, x.Count, 1, grad);
        gradient = new Parameters(grad);
        return 0.5 * loss / n;
    }

    /// <summary>
    /// The Jacobian J (N·K × P): row n·K + k holds ∂f_k(xₙ)/∂θ, by one backpropagation per output unit.
    /// Memory N·K·P doubles; prefer <see cref="EmpiricalNtk"/> for the kernel.
    /// </summary>
    /// <remarks><paramref name="dropoutKey"/>: train-mode dropout, the key of the pass's <see cref="Dropout"/> masks (the
    /// same key gives the same masks, one per example and unit); null (default): test mode, Dropout is the identity.</remarks>
    public Matrix<double> Jacobian(Parameters parameters, Tensor x, long? dropoutKey = null)
    {
        Check(parameters, x, nameof(x));
        int n = x.Count, k = OutputSize, p = ParameterCount;
        var ws = new FiniteWorkspace(Graph, n, k) { DropoutKey = MaskKey(dropoutKey) };
        ForwardAndSeedOutputs(parameters.Values, ws, x.Data, n);
        var j = new double[checked((long)n * k * p)];
        foreach (var op in Graph.Ops)
        {
            if (op.ParameterCount > 0) op.RowGradients(parameters.Values, ws, n, k, j, p, op.ParameterOffset);
        }
        return Matrix<double>.Build.Dense(n * k, p, (r, c) => j[(long)r * p + c]);
    }

    /// <summary>The empirical NNGP K̂(x1ᵢ, x2ⱼ) = f(x1ᵢ)·f(x2ⱼ)/K (x2 = x1 when null).</summary>
    /// <remarks><paramref name="dropoutKey"/>: train-mode dropout, the key of the pass's <see cref="Dropout"/> masks (the
    /// same key gives the same masks, one per example and unit); null (default): test mode, Dropout is the identity.</remarks>
    public Matrix<double> EmpiricalNngp(Parameters parameters, Tensor x1, Tensor? x2 = null, long? dropoutKey = null)
        => EmpiricalKernels(parameters, x1, x2, KernelOutputs.Nngp, dropoutKey).Nngp!;

    /// <summary>The empirical NTK Θ̂(x1ᵢ, x2ⱼ) = (1/K)·Σ_k ∂f_k(x1ᵢ)/∂θ·∂f_k(x2ⱼ)/∂θ = (1/K)·Σ_k (J Jᵀ) (x2 = x1 when null).</summary>
    /// <remarks><paramref name="dropoutKey"/>: train-mode dropout, the key of the pass's <see cref="Dropout"/> masks (the
    /// same key gives the same masks, one per example and unit); null (default): test mode, Dropout is the identity.</remarks>
    public Matrix<double> EmpiricalNtk(Parameters parameters, Tensor x1, Tensor? x2 = null, long? dropoutKey = null)
        => EmpiricalKernels(parameters, x1, x2, KernelOutputs.Ntk, dropoutKey).Ntk!;

    /// <summary>The empirical NNGP and/or NTK between x1 and x2 (x1 when null); see the class remarks. x1 and x2 go
    /// through one forward pass (x2's examples after x1's), so their dropout masks are independent.</summary>
    /// <remarks><paramref name="dropoutKey"/>: train-mode dropout, the key of the pass's <see cref="Dropout"/> masks (the
    /// same key gives the same masks, one per example and unit); null (default): test mode, Dropout is the identity.</remarks>
    public EmpiricalKernelResult EmpiricalKernels(Parameters parameters, Tensor x1, Tensor? x2 = null, KernelOutputs outputs = KernelOutputs.Both,
        long? dropoutKey = null)
    {
        Check(parameters, x1, nameof(x1));
        if (x2 is not null) Check(parameters, x2, nameof(x2));
        if (outputs == 0 || (outputs & ~KernelOutputs.Both) != 0)
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Ask for Nngp, Ntk or both.");
        var stacked = Stack(x1, x2, out int n1, out int n2);
        int n = n1 + (x2 is null ? 0 : n2);
        bool wantNtk = (outputs & KernelOutputs.Ntk) != 0, wantNngp = (outputs & KernelOutputs.Nngp) != 0;
        var ws = new FiniteWorkspace(Graph, n, wantNtk ? OutputSize : 1) { DropoutKey = MaskKey(dropoutKey) };
        var nngp = wantNngp ? new double[n * n] : null;
        var ntk = wantNtk ? new double[n * n] : null;
        EmpiricalKernelsInto(parameters.Values, ws, stacked, n, nngp, ntk);
        int off2 = x2 is null ? 0 : n1;
        Matrix<double>? Block(double[]? full) => full is null ? null : Matrix<double>.Build.Dense(n1, n2, (i, j) => full[i * n + off2 + j]);
        return new EmpiricalKernelResult(Block(nngp), Block(ntk));
    }

    /// <summary>Full n×n empirical kernels of the examples in <paramref name="x"/> (row-major, overwritten).</summary>
    internal void EmpiricalKernelsInto(ReadOnlySpan<double> parameters, FiniteWorkspace ws, ReadOnlySpan<double> x, int n,
        Span<double> nngp, Span<double> ntk)
    {
        int k = OutputSize;
        if (!ntk.IsEmpty)
        {
            ForwardAndSeedOutputs(parameters, ws, x, n);
            ntk.Clear();
            foreach (var op in Graph.Ops) op.AddNtk(parameters, ws, n, k, ntk);
            double inv = 1.0 / k;
            for (int i = 0; i < ntk.Length; i++) ntk[i] *= inv;
        }
        else
        {
            Forward(parameters, ws, x, n);
        }
        if (!nngp.IsEmpty)
        {
            var f = ws.Value(Graph.Output, n);
            for (int a = 0; a < n; a++)
            {
                for (int b = a; b < n; b++)
                {
                    double v = LinearAlgebra.GramMatrix.Dot(f.Slice(a * k, k), f.Slice(b * k, k)) / k;
                    nngp[a * n + b] = v;
                    nngp[b * n + a] = v;
                }
            }
        }
    }

    /// <summary>Copies x into the input register and runs the forward pass; returns the output values.</summary>
    internal Span<double> Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, ReadOnlySpan<double> x, int n)
    {
        x[..(n * Graph.InputSize)].CopyTo(ws.Value(0, n));
        Graph.Forward(parameters, ws, n);
        return ws.Value(Graph.Output, n);
    }

    /// <summary>Forward pass, then a backward pass of K one-hot cotangent rows per example (row n·K + k = e_k).</summary>
    private void ForwardAndSeedOutputs(ReadOnlySpan<double> parameters, FiniteWorkspace ws, ReadOnlySpan<double> x, int n)
    {
        Forward(parameters, ws, x, n);
        if (Graph.Output == 0) return;
        int k = OutputSize;
        var g = ws.Gradient(Graph.Output, n * k);
        g.Clear();
        for (int r = 0; r < n * k; r++) g[r * k + r % k] = 1.0;
        Graph.Backward(parameters, ws, n, k, []);
    }

    /// <summary>The workspace key of a public call's dropout key (null: test mode).</summary>
    private static ulong? MaskKey(long? dropoutKey)
        => dropoutKey is { } key ? DropoutMask.MemberKey(DropoutMask.CallKey(key, 0, DropoutMask.CallPhase), 0) : null;

    private double[] Stack(Tensor x1, Tensor? x2, out int n1, out int n2)
    {
        n1 = x1.Count;
        n2 = x2?.Count ?? n1;
        if (x2 is null) return x1.Data;
        var s = new double[x1.Data.Length + x2.Data.Length];
        x1.Data.CopyTo(s, 0);
        x2.Data.CopyTo(s, x1.Data.Length);
        return s;
    }

    private void Check(Parameters parameters, Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(x, name);
        if (parameters.Count != ParameterCount)
            throw new ArgumentException($"The network has {ParameterCount} parameters but {parameters.Count} were given.", nameof(parameters));
        if (!x.ExampleShape.SequenceEqual(InputShape))
            throw new ArgumentException($"{name} examples have shape ({string.Join(", ", x.ExampleShape)}) but the network takes ({string.Join(", ", InputShape)}).", name);
        x.EnsureFinite(name);
    }

    internal static Matrix<double> ToMatrix(ReadOnlySpan<double> values, int rows, int columns)
    {
        var m = Matrix<double>.Build.Dense(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++) m[i, j] = values[i * columns + j];
        }
        return m;
    }
}
