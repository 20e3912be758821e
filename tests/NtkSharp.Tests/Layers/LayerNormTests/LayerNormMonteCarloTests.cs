using NtkSharp.Layers;
using static NtkSharp.Tests.TestSupport.MonteCarloAgreement;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Layers.LayerNormTests;

/// <summary>
/// The analytic NNGP and NTK of networks with LayerNorm against Monte Carlo over wide finite networks built from the same
/// layers (width 1024 or 256 channels, 128 initialisations; 4 standard errors + 3% of the scale,
/// <c>MonteCarloAgreement</c>). The NTK agreement checks the limit Θ′ = Θ/(s₁s₂): the finite op back-propagates
/// the exact normalisation Jacobian, whose mean and scale terms vanish only at infinite width.
/// </summary>
public class LayerNormMonteCarloTests
{
    private const int Width = 1024;

    private static readonly double[,] X =
    {
        { 1.0, -0.5, 0.8 },
        { -0.3, 1.2, 0.4 },
        { 0.9, 0.7, -1.1 },
        { 1.0, -0.4, 0.9 },
    };

    private static readonly Dictionary<string, Layer> Networks = new()
    {
        ["AfterDenseAndAfterRelu"] = Serial(Dense(Width, wStd: 1.2, bStd: 0.1), LayerNorm(), Dense(Width, wStd: 1.1), Relu(), LayerNorm(),
            Dense(1, bStd: 0.1)),
        ["AfterErfWithOffsetStandard"] = Serial(Dense(Width, wStd: 1.2, bStd: 0.2, parameterization: Parameterization.Standard),
            Erf(0.8, 1.5, 0.3), LayerNorm(), Dense(1, parameterization: Parameterization.Standard)),
        ["AfterExpThenRelu"] = Serial(Dense(Width, wStd: 0.9), Exp(0.5, 0.6), LayerNorm(), Dense(Width), LayerNorm(), Relu(), Dense(1)),
        ["PreNormResidual"] = Serial(Dense(Width, bStd: 0.1), FanOut(2), Parallel(Serial(Relu(), LayerNorm(), Dense(Width, wStd: 1.2)), Identity()),
            FanInSum(), LayerNorm(), Dense(1)),
        ["AroundDropout"] = Serial(Dense(Width, wStd: 1.2, bStd: 0.1), Relu(), Dropout(0.7), LayerNorm(), Dense(Width), Dropout(0.8), LayerNorm(),
            Dense(1)),
        ["RawInput"] = Serial(LayerNorm(), Dense(Width, bStd: 0.2), Relu(), Dense(1)),
    };

    public static TheoryData<string> Names() => [.. Networks.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Estimate_WideNetworks_MatchesAnalyticKernels(string name) =>
        AssertAgrees(Networks[name], Tensor.From(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(X)), 2024);

    [Fact]
    public void Estimate_ConvNetPerPositionAndAfterPoolingAndFlatten_MatchesAnalyticKernels()
    {
        var net = Serial(Conv(256, (2, 2), padding: Padding.Same, wStd: 1.3, bStd: 0.1), Relu(), LayerNorm(), Conv(256, (2, 2), wStd: 1.2),
            Relu(), AvgPool((2, 2)), LayerNorm(), Flatten(), LayerNorm(), Dense(1, bStd: 0.1));
        var rng = new Random(5);
        var data = new double[3 * 3 * 3 * 2];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        AssertAgrees(net, new Tensor(data, 3, 3, 3, 2), 11);
    }

    [Fact]
    public void Estimate_GroupNetworks_MatchAnalyticKernels()
    {
        // Per (g, p) on a group signal (every block normalised with the u = e block's scales), and after global average
        // pooling over G × ℤ² (the means pooled over the group too).
        var perPosition = Serial(LiftingConv(256, PlanarGroup.P4, (3, 3), Padding.Same, wStd: 1.4, bStd: 0.1), Relu(), LayerNorm(),
            GroupConv(4, PlanarGroup.P4, (3, 3), Padding.Same), GroupPool(), GlobalAvgPool(), Dense(4));
        AssertAgrees(perPosition, NtkSharp.Tests.Convolutions.ConvTestData.Images(81, 3, 3, 3, 2), 41);
        var pooled = Serial(LiftingConv(256, PlanarGroup.P4, (3, 3), Padding.Circular, wStd: 1.4, bStd: 0.1), Relu(), GlobalAvgPool(),
            LayerNorm(), Dense(4));
        AssertAgrees(pooled, NtkSharp.Tests.Convolutions.ConvTestData.Images(82, 3, 3, 3, 2), 42);
    }
}
