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
public sealed record LiftingConv : GroupConvolutionLayer
{
    /// <summary>Creates the layer; see <see cref="Stax.LiftingConv"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive channels or filter, an unknown group, padding or
    /// parameterisation, or a negative or non-finite standard deviation.</exception>
    public LiftingConv(int channels, PlanarGroup group, (int H, int W) filter, Padding padding = Padding.Same,
        double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
        : base("LiftingConv", channels, group, filter, padding, wStd, bStd, parameterization)
    {
    }

    /// <inheritdoc />
    public override string Name => "LiftingConv";

    internal override bool Lifts => true;

    internal override GroupSupport FilterSupport => GroupSupport.Identity;

    internal override int[] OutputShape(int[] input, string path)
    {
        var (h, w, _) = GroupShapes.Image(input, Name, path);
        return [PlanarGroupTable.For(Group).Order, h, w, Channels];
    }

    /// <inheritdoc />
    public override string ToString() => CallText();
}
