namespace NtkSharp.Layers;

/// <summary>
/// What <see cref="LiftingConv"/> and <see cref="GroupConv"/> share: the settings of a convolution whose output is a
/// signal on G × ℤ² of shape (|G|, H, W, C_out), their validation, composition and infinite-width emission.
/// </summary>
public abstract record GroupConvolutionLayer : Layer
{
    private protected GroupConvolutionLayer(string name, int channels, PlanarGroup group, (int H, int W) filter,
        Padding padding, double wStd, double bStd, Parameterization parameterization)
    {
        GroupShapes.CheckArguments(name, channels, group, filter, padding, wStd, bStd, parameterization);
        Channels = channels;
        Group = group;
        Filter = filter;
        Padding = padding;
        WStd = wStd;
        BStd = bStd;
        Parameterization = parameterization;
    }

    /// <summary>Output channels per group element.</summary>
    public int Channels { get; }

    /// <summary>The planar group.</summary>
    public PlanarGroup Group { get; }

    /// <summary>The filter's spatial size (k, k), k odd.</summary>
    public (int H, int W) Filter { get; }

    /// <summary>Same (zeros) or Circular (periodic).</summary>
    public Padding Padding { get; }

    /// <summary>Weight standard deviation σ_w.</summary>
    public double WStd { get; }

    /// <summary>Bias standard deviation σ_b (0: no bias).</summary>
    public double BStd { get; }

    /// <summary>The weight scaling convention.</summary>
    public Parameterization Parameterization { get; }

    /// <summary>Whether the layer has a bias (σ_b &gt; 0).</summary>
    public bool HasBias => BStd > 0.0;

    /// <summary>True for the lifting convolution (input an image), false for the group convolution (input a group
    /// signal).</summary>
    internal abstract bool Lifts { get; }

    /// <summary>Where the filter lives on the group axis of the input (<see cref="GroupSupport.Identity"/> when lifting
    /// an image, which has no group axis).</summary>
    internal abstract GroupSupport FilterSupport { get; }

    /// <summary>The per-example output shape (|G|, H, W, C_out) for the input shape <paramref name="input"/>; throws
    /// <see cref="ArchitectureException"/> naming <paramref name="path"/> where the input does not fit.</summary>
    internal abstract int[] OutputShape(int[] input, string path);

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        GroupShapes.CheckFilter(Name, Filter, Padding, path);
        int[]? shape = b.Shape is { } s ? OutputShape(s, path) : null;
        return [new Branch(true, true, shape)];
    }

    internal override void EmitKernel(Kernels.KernelPlanBuilder plan, LayerNode node) => GroupEmit.Kernel(plan, node, Group, Filter.H, Padding,
        WStd, BStd, Parameterization, Filter.H * Filter.W * (FilterSupport == GroupSupport.Full ? PlanarGroupTable.For(Group).Order : 1),
        HasBias, Channels, lift: Lifts);

    internal override void EmitFinite(Finite.FiniteGraphBuilder finite, LayerNode node) => GroupEmit.Convolution(this, finite, node);

    /// <summary>The layer in architecture text, with <paramref name="extra"/> named arguments before the
    /// parameterisation.</summary>
    private protected string CallText(params (string Name, object Value, object Default)[] extra) => ArchitectureText.Call(Name, [Channels],
        [("group", Group, Unprinted.Always), ("filter", Filter, Unprinted.Always), ("padding", Padding, Unprinted.Always),
            ("wStd", WStd, 1.0), ("bStd", BStd, 0.0), .. extra, ("parameterization", Parameterization, Parameterization.Ntk)]);
}
