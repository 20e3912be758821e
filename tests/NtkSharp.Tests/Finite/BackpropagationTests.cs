using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Layers;
using NtkSharp.Tests.TestSupport;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

/// <summary>Hand-written backpropagation against central finite differences, and the Jacobian/NTK identities.</summary>
public class BackpropagationTests
{
    private static readonly Dictionary<string, Layer> Networks = new()
    {
        ["DenseNtkBias"] = Serial(Dense(7, wStd: 1.3, bStd: 0.4), Relu(), Dense(3, wStd: 0.9, bStd: 0.2)),
        ["DenseStandard"] = Serial(Dense(6, wStd: 1.2, bStd: 0.3, parameterization: Parameterization.Standard), Erf(),
            Dense(2, wStd: 1.1, parameterization: Parameterization.Standard)),
        ["Activations"] = Serial(Dense(5, bStd: 0.1), LeakyRelu(0.3), Dense(5), ABRelu(-0.4, 1.7), Dense(5, bStd: 0.2), Abs(), Dense(2)),
        ["Residual"] = Serial(Dense(6, bStd: 0.1), FanOut(2), Parallel(Serial(Erf(), Dense(6, wStd: 1.2)), Identity()), FanInSum(),
            Relu(), Dense(2, bStd: 0.3)),
        ["ThreeBranches"] = Serial(Dense(4), FanOut(3), Parallel(Serial(Relu(), Dense(4)), Serial(Erf(), Dense(4, bStd: 0.5)), Identity()),
            FanInSum(), Identity(), Erf(), Dense(3)),
    };

    private static readonly double[,] X =
    {
        { 0.7, -1.1, 0.4, 0.2 },
        { -0.3, 0.8, 1.5, -0.6 },
        { 1.2, 0.1, -0.9, 0.5 },
    };

    public static TheoryData<string> Names() => [.. Networks.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_RandomCotangent_MatchesCentralFiniteDifferences(string name)
    {
        var net = FiniteNetwork.Create(Networks[name], 4);
        var p = net.Init(5);
        FiniteDifferences.AssertGradientMatches(net, p, X, 3);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Jacobian_Rows_MatchFiniteDifferencesOfOutputs(string name)
    {
        var net = FiniteNetwork.Create(Networks[name], 4);
        var p = net.Init(8);
        var j = net.Jacobian(p, X);
        int k = net.OutputSize;
        Assert.Equal(3 * k, j.RowCount);
        Assert.Equal(net.ParameterCount, j.ColumnCount);
        const double h = 1e-5;
        for (int i = 0; i < net.ParameterCount; i += 3)
        {
            var plus = p.Clone();
            var minus = p.Clone();
            plus.Values[i] += h;
            minus.Values[i] -= h;
            var d = (net.Apply(plus, X) - net.Apply(minus, X)) / (2 * h);
            for (int n = 0; n < 3; n++)
            {
                for (int o = 0; o < k; o++) Assert.Equal(d[n, o], j[n * k + o, i], 6);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EmpiricalNtk_EqualsTracedJacobianProduct(string name)
    {
        var net = FiniteNetwork.Create(Networks[name], 4);
        var p = net.Init(3);
        var j = net.Jacobian(p, X);
        int k = net.OutputSize;
        var jj = j * j.Transpose();
        var ntk = net.EmpiricalNtk(p, X);
        for (int a = 0; a < 3; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                double expected = 0;
                for (int o = 0; o < k; o++) expected += jj[a * k + o, b * k + o];
                Assert.Equal(expected / k, ntk[a, b], 10);
            }
        }
    }

    [Fact]
    public void MseLoss_Gradient_MatchesFiniteDifferencesAndNormalisation()
    {
        var net = FiniteNetwork.Create(Networks["DenseNtkBias"], 4);
        var p = net.Init(1);
        var y = Matrix<double>.Build.Dense(3, 3, (i, o) => 0.3 * i - 0.2 * o);
        double loss = net.MseLoss(p, X, y, out var g);
        var f = net.Apply(p, X);
        Assert.Equal(0.5 * (f - y).Enumerate().Select(v => v * v).Average(), loss, 12);
        const double h = 1e-5;
        for (int i = 0; i < net.ParameterCount; i += 5)
        {
            var plus = p.Clone();
            var minus = p.Clone();
            plus.Values[i] += h;
            minus.Values[i] -= h;
            double fd = (net.MseLoss(plus, X, y, out _) - net.MseLoss(minus, X, y, out _)) / (2 * h);
            Assert.Equal(fd, g.Values[i], 7);
        }
    }
}
