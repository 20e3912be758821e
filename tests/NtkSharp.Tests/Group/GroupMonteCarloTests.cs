using NtkSharp.Layers;
using NtkSharp.Tests.Convolutions;
using Xunit;
using static NtkSharp.Tests.TestSupport.MonteCarloAgreement;

namespace NtkSharp.Tests.Group;

/// <summary>
/// The infinite-width kernels of group-convolutional networks against Monte Carlo over finite GCNNs built from the same
/// layer objects (256 channels in the wide layer, 128 samples, fixed seeds): |MC − exact| ≤ 4·SE + 3% of the kernel's
/// scale. The finite networks expand the filter over the group explicitly (ψ_g(a, d) = ψ(g⁻¹a, g⁻¹d)), an independent
/// route from the engine's g′g⁻¹-stationary blocks; a wrong fan-in, tap rotation or group permutation changes entries by
/// far more.
/// </summary>
public class GroupMonteCarloTests
{
    [Theory]
    [InlineData(PlanarGroup.P4, Padding.Same)]
    [InlineData(PlanarGroup.P4, Padding.Circular)]
    [InlineData(PlanarGroup.P4M, Padding.Same)]
    [InlineData(PlanarGroup.P4M, Padding.Circular)]
    public void Estimate_LiftingGroupConvFullGroupPoolGlobalAvgPool_MatchesKernel(PlanarGroup g, Padding padding)
    {
        var net = Stax.Serial(Stax.LiftingConv(256, g, (3, 3), padding, wStd: 1.5, bStd: 0.1), Stax.Relu(),
            Stax.GroupConv(4, g, (3, 3), padding, wStd: 1.2, bStd: 0.2), Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(4));
        AssertAgrees(net, ConvTestData.Images(51 + (int)g, 3, 3, 3, 2), 10 + (int)g + 2 * (int)padding, samples: 100);
    }

    [Theory]
    [InlineData(PlanarGroup.P4, Padding.Same)]
    [InlineData(PlanarGroup.P4, Padding.Circular)]
    [InlineData(PlanarGroup.P4M, Padding.Same)]
    [InlineData(PlanarGroup.P4M, Padding.Circular)]
    public void Estimate_GroupConvIdentitySupportStandardParameterization_MatchesKernel(PlanarGroup g, Padding padding)
    {
        var net = Stax.Serial(Stax.LiftingConv(256, g, (3, 3), padding, wStd: 1.3, parameterization: Parameterization.Standard), Stax.Erf(),
            Stax.GroupConv(4, g, (3, 3), padding, wStd: 1.1, bStd: 0.3, support: GroupSupport.Identity, parameterization: Parameterization.Standard),
            Stax.GroupPool(), Stax.GlobalSumPool(), Stax.Dense(4, wStd: 0.5, parameterization: Parameterization.Standard));
        AssertAgrees(net, ConvTestData.Images(61 + (int)g, 3, 3, 4, 1), 20 + (int)g + 2 * (int)padding);
    }

    [Theory]
    [InlineData(PlanarGroup.P4, GroupSupport.Full)]
    [InlineData(PlanarGroup.P4M, GroupSupport.Identity)]
    public void Estimate_GroupSignalGlobalAvgPoolAndFlattenReadouts_MatchKernel(PlanarGroup g, GroupSupport support)
    {
        // GlobalAvgPool directly on a group signal pools over G × ℤ²; Flatten reads (g, p, c) with fan-in |G|·H·W·C.
        var pooled = Stax.Serial(Stax.LiftingConv(256, g, (3, 3), Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.Dense(4, bStd: 0.2), Stax.GlobalAvgPool(), Stax.Dense(4));
        AssertAgrees(pooled, ConvTestData.Images(71, 3, 3, 3, 2), 31);
        var flat = Stax.Serial(Stax.LiftingConv(256, g, (3, 3), Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.GroupConv(4, g, (3, 3), Padding.Same, support: support), Stax.Flatten(), Stax.Dense(4));
        AssertAgrees(flat, ConvTestData.Images(72, 3, 3, 3, 2), 32);
    }
}
