namespace NtkSharp.Layers;

/// <summary>Pools over all spatial positions and removes the spatial axes: (H, W, C) or (L, C) → (C)
/// (neural-tangents' <c>stax.GlobalAvgPool</c>, <c>stax.GlobalSumPool</c>).</summary>
/// <remarks>K' = c²·Σ_{p, p'} K(p, p'), Θ' likewise, with c = 1/P for average and 1 for sum pooling. The readout needs
/// every spatial covariance: such a network is computed in the full spatial layout (O(P²) per pair of inputs).</remarks>
public abstract record GlobalPoolingLayer : Layer
{
    /// <summary>True for average pooling (divide by P), false for sum pooling.</summary>
    public abstract bool IsAverage { get; }

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = null;
        if (b.Shape is { } s)
        {
            // A signal on G × ℤ² (|G|, H, W, C) pools over the whole domain, group axis included.
            shape = s.Length == 4 ? [GroupShapes.Signal(s, null, Name, path).C] : [SpatialShape.Spatial(s, Name, path).C];
        }
        return [b with { Shape = shape }];
    }

    internal override int[] EmitFinite(Finite.FiniteGraphBuilder builder, int[] inputs, string path) => ConvFinite.GlobalPool(this, builder, inputs, path);

    /// <inheritdoc />
    public override string ToString() => $"{Name}()";
}

/// <summary>Global average pooling; see <see cref="GlobalPoolingLayer"/>.</summary>
public sealed record GlobalAvgPool : GlobalPoolingLayer
{
    /// <inheritdoc />
    public override bool IsAverage => true;

    /// <inheritdoc />
    public override string Name => "GlobalAvgPool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}

/// <summary>Global sum pooling; see <see cref="GlobalPoolingLayer"/>.</summary>
public sealed record GlobalSumPool : GlobalPoolingLayer
{
    /// <inheritdoc />
    public override bool IsAverage => false;

    /// <inheritdoc />
    public override string Name => "GlobalSumPool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}
