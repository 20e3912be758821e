namespace NtkSharp.Layers;

/// <summary>Average or sum pooling over windows of the spatial axes (neural-tangents' <c>stax.AvgPool</c>,
/// <c>stax.SumPool</c>).</summary>
/// <remarks>
/// <para>Pooling is linear, so K'(p, p') = c²·Σ_{d, d'} K(p·s + d, p'·s + d') and Θ' likewise, with c = 1/(h·w) for
/// average and 1 for sum pooling. Same padding adds zeros and still divides by h·w (neural-tangents'
/// <c>normalize_edges=False</c>); Circular wraps around. Strides default to (1, 1) as in neural-tangents.</para>
/// <para>Pooling needs the covariances between different positions, so a network with pooling is computed in the full
/// spatial layout (O(P²) per pair of inputs).</para>
/// </remarks>
public abstract record PoolingLayer : Layer
{
    private protected PoolingLayer((int H, int W) window, (int H, int W)? strides, Padding padding)
    {
        SpatialShape.CheckPositive(window, nameof(window));
        var s = strides ?? (1, 1);
        SpatialShape.CheckPositive(s, nameof(strides));
        if (!Enum.IsDefined(padding)) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding.");
        Window = window;
        Strides = s;
        Padding = padding;
    }

    /// <summary>The window's spatial size (h, w); (k, 1) for 1-D signals.</summary>
    public (int H, int W) Window { get; }

    /// <summary>The strides (s_h, s_w).</summary>
    public (int H, int W) Strides { get; }

    /// <summary>The border treatment.</summary>
    public Padding Padding { get; }

    /// <summary>True for average pooling (divide by h·w), false for sum pooling.</summary>
    public abstract bool IsAverage { get; }

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = b.Shape is { } s ? SpatialShape.Window(s, Window, Strides, Padding, s[^1], Name, path) : null;
        return [b with { Shape = shape }];
    }

    internal override int[] EmitFinite(Finite.FiniteGraphBuilder builder, int[] inputs, string path) => ConvFinite.Pool(this, builder, inputs, path);

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call(Name, [],
        ("window", Window, Unprinted.Always), ("strides", Strides, (1, 1)), ("padding", Padding, Padding.Valid));
}

/// <summary>Average pooling; see <see cref="PoolingLayer"/>.</summary>
public sealed record AvgPool : PoolingLayer
{
    /// <summary>Creates the layer; see <see cref="Stax.AvgPool"/>.</summary>
    public AvgPool((int H, int W) window, (int H, int W)? strides = null, Padding padding = Padding.Valid)
        : base(window, strides, padding)
    {
    }

    /// <inheritdoc />
    public override bool IsAverage => true;

    /// <inheritdoc />
    public override string Name => "AvgPool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}

/// <summary>Sum pooling; see <see cref="PoolingLayer"/>.</summary>
public sealed record SumPool : PoolingLayer
{
    /// <summary>Creates the layer; see <see cref="Stax.SumPool"/>.</summary>
    public SumPool((int H, int W) window, (int H, int W)? strides = null, Padding padding = Padding.Valid)
        : base(window, strides, padding)
    {
    }

    /// <inheritdoc />
    public override bool IsAverage => false;

    /// <inheritdoc />
    public override string Name => "SumPool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}
