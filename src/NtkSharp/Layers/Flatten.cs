namespace NtkSharp.Layers;

/// <summary>Flattens all non-batch axes: (H, W, C) → (H·W·C) (neural-tangents' <c>stax.Flatten</c>).</summary>
/// <remarks>
/// <para>The kernel is the mean of the spatial diagonal, K' = (1/P)·Σ_p K(p, p) (Θ' likewise): the covariance seen by
/// a Dense layer that reads all P·C flattened features with fan-in P·C (Novak et al. 2019). Only the diagonal is needed,
/// so a network whose spatial signals all end in Flatten (no pooling) is computed in the diagonal spatial layout,
/// O(P) per pair of inputs.</para>
/// <para>As in neural-tangents the output is not marked Gaussian: the flattened features have position-dependent
/// variances, so the mean kernel is not the covariance of each feature and a nonlinearity must not follow directly;
/// put a Dense layer first.</para>
/// </remarks>
public sealed record Flatten : Layer
{
    /// <inheritdoc />
    public override string Name => "Flatten";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = null;
        if (b.Shape is { } s)
        {
            long size = 1;
            foreach (int a in s) size *= a;
            if (size > int.MaxValue) throw new ArchitectureException($"Flatten would give {size} features, more than {int.MaxValue}.", path);
            shape = [(int)size];
        }
        return [b with { Gaussian = false, Shape = shape }];
    }

    internal override int[] EmitFinite(Finite.FiniteGraphBuilder builder, int[] inputs, string path) => ConvFinite.Flatten(this, builder, inputs, path);

    /// <inheritdoc />
    public override string ToString() => "Flatten()";
}
