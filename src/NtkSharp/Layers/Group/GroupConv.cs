namespace NtkSharp.Layers;

/// <summary>
/// A group convolution on signals over G × ℤ² (Cohen &amp; Welling 2016): (|G|, H, W, C) to (|G|, H, W, C_out).
/// </summary>
/// <remarks>
/// <para>z(g, p) = wStd/√fanIn·Σ_{a, d, c} ψ_g(a, d, c)·f(a, p + d, c) + bStd·b with
/// ψ_g(a, d) = ψ(g⁻¹a, g⁻¹d): the spatial transform and the permutation of the group axis come from the same action.
/// <see cref="GroupSupport.Full"/>: ψ has a weight for every a ∈ G, fan-in C·|G|·k²; <see cref="GroupSupport.Identity"/>:
/// ψ(a, ·) = 0 for a ≠ e, so z(g, p) = Σ_d ψ(g⁻¹d)·f(g, p + d), fan-in C·k². One bias per output channel. NTK
/// parameterisation (default) or standard; odd square filters, stride 1, Same (zeros, k//2) or Circular padding.</para>
/// <para>Infinite width (Misof, Kessel &amp; Gerken 2025): on the output of a <see cref="LiftingConv"/> the covariance
/// depends only on u = g′g⁻¹, K_u(p, p′), and both supports give K′_u(p, p′) = wStd²/k²·Σ_d K_u(p + d, p′ + u·d) + bStd²
/// (with Full the sum over a adds |G| equal terms that the fan-in divides out); Θ′ = wStd²·(same window of Θ) + K′ in
/// the NTK parameterisation. In the standard parameterisation Θ′ = fanIn·A(K) + wStd²·A(Θ) + [bias], so there the
/// supports differ by the fan-in.</para>
/// </remarks>
public sealed record GroupConv : GroupConvolutionLayer
{
    /// <summary>Creates the layer; see <see cref="Stax.GroupConv"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive channels or filter, an unknown group, padding,
    /// support or parameterisation, or a negative or non-finite standard deviation.</exception>
    public GroupConv(int channels, PlanarGroup group, (int H, int W) filter, Padding padding = Padding.Same,
        double wStd = 1.0, double bStd = 0.0, GroupSupport support = GroupSupport.Full,
        Parameterization parameterization = Parameterization.Ntk)
        : base("GroupConv", channels, group, filter, padding, wStd, bStd, parameterization)
    {
        if (!Enum.IsDefined(support)) throw new ArgumentOutOfRangeException(nameof(support), support, "Unknown group support.");
        Support = support;
    }

    /// <summary>Where the filter lives on the group axis.</summary>
    public GroupSupport Support { get; }

    /// <inheritdoc />
    public override string Name => "GroupConv";

    internal override bool Lifts => false;

    internal override GroupSupport FilterSupport => Support;

    internal override int[] OutputShape(int[] input, string path)
    {
        var (g, h, w, _) = GroupShapes.Signal(input, Group, Name, path);
        return [g, h, w, Channels];
    }

    /// <inheritdoc />
    public override string ToString() => CallText(("support", Support, GroupSupport.Full));
}
