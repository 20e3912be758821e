using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>
/// A 2-D convolution with shared weights on NHWC images (N, H, W, C), or a 1-D convolution on signals (N, L, C)
/// through a filter (k, 1) (neural-tangents' <c>stax.Conv</c>).
/// </summary>
/// <remarks>
/// <para>NTK parameterisation: z(p) = wStd/√(C·h·w)·Σ_{d, c} W_{d, c}·x(p·s + d, c) + bStd·b, W, b ~ N(0, 1), with
/// fan-in C·h·w. At infinite width the covariance of positions p and p' becomes
/// K'(p, p') = wStd²/(h·w)·Σ_d K(p·s + d, p'·s + d) + bStd² and Θ' = wStd²·A(Θ) + K', where A is the same
/// normalised window sum (Novak et al. 2019, "Bayesian deep convolutional networks with many channels are Gaussian
/// processes"; Arora et al. 2019, "On exact computation with an infinitely wide neural net").</para>
/// <para>Standard parameterisation: K' as above, Θ' = C·h·w·A(K) + wStd²·A(Θ) + [bias]·1 (as neural-tangents).</para>
/// <para>Padding is exactly neural-tangents' (see <see cref="Layers.Padding"/>): out-of-image terms of Same padding are
/// zero but the sum is still divided by h·w; Circular wraps around.</para>
/// </remarks>
public sealed record Conv : Layer
{
    /// <summary>Creates the layer; see <see cref="Stax.Conv"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive channels, filter or strides, an unknown padding or
    /// parameterisation, or a negative or non-finite standard deviation.</exception>
    public Conv(int channels, (int H, int W) filter, (int H, int W)? strides = null, Padding padding = Padding.Valid,
        double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Conv channels must be positive.");
        SpatialShape.CheckPositive(filter, nameof(filter));
        var s = strides ?? (1, 1);
        SpatialShape.CheckPositive(s, nameof(strides));
        if (!Enum.IsDefined(padding)) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding.");
        LayerChecks.Std(wStd, nameof(wStd));
        LayerChecks.Std(bStd, nameof(bStd));
        if (!Enum.IsDefined(parameterization)) throw new ArgumentOutOfRangeException(nameof(parameterization));
        Channels = channels;
        Filter = filter;
        Strides = s;
        Padding = padding;
        WStd = wStd;
        BStd = bStd;
        Parameterization = parameterization;
    }

    /// <summary>Output channels (irrelevant to the NTK-parameterised kernels).</summary>
    public int Channels { get; }

    /// <summary>The filter's spatial size (h, w); (k, 1) for 1-D signals.</summary>
    public (int H, int W) Filter { get; }

    /// <summary>The strides (s_h, s_w).</summary>
    public (int H, int W) Strides { get; }

    /// <summary>The border treatment.</summary>
    public Padding Padding { get; }

    /// <summary>Weight standard deviation σ_w.</summary>
    public double WStd { get; }

    /// <summary>Bias standard deviation σ_b (0: no bias).</summary>
    public double BStd { get; }

    /// <summary>The weight scaling convention.</summary>
    public Parameterization Parameterization { get; }

    /// <summary>Whether the layer has a bias (σ_b &gt; 0).</summary>
    public bool HasBias => BStd > 0.0;

    /// <inheritdoc />
    public override string Name => "Conv";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = b.Shape is { } s ? SpatialShape.Window(s, Filter, Strides, Padding, Channels, Name, path) : null;
        return [new Branch(true, true, shape)];
    }

    /// <summary>The normalised window sum of the input covariances over the filter taps, then the affine map.</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var x = plan.Input(node);
        var ah = new AxisWindow(x.H, Filter.H, Strides.H, Padding);
        var aw = new AxisWindow(x.W, Filter.W, Strides.W, Padding);
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.Conv, Reg = x.Reg, InH = x.H, InW = x.W, OutH = ah.OutLength, OutW = aw.OutLength,
            AxisH = ah, AxisW = aw, Scale = 1.0 / (Filter.H * Filter.W), ThetaZero = x.ThetaZero,
            W2 = WStd * WStd, B2 = BStd * BStd, Standard = Parameterization == Parameterization.Standard,
            FanIn = x.C * Filter.H * Filter.W, BiasNtk = HasBias ? 1.0 : 0.0,
        });
        plan.Bind(node.Output, new PlanSignal(x.Reg, ah.OutLength, aw.OutLength, Channels, true));
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var shape = finite.Shape(input);
        var (h, w, c) = SpatialShape.Spatial(shape, Name, node.Path);
        int output = finite.AddRegister(SpatialShape.Window(shape, Filter, Strides, Padding, Channels, Name, node.Path));
        int count = checked(Filter.H * Filter.W * c * Channels + (HasBias ? Channels : 0));
        finite.Add(new ConvOp(node.Path, input, output, finite.AllocateParameters(count), h, w, c, this));
        finite.Bind(node.Output, output);
    }

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Conv", [Channels],
        ("filter", Filter, Unprinted.Always), ("strides", Strides, (1, 1)), ("padding", Padding, Padding.Valid),
        ("wStd", WStd, 1.0), ("bStd", BStd, 0.0), ("parameterization", Parameterization, Parameterization.Ntk));
}

/// <summary>A default that no value equals, for named arguments that are always printed.</summary>
internal sealed class Unprinted
{
    public static readonly Unprinted Always = new();
}
