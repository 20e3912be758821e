namespace NtkSharp.Layers;

/// <summary>The identity map (K' = K, Θ' = Θ): the skip branch of a residual block.</summary>
public sealed record Identity : Layer
{
    /// <inheritdoc />
    public override string Name => "Identity";

    internal override Branch[] Compose(Branch[] inputs, string path) => [Single(inputs, path)];

    /// <summary>A pass-through: the output is the input signal itself (no node in a <see cref="LayerGraph"/>).</summary>
    internal override Branch[] Apply(Branch[] inputs, string path, LayerGraph? graph) => Compose(inputs, path);

    /// <inheritdoc />
    public override string ToString() => "Identity()";
}
