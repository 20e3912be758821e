using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

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

    /// <summary>The window sum over both positions of each pair (needs the covariances between positions), times c²
    /// with c = 1/(window size) for the average.</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        plan.NeedPositionCovariances(node);
        var x = plan.Input(node);
        var ah = new AxisWindow(x.H, Window.H, Strides.H, Padding);
        var aw = new AxisWindow(x.W, Window.W, Strides.W, Padding);
        double c = IsAverage ? 1.0 / (Window.H * Window.W) : 1.0;
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.Pool, Reg = x.Reg, InH = x.H, InW = x.W, OutH = ah.OutLength, OutW = aw.OutLength,
            AxisH = ah, AxisW = aw, Scale = c * c, ThetaZero = x.ThetaZero,
        });
        plan.Bind(node.Output, x with { H = ah.OutLength, W = aw.OutLength });
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var shape = finite.Shape(input);
        var (h, w, c) = SpatialShape.Spatial(shape, Name, node.Path);
        int output = finite.AddRegister(SpatialShape.Window(shape, Window, Strides, Padding, c, Name, node.Path));
        finite.Add(new PoolOp(node.Path, input, output, h, w, c, this));
        finite.Bind(node.Output, output);
    }

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
