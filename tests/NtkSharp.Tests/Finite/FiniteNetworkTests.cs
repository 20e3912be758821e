using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

public class FiniteNetworkTests
{
    private static readonly double[,] X =
    {
        { 0.7, -1.1, 0.4 },
        { -0.3, 0.8, 1.5 },
        { 1.2, 0.1, -0.9 },
        { 0.2, 0.3, 0.1 },
        { -1.0, -0.5, 0.6 },
    };

    [Fact]
    public void Apply_NtkParameterisation_EqualsHandWrittenFormula()
    {
        var layer = Serial(Dense(4, wStd: 1.5, bStd: 0.2), Relu(), Dense(2, wStd: 0.8, bStd: 0.3));
        var net = FiniteNetwork.Create(layer, 3);
        var p = net.Init(42);
        var b = net.ParameterBlocks;
        Assert.Equal(["W", "b", "W", "b"], b.Select(x => x.Name));
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2, net.ParameterCount);
        var w1 = Matrix<double>.Build.Dense(4, 3, p.Block(b[0]).ToArray()).Transpose();
        var b1 = Vector<double>.Build.Dense(p.Block(b[1]).ToArray());
        var w2 = Matrix<double>.Build.Dense(2, 4, p.Block(b[2]).ToArray()).Transpose();
        var b2 = Vector<double>.Build.Dense(p.Block(b[3]).ToArray());
        var f = net.Apply(p, X);
        for (int n = 0; n < 5; n++)
        {
            var x = Vector<double>.Build.Dense(3, i => X[n, i]);
            var h = (x * w1 * (1.5 / Math.Sqrt(3)) + 0.2 * b1).Map(v => Math.Max(v, 0));
            var y = h * w2 * (0.8 / Math.Sqrt(4)) + 0.3 * b2;
            for (int o = 0; o < 2; o++) Assert.Equal(y[o], f[n, o], 12);
        }
    }

    [Fact]
    public void Init_StandardParameterisation_HasDeclaredVariances()
    {
        var net = FiniteNetwork.Create(Serial(Dense(2000, wStd: 2.0, bStd: 0.5, parameterization: Parameterization.Standard)), 50);
        var p = net.Init(7);
        var w = p.Block(net.ParameterBlocks[0]).ToArray();
        var bias = p.Block(net.ParameterBlocks[1]).ToArray();
        double varW = w.Select(v => v * v).Average();
        double varB = bias.Select(v => v * v).Average();
        Assert.Equal(4.0 / 50, varW, 0.02 * 4.0 / 50 * 5);
        Assert.Equal(0.25, varB, 0.25 * 0.2);
        Assert.InRange(w.Average(), -0.003, 0.003);
    }

    [Fact]
    public void Init_NoBiasWhenBStdIsZero_AndSeedsAreDeterministic()
    {
        var net = FiniteNetwork.Create(Serial(Dense(8), Relu(), Dense(1)), 3);
        Assert.Equal(3 * 8 + 8, net.ParameterCount);
        Assert.Equal(net.Init(5).Values, net.Init(5).Values);
        Assert.NotEqual(net.Init(5).Values, net.Init(6).Values);
        Assert.NotEqual(net.Init(5, 0).Values, net.Init(5, 1).Values);
    }

    [Fact]
    public void GaussianSampler_Moments_AreStandardNormal()
    {
        var g = new GaussianSampler(123);
        var v = new double[400_000];
        g.FillGaussian(v, 1.0);
        double m = v.Average(), m2 = v.Select(x => x * x).Average(), m4 = v.Select(x => x * x * x * x).Average();
        Assert.InRange(m, -0.006, 0.006);
        Assert.InRange(m2, 0.99, 1.01);
        Assert.InRange(m4, 2.94, 3.06);
        Assert.InRange(v.Count(x => Math.Abs(x) > 3.442619855899) / (double)v.Length, 0.00045, 0.00070); // tail strip: 2Φ(−r) ≈ 5.76e-4
    }

    [Fact]
    public void EmpiricalKernels_AreSymmetricPositiveSemiDefinite()
    {
        var layer = Serial(Dense(32, bStd: 0.1), Erf(), Dense(32, wStd: 1.3), FanOut(2), Parallel(Serial(Relu(), Dense(32)), Identity()), FanInSum(), Relu(), Dense(3));
        var net = FiniteNetwork.Create(layer, 3);
        var p = net.Init(9);
        var r = net.EmpiricalKernels(p, X);
        foreach (var k in new[] { r.Nngp!, r.Ntk! })
        {
            Assert.True((k - k.Transpose()).InfinityNorm() <= 1e-12 * k.InfinityNorm());
            var evd = k.Evd();
            Assert.True(evd.EigenValues.Real().Minimum() >= -1e-10 * k.Trace());
        }
        var f = net.Apply(p, X);
        Assert.True((f * f.Transpose() / 3 - r.Nngp!).InfinityNorm() <= 1e-12 * r.Nngp!.InfinityNorm());
    }

    [Fact]
    public void EmpiricalKernels_CrossBlock_MatchesJointComputation()
    {
        var net = FiniteNetwork.Create(Serial(Dense(16, bStd: 0.1), Relu(), Dense(2)), 3);
        var p = net.Init(1);
        var x1 = new Tensor([.. ((double[,])X).Cast<double>().Take(9)], 3, 3);
        var x2 = new Tensor([.. ((double[,])X).Cast<double>().Skip(9)], 2, 3);
        var joint = net.EmpiricalKernels(p, X);
        var cross = net.EmpiricalKernels(p, x1, x2);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(joint.Nngp![i, 3 + j], cross.Nngp![i, j], 12);
                Assert.Equal(joint.Ntk![i, 3 + j], cross.Ntk![i, j], 12);
            }
        }
    }

    [Fact]
    public void Apply_PerPositionDense_ActsOnTheLastAxis()
    {
        // (L, C) = (3, 2) signals: Dense acts on channels at every position independently.
        var net = FiniteNetwork.Create(Serial(Dense(4, bStd: 0.3), Relu(), Dense(1)), 3, 2);
        var vec = FiniteNetwork.Create(Serial(Dense(4, bStd: 0.3), Relu(), Dense(1)), 2);
        Assert.Equal([3, 1], net.OutputShape);
        var p = net.Init(4);
        var x = new Tensor([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 1.0, 1.1, -1.2, 1.3, 1.4, -1.5], 2, 3, 2);
        var f = net.Apply(p, x);
        var fv = vec.Apply(p, x.Reshape(6, 2));
        Assert.Equal(2, f.RowCount);
        Assert.Equal(3, f.ColumnCount);
        for (int n = 0; n < 2; n++)
        {
            for (int l = 0; l < 3; l++) Assert.Equal(fv[n * 3 + l, 0], f[n, l], 12);
        }
    }

    [Fact]
    public void Apply_BadInputs_ThrowNamingTheArgument()
    {
        var net = FiniteNetwork.Create(Serial(Dense(4), Relu(), Dense(1)), 3);
        var p = net.Init(0);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => net.Apply(p, new double[,] { { 1, 2 } })).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => net.Apply(p, new double[,] { { 1, double.NaN, 2 } })).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => net.Apply(new Parameters(new double[3]), X)).ParamName);
        Assert.Throws<ArgumentException>(() => FiniteNetwork.Create(Serial(Dense(4), Relu(), Dense(1))));
        Assert.Throws<ArchitectureException>(() => FiniteNetwork.Create(Relu(), 3));
    }
}
