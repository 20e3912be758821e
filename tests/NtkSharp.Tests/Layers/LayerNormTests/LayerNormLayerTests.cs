using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.TestSupport;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Layers.LayerNormTests;

/// <summary>The LayerNorm layer itself: architecture text, composition rules (Gaussian output only from a Gaussian
/// input), argument checks, the finite op against the formula and finite differences, and the kernels' PSD and
/// degenerate cases.</summary>
public class LayerNormLayerTests
{
    [Theory]
    [InlineData("LayerNorm()")]
    [InlineData("LayerNorm(eps: 1E-05)")]
    [InlineData("Serial(Dense(8), Relu(), LayerNorm(), Dense(1))")]
    [InlineData("Serial(Conv(4, (3, 3), padding: Same), LayerNorm(eps: 0.5), Relu(), Flatten(), LayerNorm(), Dense(1))")]
    public void Parse_LayerNormText_RoundTripsEqualAndSameText(string text)
    {
        var layer = Layer.Parse(text);
        text = layer.ToString();
        Assert.Contains("LayerNorm(", text, StringComparison.Ordinal);
        Assert.Equal(layer, Layer.Parse(text));
        Assert.Equal(text, Layer.Parse(text).ToString());
    }

    [Fact]
    public void Parse_StaxPrefixAndDefaults_GiveNeuralTangentsDefaultEps()
    {
        var layer = Assert.IsType<LayerNorm>(Layer.Parse("Stax.LayerNorm()"));
        Assert.Equal(1e-12, layer.Eps);
        Assert.Equal(LayerNorm(eps: 1e-12), layer);
        Assert.Equal("LayerNorm()", LayerNorm(1e-12).ToString());
        Assert.Contains("LayerNorm", Layer.KnownLayerNames);
    }

    [Theory]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_BadEps_ThrowsNamingEps(double eps)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LayerNorm(eps));
        Assert.Equal("eps", e.ParamName);
    }

    [Fact]
    public void ValidateNetwork_NonlinearityAfterLayerNormOfNonGaussian_ThrowsNamingTheIndex()
    {
        // After a nonlinearity the features have a mean and are not Gaussian; LayerNorm keeps that.
        var e = Assert.Throws<ArchitectureException>(() => Serial(Dense(8), Relu(), LayerNorm(), Relu(), Dense(1)).ValidateNetwork());
        Assert.Contains("Layer [3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("Relu", e.Message, StringComparison.Ordinal);
        // The raw input is not Gaussian either.
        var raw = Assert.Throws<ArchitectureException>(() => Serial(LayerNorm(), Erf(), Dense(1)).ValidateNetwork());
        Assert.Contains("Layer [1]", raw.Message, StringComparison.Ordinal);
        // Flatten's output is not Gaussian (position-dependent variances).
        var flat = Assert.Throws<ArchitectureException>(() => Serial(Conv(4, (2, 2)), Flatten(), LayerNorm(), Relu(), Dense(1)).ValidateNetwork([3, 3, 1]));
        Assert.Contains("Layer [3]", flat.Message, StringComparison.Ordinal);
        var parsed = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Serial(Dense(8), Relu(), LayerNorm(), Relu(), Dense(1))"));
        Assert.Contains("Layer [3]", parsed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateNetwork_NonlinearityAfterLayerNormOfGaussian_IsAccepted()
    {
        Assert.Equal([1], Serial(Dense(8), LayerNorm(), Relu(), Dense(1)).ValidateNetwork([3])!);
        Assert.Equal([1], Serial(Dense(8), FanOut(2), Parallel(Serial(LayerNorm(), Dense(8)), Identity()), FanInSum(), LayerNorm(), Erf(), Dense(1))
            .ValidateNetwork([3])!);
    }

    [Fact]
    public void Apply_LayerNormAlone_NormalisesTheChannelsAtEachPosition()
    {
        var x = new Tensor([0.3, -1.2, 2.0, 0.7, 0.1, 0.4, -0.5, 1.5], 2, 2, 2);
        var net = FiniteNetwork.Create(Serial(LayerNorm(eps: 0.01), Flatten()), 2, 2);
        var y = net.Apply(net.Init(1), x);
        for (int e = 0; e < 2; e++)
        {
            for (int p = 0; p < 2; p++)
            {
                double a = x.Data[e * 4 + p * 2], b = x.Data[e * 4 + p * 2 + 1], mean = (a + b) / 2;
                double sd = Math.Sqrt(((a - mean) * (a - mean) + (b - mean) * (b - mean)) / 2 + 0.01);
                Assert.Equal((a - mean) / sd, y[e, p * 2], 14);
                Assert.Equal((b - mean) / sd, y[e, p * 2 + 1], 14);
            }
        }
    }

    public static TheoryData<string> FiniteNames() => [.. FiniteNetworks.Keys];

    private static readonly Dictionary<string, (Layer Net, int[] Shape)> FiniteNetworks = new()
    {
        ["Vector"] = (Serial(Dense(7, wStd: 1.3, bStd: 0.2), Relu(), LayerNorm(), Dense(6), LayerNorm(eps: 0.1), Erf(), Dense(3, bStd: 0.1)), [4]),
        ["RawInputResidual"] = (Serial(LayerNorm(), Dense(6, bStd: 0.1), FanOut(2), Parallel(Serial(Gelu(), LayerNorm(), Dense(6)), Identity()),
            FanInSum(), LayerNorm(), Dense(2)), [4]),
        ["Image"] = (Serial(Conv(3, (2, 2), padding: Padding.Same, bStd: 0.1), Relu(), LayerNorm(), AvgPool((2, 2)), Flatten(), LayerNorm(),
            Dense(2)), [3, 3, 2]),
    };

    [Theory]
    [MemberData(nameof(FiniteNames))]
    public void Gradient_RandomCotangent_MatchesCentralFiniteDifferences(string name)
    {
        var (layer, shape) = FiniteNetworks[name];
        var net = FiniteNetwork.Create(layer, shape);
        int size = shape.Aggregate(1, (a, b) => a * b);
        var rng = new Random(3);
        var x = new Tensor([.. Enumerable.Range(0, 3 * size).Select(_ => rng.NextDouble() * 2 - 1)], [3, .. shape]);
        FiniteDifferences.AssertGradientMatches(net, net.Init(5), x, 3);
    }

    [Theory]
    [MemberData(nameof(FiniteNames))]
    public void Jacobian_Rows_MatchFiniteDifferencesOfOutputs(string name)
    {
        var (layer, shape) = FiniteNetworks[name];
        var net = FiniteNetwork.Create(layer, shape);
        int size = shape.Aggregate(1, (a, b) => a * b);
        var rng = new Random(4);
        var x = new Tensor([.. Enumerable.Range(0, 3 * size).Select(_ => rng.NextDouble() * 2 - 1)], [3, .. shape]);
        var p = net.Init(8);
        var j = net.Jacobian(p, x);
        const double h = 1e-5;
        for (int i = 0; i < net.ParameterCount; i += 2)
        {
            var plus = p.Clone();
            var minus = p.Clone();
            plus.Values[i] += h;
            minus.Values[i] -= h;
            var d = (net.Apply(plus, x) - net.Apply(minus, x)) / (2 * h);
            for (int e = 0; e < 3; e++)
            {
                for (int k = 0; k < net.OutputSize; k++)
                {
                    double fd = d[e, k], jac = j[e * net.OutputSize + k, i];
                    Assert.True(Math.Abs(fd - jac) <= 1e-6 * (1 + Math.Abs(fd)), $"parameter {i}, output ({e}, {k}): Jacobian {jac:G10} vs finite difference {fd:G10}");
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compute_RandomInputs_GramIsPositiveSemidefinite(bool image)
    {
        var rng = new Random(image ? 8 : 9);
        Layer net;
        Tensor x;
        if (image)
        {
            net = Serial(Conv(4, (2, 2), padding: Padding.Same, bStd: 0.1), Relu(), LayerNorm(), AvgPool((2, 2)), LayerNorm(), GlobalAvgPool(),
                LayerNorm(), Dense(1));
            x = new Tensor([.. Enumerable.Range(0, 10 * 3 * 3 * 2).Select(_ => rng.NextDouble() * 2 - 1)], 10, 3, 3, 2);
        }
        else
        {
            net = Serial(LayerNorm(), Dense(8, bStd: 0.2), Exp(0.5, 0.6), LayerNorm(), Dense(8), LayerNorm(), Relu(), LayerNorm(), Dense(1));
            x = new Tensor([.. Enumerable.Range(0, 12 * 4).Select(_ => rng.NextDouble() * 2 - 1)], 12, 4);
        }
        var r = new KernelFunction(net).Compute(x);
        foreach (var (m, what) in new[] { (r.Nngp!, "NNGP"), (r.Ntk!, "NTK") })
        {
            var eig = m.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();
            double min = eig.Min(), max = eig.Max();
            Assert.True(min >= -1e-12 * max, $"{what}: smallest eigenvalue {min:E3}, largest {max:E3}");
            Assert.True(m.Enumerate().All(double.IsFinite), $"{what} has a non-finite entry");
        }
    }

    [Fact]
    public void Compute_ConstantFeatures_GivesZeroNotNaN()
    {
        // Example 0's features are constant (0.5: K = μ² exactly): its normalised features are exactly 0 (0/√ε), and so
        // is its kernel row before the readout's bias.
        var x = Matrix<double>.Build.DenseOfArray(new[,] { { 0.5, 0.5, 0.5 }, { 0.5, -0.2, 0.3 } });
        var net = Serial(LayerNorm(), Dense(1, bStd: 0.5));
        var r = new KernelFunction(net).Compute(x);
        Assert.Equal(0.25, r.Nngp![0, 0], 14);
        Assert.Equal(0.25, r.Nngp[0, 1], 14);
        var finite = FiniteNetwork.Create(Serial(LayerNorm(), Flatten()), 3);
        Assert.All(finite.Apply(finite.Init(1), Tensor.From(x)).Row(0).Enumerate(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Compute_ConstantFeaturesWithZeroEps_ThrowsNamingEps()
    {
        var x = Matrix<double>.Build.DenseOfArray(new[,] { { 0.5, 0.5, 0.5 }, { 0.5, -0.2, 0.3 } });
        var e = Assert.Throws<ArithmeticException>(() => new KernelFunction(Serial(LayerNorm(eps: 0), Dense(1))).Compute(x));
        Assert.Contains("LayerNorm at [0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("eps", e.Message, StringComparison.Ordinal);
        var finite = FiniteNetwork.Create(Serial(LayerNorm(eps: 0), Dense(1)), 3);
        var fe = Assert.Throws<ArithmeticException>(() => finite.Apply(finite.Init(1), Tensor.From(x)));
        Assert.Contains("eps", fe.Message, StringComparison.Ordinal);
    }
}
