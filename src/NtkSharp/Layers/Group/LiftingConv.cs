namespace NtkSharp.Layers;

/// <summary>
/// The lifting convolution of a group-convolutional network (Cohen &amp; Welling 2016): images (H, W, C) to signals on
/// G × ℤ² of shape (|G|, H, W, C_out), one spatially transformed copy of the filter per element of the point group.
/// </summary>
/// <remarks>
/// <para>z(g, p) = wStd/√(C·k²)·Σ_{d, c} ψ_g(d, c)·x(p + d, c) + bStd·b, ψ_g(d) = ψ(g⁻¹d), ψ, b ~ N(0, 1) (NTK
/// parameterisation; fan-in C·k²; one bias per output channel, shared over G and positions). Odd square filters and
/// stride 1 only; Same is zero padding of k//2, Circular periodic.</para>
/// <para>Infinite width (Misof, Kessel &amp; Gerken 2025, "Equivariant neural tangent kernels"): the covariance of
/// (g, p) and (g′, p′) depends on the group elements only through u = g′g⁻¹,
/// K′_u(p, p′) = wStd²/k²·Σ_d K(p + d, p′ + u·d) + bStd², Θ′ = wStd²·(same window of Θ) + K′ — |G| CNN-sized
/// tensors per pair of inputs rather than |G|².</para>
/// </remarks>
public sealed record LiftingConv : Layer
{
    /// <summary>Creates the layer; see <see cref="Stax.LiftingConv"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive channels or filter, an unknown group, padding or
    /// parameterisation, or a negative or non-finite standard deviation.</exception>
    public LiftingConv(int channels, PlanarGroup group, (int H, int W) filter, Padding padding = Padding.Same,
        double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
    {
        GroupShapes.CheckArguments("LiftingConv", channels, group, filter, padding, wStd, bStd, parameterization);
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

    /// <inheritdoc />
    public override string Name => "LiftingConv";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        GroupShapes.CheckFilter(Name, Filter, Padding, path);
        int[]? shape = null;
        if (b.Shape is { } s)
        {
            var (h, w, _) = GroupShapes.Image(s, Name, path);
            shape = [PlanarGroupTable.For(Group).Order, h, w, Channels];
        }
        return [new Branch(true, true, shape)];
    }

    internal override void EmitKernel(Kernels.KernelPlanBuilder plan, LayerNode node) => GroupEmit.Kernel(plan, node, Group, Filter.H, Padding,
        WStd, BStd, Parameterization, Filter.H * Filter.W, HasBias, Channels, lift: true);

    internal override void EmitFinite(Finite.FiniteGraphBuilder finite, LayerNode node) => GroupEmit.Lifting(this, finite, node);

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call(Name, [Channels],
        ("group", Group, Unprinted.Always), ("filter", Filter, Unprinted.Always), ("padding", Padding, Unprinted.Always),
        ("wStd", WStd, 1.0), ("bStd", BStd, 0.0), ("parameterization", Parameterization, Parameterization.Ntk));
}
