using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using Xunit.Abstractions;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

/// <summary>
/// The foundation's main correctness check: the analytic NNGP and NTK of <see cref="KernelFunction"/> against the
/// empirical kernels of wide finite networks built from the same layer objects, averaged over independent
/// initialisations (neural-tangents' monte_carlo_kernel_fn tests: rtol 0.05).
/// </summary>
public class MonteCarloKernelTests(ITestOutputHelper output)
{
    private const int Width = 1024;
    private const int NngpReadout = 1024;
    private const int NtkReadout = 4;
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
        ["ReluNtkBias"] = k => Serial(Dense(Width, wStd: 1.5, bStd: 0.1), Relu(), Dense(k, wStd: 1.2, bStd: 0.2)),
        ["ReluNtkNoBias"] = k => Serial(Dense(Width), Relu(), Dense(k)),
        ["ReluStandardBias"] = k => Serial(Dense(Width, wStd: 1.4, bStd: 0.1, parameterization: Parameterization.Standard), Relu(), Dense(k, wStd: 1.1, bStd: 0.3, parameterization: Parameterization.Standard)),
        ["ErfStandardNoBias"] = k => Serial(Dense(Width, wStd: 1.3, parameterization: Parameterization.Standard), Erf(), Dense(k, parameterization: Parameterization.Standard)),
        ["LeakyRelu"] = k => Serial(Dense(Width, wStd: 1.2, bStd: 0.3), LeakyRelu(0.2), Dense(k, bStd: 0.1)),
        ["ABRelu"] = k => Serial(Dense(Width, bStd: 0.2), ABRelu(-0.5, 1.5), Dense(k, wStd: 0.9)),
        ["Abs"] = k => Serial(Dense(Width, wStd: 1.1), Abs(), Dense(k, bStd: 0.5)),
        ["Erf"] = k => Serial(Dense(Width, wStd: 1.6, bStd: 0.2), Erf(), Dense(k, wStd: 1.3)),
        ["IdentityThenRelu"] = k => Serial(Dense(Width), Identity(), Relu(), Dense(k, bStd: 0.1)),
        ["Depth2Relu"] = k => Serial(Dense(Width, wStd: 1.4, bStd: 0.1), Relu(), Dense(Width, wStd: 1.4, bStd: 0.1), Relu(), Dense(k)),
        ["Depth3Mixed"] = k => Serial(Dense(Width, wStd: 1.5), Erf(), Dense(Width, wStd: 1.2, bStd: 0.2), Abs(), Dense(Width, wStd: 1.1), LeakyRelu(0.1), Dense(k)),
        ["Depth2ReluStandard"] = k => Serial(Dense(Width, wStd: 1.2, bStd: 0.1, parameterization: Parameterization.Standard), Relu(), Dense(Width, wStd: 1.3, parameterization: Parameterization.Standard), Relu(), Dense(k, wStd: 0.8, bStd: 0.1, parameterization: Parameterization.Standard)),
        ["ResidualIdentitySkip"] = k => Serial(Dense(Width, bStd: 0.1), FanOut(2), Parallel(Serial(Relu(), Dense(Width, wStd: 1.3)), Identity()), FanInSum(), Relu(), Dense(k)),
        ["Residual3Branches"] = k => Serial(Dense(Width, wStd: 1.1), FanOut(3), Parallel(Serial(Relu(), Dense(Width, bStd: 0.2)), Serial(Erf(), Dense(Width, wStd: 0.7)), Identity()), FanInSum(), Relu(), Dense(k, wStd: 1.2)),
    };

    public static TheoryData<string> Architectures() => [.. Networks.Keys];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Estimate_WideNetworks_MatchesAnalyticKernels(string architecture)
    {
        // The analytic kernels do not depend on the readout width; the NNGP estimate averages over many readout units
        // (its variance falls as 1/(samples·units)), while the empirical NTK concentrates and needs only a few.
        var exact = new KernelFunction(Networks[architecture](1)).Compute(X);
        var o = new MonteCarloOptions { Samples = Samples, Seed = 20240 };
        var nngp = MonteCarloKernels.Estimate(Networks[architecture](NngpReadout), X, options: o with { Outputs = KernelOutputs.Nngp });
        var ntk = MonteCarloKernels.Estimate(Networks[architecture](NtkReadout), X, options: o with { Outputs = KernelOutputs.Ntk });
        Assert.Null(nngp.Ntk);
        Assert.Null(ntk.Nngp);
        AssertClose("NNGP", exact.Nngp!, nngp.Nngp!);
        AssertClose("NTK", exact.Ntk!, ntk.Ntk!);
    }

    [Fact]
    public void Estimate_CrossInputs_MatchesAnalyticCrossKernel()
    {
        Layer Net(int k) => Serial(Dense(Width, wStd: 1.3, bStd: 0.2), Relu(), Dense(k, wStd: 1.1));
        var x2 = new double[,] { { 0.2, 0.4, -0.9 }, { -1.0, 0.1, 0.3 } };
        var kf = new KernelFunction(Net(1));
        var exact = kf.Compute(X, x2);
        var self = kf.Compute(X);
        var o = new MonteCarloOptions { Samples = Samples, Seed = 3 };
        var nngp = MonteCarloKernels.Estimate(Net(NngpReadout), X, x2, o with { Outputs = KernelOutputs.Nngp });
        var ntk = MonteCarloKernels.Estimate(Net(NtkReadout), X, x2, o with { Outputs = KernelOutputs.Ntk });
        Assert.Equal(4, nngp.Nngp!.RowCount);
        Assert.Equal(2, nngp.Nngp.ColumnCount);
        AssertClose("NNGP", exact.Nngp!, nngp.Nngp, self.Nngp!.Diagonal().Average());
        AssertClose("NTK", exact.Ntk!, ntk.Ntk!, self.Ntk!.Diagonal().Average());
    }

    [Fact]
    public void Estimate_DifferentThreadCounts_GivesIdenticalResults()
    {
        var layer = Serial(Dense(64, bStd: 0.1), Relu(), Dense(8));
        var o = new MonteCarloOptions { Samples = 40, Seed = 11 };
        var one = MonteCarloKernels.Estimate(layer, X, options: o with { MaxDegreeOfParallelism = 1 });
        var two = MonteCarloKernels.Estimate(layer, X, options: o with { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Nngp!.ToArray(), two.Nngp!.ToArray());
        Assert.Equal(one.Ntk!.ToArray(), two.Ntk!.ToArray());
    }

    [Fact]
    public void Estimate_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            MonteCarloKernels.Estimate(Serial(Dense(16), Relu(), Dense(1)), X, cancellationToken: cts.Token));
    }

    private void AssertClose(string name, Matrix<double> exact, Matrix<double> mc, double? diagScale = null)
    {
        double scale = diagScale ?? exact.Diagonal().Average();
        double worst = 0;
        for (int i = 0; i < exact.RowCount; i++)
        {
            for (int j = 0; j < exact.ColumnCount; j++)
            {
                double tol = Rtol * Math.Abs(exact[i, j]) + AtolFraction * scale;
                worst = Math.Max(worst, Math.Abs(mc[i, j] - exact[i, j]) / tol);
                Assert.True(Math.Abs(mc[i, j] - exact[i, j]) <= tol,
                    $"{name}[{i},{j}]: Monte Carlo {mc[i, j]:G6} vs exact {exact[i, j]:G6} (tolerance {tol:G3}).");
            }
        }
        output.WriteLine($"{name}: worst |error|/tolerance = {worst:F3}");
    }
}
