using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Tests.TestSupport.MonteCarloAgreement;

namespace NtkSharp.Tests.Convolutions;

/// <summary>
/// The infinite-width kernels of CNNs against Monte Carlo over finite CNNs (256 channels, 128 samples, fixed seeds):
/// |MC − exact| ≤ 4·SE + 3% of the kernel's scale (the finite-width bias is O(1/channels)). A wrong window
/// normalisation, padding offset or stride changes entries by far more.
/// </summary>
public class ConvMonteCarloTests
{
    [Fact]
    public void Estimate_SamePaddingFlattenReadout_MatchesKernel()
    {
        var net = Stax.Serial(Stax.Conv(256, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Flatten(), Stax.Dense(16, bStd: 0.1));
        AssertAgrees(net, ConvTestData.Images(31, 3, 4, 4, 2), 1);
    }

    [Fact]
    public void Estimate_ValidRectangularStridedFilters_MatchKernel()
    {
        var net = Stax.Serial(Stax.Conv(256, (3, 2), strides: (2, 1), wStd: 1.4, bStd: 0.2), Stax.Relu(),
            Stax.Conv(16, (1, 2), wStd: 1.2), Stax.Flatten(), Stax.Dense(8));
        AssertAgrees(net, ConvTestData.Images(32, 3, 5, 4, 2), 2);
    }

    [Fact]
    public void Estimate_CircularPaddingAvgPoolGlobalAvgPool_MatchKernel()
    {
        var net = Stax.Serial(Stax.Conv(256, (3, 3), padding: Padding.Circular, wStd: 1.5), Stax.Relu(),
            Stax.AvgPool((2, 2), strides: (2, 2)), Stax.Conv(16, (2, 2), padding: Padding.Circular, bStd: 0.3), Stax.GlobalAvgPool(), Stax.Dense(16));
        AssertAgrees(net, ConvTestData.Images(33, 3, 4, 4, 2), 3);
    }

    [Fact]
    public void Estimate_SumPoolSamePaddingGlobalSumPoolStandardParameterization_MatchKernel()
    {
        var net = Stax.Serial(Stax.Conv(256, (2, 3), padding: Padding.Same, wStd: 1.3, bStd: 0.1, parameterization: Parameterization.Standard), Stax.Erf(),
            Stax.SumPool((2, 2), padding: Padding.Same), Stax.GlobalSumPool(), Stax.Dense(16, wStd: 0.5, parameterization: Parameterization.Standard));
        AssertAgrees(net, ConvTestData.Images(34, 3, 4, 3, 1), 4);
    }

    [Fact]
    public void Estimate_OneDimensionalSignals_MatchKernel()
    {
        var net = Stax.Serial(Stax.Conv(256, (3, 1), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.Conv(16, (2, 1), strides: (2, 1)), Stax.GlobalAvgPool(), Stax.Dense(16));
        AssertAgrees(net, ConvTestData.Images(35, 3, 6, 2), 5);
    }
}
