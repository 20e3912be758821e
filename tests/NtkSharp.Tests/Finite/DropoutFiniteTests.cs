using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.TestSupport;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

/// <summary>
/// <see cref="Dropout"/> in finite networks: the mask's statistics and reproducibility, backpropagation through the same
/// mask (central finite differences), and the infinite-width kernels against Monte Carlo over wide networks (width 1024,
/// 100 samples; 256 channels, 128 samples), diagonal and off-diagonal entries, vectors and images in both layouts.
/// </summary>
public class DropoutFiniteTests
{
    private static readonly double[,] X =
    {
        { 1.0, -0.5, 0.8 },
        { -0.3, 1.2, 0.4 },
        { 0.9, 0.7, -1.1 },
        { 1.0, -0.4, 0.9 },
    };

    private static Tensor Vectors(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var data = new double[n * d];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return new Tensor(data, n, d);
    }

    /// <summary>Kept units are exactly z/rate, dropped ones 0; the kept fraction is rate within 5 binomial standard
    /// deviations; two examples' masks are independent (joint keep fraction rate²); the same key gives the same masks
    /// and another key other masks; without a key the layer is the identity.</summary>
    [Fact]
    public void Apply_WithKey_BernoulliMaskScaledByInverseRate()
    {
        const double rate = 0.3;
        const int width = 20_000;
        var net = FiniteNetwork.Create(Serial(Dense(width, bStd: 0.5), Dropout(rate)), 3);
        var p = net.Init(1);
        var x = Vectors(2, 3, 2);
        var z = net.Apply(p, x);
        var y = net.Apply(p, x, dropoutKey: 17);
        int kept = 0, both = 0;
        for (int j = 0; j < width; j++)
        {
            bool k0 = false, k1 = false;
            for (int i = 0; i < 2; i++)
            {
                double v = y[i, j];
                Assert.True(v == 0.0 || v == z[i, j] / rate, $"unit ({i}, {j}): {v:R} is neither 0 nor z/rate = {z[i, j] / rate:R}");
                bool keep = v != 0.0;
                if (i == 0) k0 = keep;
                else k1 = keep;
                if (keep) kept++;
            }
            if (k0 && k1) both++;
        }
        double n = 2.0 * width, frac = kept / n, sd = Math.Sqrt(rate * (1 - rate) / n);
        Assert.True(Math.Abs(frac - rate) <= 5 * sd, $"kept fraction {frac:G5}, expected {rate} ± {5 * sd:G3}");
        double joint = both / (double)width, jsd = Math.Sqrt(rate * rate * (1 - rate * rate) / width);
        Assert.True(Math.Abs(joint - rate * rate) <= 5 * jsd, $"joint keep fraction {joint:G5}, expected {rate * rate} ± {5 * jsd:G3}");
        Assert.True(y.Equals(net.Apply(p, x, dropoutKey: 17)), "the same key gave other masks");
        var other = net.Apply(p, x, dropoutKey: 18);
        int differ = 0;
        for (int j = 0; j < width; j++) differ += (other[0, j] != 0) != (y[0, j] != 0) ? 1 : 0;
        Assert.True(differ > width / 10, $"keys 17 and 18 gave masks differing in only {differ} of {width} units");
    }

    [Fact]
    public void Apply_RateOne_KeepsEveryUnit()
    {
        var net = FiniteNetwork.Create(Serial(Dense(64, bStd: 0.1), Dropout(1), Dense(5)), 3);
        var p = net.Init(3);
        var x = Vectors(4, 3, 4);
        Assert.True(net.Apply(p, x).Equals(net.Apply(p, x, dropoutKey: 5)), "rate 1 dropped a unit");
    }

    /// <summary>The backward pass uses the forward pass's mask: the parameter gradient of Σ f∘c with a fixed key
    /// matches central finite differences of the network with the same key.</summary>
    [Fact]
    public void Gradient_WithKey_MatchesFiniteDifferences()
    {
        var net = FiniteNetwork.Create(Serial(Dense(12, wStd: 1.3, bStd: 0.2), Relu(), Dense(12, bStd: 0.1), Dropout(0.6),
            Dense(12), Tanh(), Dense(3)), 3);
        var p = net.Init(5);
        var x = Vectors(4, 3, 6);
        var grad = FiniteDifferences.AssertGradientMatches(net, p, x, 4, dropoutKey: 123);
        var rng = new GaussianSampler(99);
        var c = Matrix<double>.Build.Dense(4, 3, (_, _) => rng.NextGaussian());
        var testMode = net.Gradient(p, x, c);
        Assert.False(testMode.Values.AsSpan().SequenceEqual(grad.Values), "the key did not change the gradient");
    }

    /// <summary>Dense → ReLU → Dense → Dropout → Dense → ReLU → Dense at width 1024 over 100 initialisations (and masks):
    /// the exact kernels, with the symmetric diagonal scaled and the following ReLU on the scaled variances, agree on
    /// every entry; the diagonal is far from the kernel without dropout (the check is not vacuous).</summary>
    [Fact]
    public void Estimate_WideDropoutMlp_MatchesKernelDiagonalAndOffDiagonal()
    {
        const int width = 1024;
        Layer Net(int k, double rate) => Serial(Dense(width, wStd: 1.3, bStd: 0.1), Relu(), Dense(width, wStd: 1.2, bStd: 0.1),
            Dropout(rate), Dense(width, wStd: 1.1, bStd: 0.05), Relu(), Dense(k));
        var exact = new KernelFunction(Net(1, 0.6)).Compute(X);
        var plain = new KernelFunction(Net(1, 1.0)).Compute(X);
        var o = new MonteCarloOptions { Samples = 100, Seed = 2026 };
        var nngp = MonteCarloKernels.Estimate(Net(256, 0.6), X, options: o with { Outputs = KernelOutputs.Nngp });
        var ntk = MonteCarloKernels.Estimate(Net(4, 0.6), X, options: o with { Outputs = KernelOutputs.Ntk });
        AssertClose("NNGP", exact.Nngp, nngp.Nngp!, nngp.NngpStandardError!, plain.Nngp);
        AssertClose("NTK", exact.Ntk, ntk.Ntk!, ntk.NtkStandardError!, plain.Ntk);
    }

    /// <summary>A residual block whose branch ends in Dropout, through a nonlinearity after the sum.</summary>
    [Fact]
    public void Estimate_ResidualDropoutBranch_MatchesKernel()
    {
        const int width = 1024;
        Layer Net(int k) => Serial(Dense(width, wStd: 1.2, bStd: 0.1), Relu(), FanOut(2),
            Parallel(Serial(Dense(width, wStd: 1.1), Dropout(0.5)), Identity()), FanInSum(), Dense(width, wStd: 0.9), Erf(), Dense(k));
        var exact = new KernelFunction(Net(1)).Compute(X);
        var o = new MonteCarloOptions { Samples = 100, Seed = 77 };
        var nngp = MonteCarloKernels.Estimate(Net(256), X, options: o with { Outputs = KernelOutputs.Nngp });
        var ntk = MonteCarloKernels.Estimate(Net(4), X, options: o with { Outputs = KernelOutputs.Ntk });
        AssertClose("NNGP", exact.Nngp, nngp.Nngp!, nngp.NngpStandardError!, null);
        AssertClose("NTK", exact.Ntk, ntk.Ntk!, ntk.NtkStandardError!, null);
    }

    /// <summary>Convolutions at 256 channels, Dropout before a Flatten readout (diagonal layout) and before global average
    /// pooling (full layout: only same-position entries scaled), 128 samples, 4·SE + 3% of the diagonal scale.</summary>
    [Theory]
    [InlineData("flatten")]
    [InlineData("gap")]
    public void Estimate_ConvDropout_MatchesKernel(string readout)
    {
        var net = Serial(Conv(256, (2, 2), padding: Padding.Same, wStd: 1.3, bStd: 0.1), Relu(), Conv(256, (2, 2), wStd: 1.2),
            Dropout(0.4), readout == "gap" ? GlobalAvgPool() : Flatten(), Dense(16, bStd: 0.1));
        var rng = new Random(5);
        var data = new double[3 * 3 * 3 * 2];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        var x = new Tensor(data, 3, 3, 3, 2);
        TestSupport.MonteCarloAgreement.AssertAgrees(net, x, seed: 11);
    }

    /// <summary>A group-convolutional network (p4), Dropout on the group signal before GroupPool and global pooling (full
    /// layout: only the identity block's same-position entries are the same unit), 256 channels, 100 samples.</summary>
    [Fact]
    public void Estimate_GroupConvDropout_MatchesKernel()
    {
        var net = Serial(LiftingConv(256, PlanarGroup.P4, (3, 3), Padding.Circular, wStd: 1.5, bStd: 0.1), Relu(),
            GroupConv(4, PlanarGroup.P4, (3, 3), Padding.Circular, wStd: 1.2, bStd: 0.2), Dropout(0.4), GroupPool(), GlobalAvgPool(),
            Dense(4));
        TestSupport.MonteCarloAgreement.AssertAgrees(net, Convolutions.ConvTestData.Images(81, 3, 3, 3, 2), seed: 13, samples: 100);
    }

    /// <summary>rtol 5% plus 1% of the diagonal's scale, or 4 standard errors where the estimate is noisier (the harness
    /// of the catalogue's Monte Carlo tests); where <paramref name="plain"/> is given, the diagonal must also be further
    /// than that tolerance from the kernel without dropout.</summary>
    private static void AssertClose(string name, Matrix<double> exact, Matrix<double> mc, Matrix<double> se, Matrix<double>? plain)
    {
        double scale = exact.Diagonal().Average();
        for (int i = 0; i < exact.RowCount; i++)
        {
            for (int j = 0; j < exact.ColumnCount; j++)
            {
                double tol = Math.Max(0.05 * Math.Abs(exact[i, j]) + 0.01 * scale, 4 * se[i, j]);
                Assert.True(Math.Abs(mc[i, j] - exact[i, j]) <= tol,
                    $"{name}[{i},{j}]: Monte Carlo {mc[i, j]:G6} vs exact {exact[i, j]:G6} (tolerance {tol:G3}).");
                if (plain is not null && i == j)
                    Assert.True(Math.Abs(mc[i, i] - plain[i, i]) > tol,
                        $"{name}[{i},{i}]: Monte Carlo {mc[i, i]:G6} is within {tol:G3} of the kernel without dropout {plain[i, i]:G6}.");
            }
        }
    }
}
