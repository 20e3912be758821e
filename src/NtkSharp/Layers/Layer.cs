namespace NtkSharp.Layers;

/// <summary>
/// One immutable building block of an architecture, composed like neural-tangents' <c>stax</c> through
/// <see cref="Stax"/>. The same object defines the infinite-width kernel transform (NNGP and NTK) and the
/// finite-width network.
/// </summary>
/// <remarks>
/// <para><see cref="ToString"/> prints the architecture in the C#-call syntax that <c>Layer.Parse</c> reads back,
/// e.g. <c>Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1))</c>.</para>
/// <para>Kernel recursion (Lee et al. 2018, Jacot et al. 2018, Novak et al. 2020 "Neural Tangents"):
/// each layer maps the pair (K, Θ) of NNGP and NTK kernels of its inputs to that of its outputs.</para>
/// </remarks>
public abstract partial record Layer
{
    /// <summary>
    /// Propagates composition facts through the layer and throws <see cref="ArchitectureException"/> (naming
    /// <paramref name="path"/>) where the composition is invalid.
    /// </summary>
    internal abstract Branch[] Compose(Branch[] inputs, string path);

    /// <summary>
    /// Validates the layer on <paramref name="inputs"/> (<see cref="Compose"/>) and, when <paramref name="graph"/> is
    /// given, records it as a node of the graph. Layers that only route signals (<see cref="Serial"/>,
    /// <see cref="ParallelLayer"/>, <see cref="Identity"/>) override this to record their children instead of themselves.
    /// </summary>
    internal virtual Branch[] Apply(Branch[] inputs, string path, LayerGraph? graph)
    {
        var outs = Compose(inputs, path);
        return graph is null ? outs : graph.Record(this, path, inputs, outs);
    }

    /// <summary>
    /// Checks that this layer, used as a whole network on raw inputs of the given per-example shape
    /// (or without shapes when <paramref name="inputShape"/> is null), is valid, and returns its output shape.
    /// </summary>
    /// <exception cref="ArchitectureException">The composition is invalid; the message names the layer's index.</exception>
    public int[]? ValidateNetwork(int[]? inputShape = null) => LayerGraph.Build(this, inputShape).Output.Shape;

    /// <summary>The per-example output shape for a per-example input shape (e.g. [d] → [width]).</summary>
    /// <exception cref="ArchitectureException">The input shape does not fit a layer.</exception>
    public int[] OutputShape(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return ValidateNetwork(inputShape)!;
    }

    /// <summary>Checks that exactly one branch enters a single-input layer and returns it.</summary>
    internal Branch Single(Branch[] inputs, string path)
    {
        if (inputs.Length != 1)
            throw new ArchitectureException($"{Name} takes one input but {inputs.Length} branches reach it; join them with FanInSum() or apply it inside Parallel(...).", path);
        return inputs[0];
    }

    /// <summary>The layer's name as written in architecture text (e.g. "Dense").</summary>
    public abstract string Name { get; }

    /// <summary>The layer in C#-call syntax, readable by <c>Layer.Parse</c>.</summary>
    public abstract override string ToString();

    internal static string Child(string path, int index) => $"{path}[{index}]";
}
