namespace NtkSharp.Layers;

/// <summary>The identity map (K' = K, Θ' = Θ): the skip branch of a residual block.</summary>
public sealed record Identity : Layer
{
    /// <inheritdoc />
    public override string Name => "Identity";

    internal override Branch[] Compose(Branch[] inputs, string path) => [Single(inputs, path)];

    /// <inheritdoc />
    public override string ToString() => "Identity()";
}
