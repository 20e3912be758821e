using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>
/// Every catalogue nonlinearity's analytic NNGP and NTK against the empirical kernels of wide finite networks built from
/// the same layers (width 1024, 100 independent initialisations; the harness and tolerances of
/// <c>MonteCarloKernelTests</c>: rtol 0.05 plus 1% of the diagonal's scale, or 4 standard errors where the estimate is
/// noisier, e.g. for the non-centred Silu), in both parameterisations, in a residual
/// branch, and through a convolutional network (256 channels, 4·SE + 3%, as <c>ConvMonteCarloTests</c>).
/// </summary>
public class CatalogueMonteCarloTests
{
    private const int Width = 1024;
    private const int Samples = 100;
    private const double Rtol = 0.05;
    private const double AtolFraction = 0.01;

    private static readonly double[,] X =
    {
        { 1.0, -0.5, 0.8 },
        { -0.3, 1.2, 0.4 },
        { 0.9, 0.7, -1.1 },
        { 1.0, -0.4, 0.9 },
    };

    private static readonly Dictionary<string, Func<int, Layer>> Networks = new()
    {
        ["Gelu"] = k => Serial(Dense(Width, wStd: 1.3, bStd: 0.1), Gelu(), Dense(k, bStd: 0.1)),
        ["ErfAbcStandard"] = k => Serial(Dense(Width, wStd: 1.2, parameterization: Parameterization.Standard), Erf(0.8, 1.5, 0.3),
            Dense(k, bStd: 0.2, parameterization: Parameterization.Standard)),
        ["SigmoidLike"] = k => Serial(Dense(Width, wStd: 1.5), SigmoidLike(), Dense(k)),
        ["Sin"] = k => Serial(Dense(Width, wStd: 1.1, bStd: 0.2), Sin(1.2, 0.9, 0.4), Dense(k)),
        ["CosStandard"] = k => Serial(Dense(Width, parameterization: Parameterization.Standard), Cos(0.7, 1.3, -0.2),
            Dense(k, parameterization: Parameterization.Standard)),
        ["Rbf"] = k => Serial(Dense(Width), Rbf(0.6), Dense(k)),
        ["Gaussian"] = k => Serial(Dense(Width, wStd: 1.2), Gaussian(2, -1), Dense(k, bStd: 0.1)),
        ["GaussianGrowing"] = k => Serial(Dense(Width, wStd: 0.8), Gaussian(1, 0.1), Dense(k)),
        ["Exp"] = k => Serial(Dense(Width, wStd: 0.9), Exp(0.5, 0.6), Dense(k)),
        ["Monomial3"] = k => Serial(Dense(Width, wStd: 0.8), Monomial(3), Dense(k)),
        ["RectifiedMonomial2"] = k => Serial(Dense(Width, bStd: 0.2), RectifiedMonomial(2), Dense(k)),
        ["StepStandard"] = k => Serial(Dense(Width, bStd: 0.2, parameterization: Parameterization.Standard), RectifiedMonomial(0),
            Dense(k, parameterization: Parameterization.Standard)),
        ["Polynomial"] = k => Serial(Dense(Width), Polynomial(0.2, -0.5, 0.3), Dense(k)),
        ["Hermite3"] = k => Serial(Dense(Width, wStd: 0.9), Hermite(3), Dense(k)),
        ["Tanh"] = k => Serial(Dense(Width, wStd: 1.5, bStd: 0.1), Tanh(), Dense(k)),
        ["SigmoidStandard"] = k => Serial(Dense(Width, wStd: 1.5, parameterization: Parameterization.Standard), Sigmoid(),
            Dense(k, parameterization: Parameterization.Standard)),
        ["Softplus"] = k => Serial(Dense(Width, wStd: 1.2), Softplus(), Dense(k)),
        ["Silu"] = k => Serial(Dense(Width, wStd: 1.2), Silu(), Dense(k)),
        ["Elementwise"] = k => Serial(Dense(Width), Elementwise(x => Math.Sin(x) + 0.3 * x, x => Math.Cos(x) + 0.3, "sin+0.3x"), Dense(k)),
        ["ResidualGeluTanh"] = k => Serial(Dense(Width, bStd: 0.1), FanOut(2), Parallel(Serial(Gelu(), Dense(Width, wStd: 1.3)), Identity()),
            FanInSum(), Tanh(), Dense(Width), Sin(), Dense(k)),
    };

    public static TheoryData<string> Architectures() => [.. Networks.Keys];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Estimate_WideNetworks_MatchesAnalyticKernels(string architecture)
    {
        var exact = new KernelFunction(Networks[architecture](1)).Compute(X);
        var o = new MonteCarloOptions { Samples = Samples, Seed = 7_2024 };
        var nngp = MonteCarloKernels.Estimate(Networks[architecture](1024), X, options: o with { Outputs = KernelOutputs.Nngp });
        var ntk = MonteCarloKernels.Estimate(Networks[architecture](4), X, options: o with { Outputs = KernelOutputs.Ntk });
        AssertClose(architecture + " NNGP", exact.Nngp!, nngp.Nngp!, nngp.NngpStandardError!);
        AssertClose(architecture + " NTK", exact.Ntk!, ntk.Ntk!, ntk.NtkStandardError!);
    }

    [Fact]
    public void Estimate_ConvNetWithCatalogue_MatchesKernel()
    {
        var net = Serial(Conv(256, (2, 2), padding: Padding.Same, wStd: 1.3, bStd: 0.1), Gelu(), Conv(256, (2, 2), wStd: 1.2),
            Sin(1.1, 1.0, 0.3), GlobalAvgPool(), Dense(16, bStd: 0.1));
        var rng = new Random(5);
        var data = new double[3 * 3 * 3 * 2];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        var x = new Tensor(data, 3, 3, 3, 2);
        var exact = new KernelFunction(net).Compute(x);
        var mc = MonteCarloKernels.Estimate(net, x, options: new MonteCarloOptions { Samples = 128, Seed = 11 });
        CheckSe("NNGP", exact.Nngp!, mc.Nngp!, mc.NngpStandardError!);
        CheckSe("NTK", exact.Ntk!, mc.Ntk!, mc.NtkStandardError!);
    }

    private static void CheckSe(string what, Matrix<double> exact, Matrix<double> mc, Matrix<double> se)
    {
        double scale = exact.Diagonal().Max();
        for (int i = 0; i < exact.RowCount; i++)
        {
            for (int j = 0; j < exact.ColumnCount; j++)
            {
                double diff = Math.Abs(mc[i, j] - exact[i, j]);
                Assert.True(diff <= 4 * se[i, j] + 0.03 * scale, $"{what}[{i},{j}]: Monte Carlo {mc[i, j]:G6} ± {se[i, j]:G3}, exact {exact[i, j]:G6}");
            }
        }
    }

    private static void AssertClose(string name, Matrix<double> exact, Matrix<double> mc, Matrix<double> se)
    {
        double scale = exact.Diagonal().Average();
        for (int i = 0; i < exact.RowCount; i++)
        {
            for (int j = 0; j < exact.ColumnCount; j++)
            {
                double tol = Math.Max(Rtol * Math.Abs(exact[i, j]) + AtolFraction * scale, 4 * se[i, j]);
                Assert.True(Math.Abs(mc[i, j] - exact[i, j]) <= tol,
                    $"{name}[{i},{j}]: Monte Carlo {mc[i, j]:G6} vs exact {exact[i, j]:G6} (tolerance {tol:G3}).");
            }
        }
    }
}
