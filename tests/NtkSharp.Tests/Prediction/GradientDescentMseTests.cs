using MathNet.Numerics.LinearAlgebra;
using NtkSharp.LinearAlgebra;
using NtkSharp.Prediction;
using Xunit;
using static NtkSharp.Tests.Prediction.PredictionTestData;

namespace NtkSharp.Tests.Prediction;

public class GradientDescentMseTests
{
    private static readonly PredictionTestData Data = new();

    [Fact]
    public void Means_TimeZero_ReturnInitialOutputs()
    {
        var p = new GradientDescentMse(Data.Ntk, Data.Y);
        Assert.Equal(Data.F0Train, p.TrainMean(0, Data.F0Train));
        Assert.Equal(Data.F0Test, p.TestMean(0, Data.NtkTd, Data.F0Train, Data.F0Test));
        Assert.Equal(0.0, p.TrainMean(0).FrobeniusNorm());
        Assert.Equal(0.0, p.TestMean(0, Data.NtkTd).FrobeniusNorm());
    }

    [Fact]
    public void Means_InfiniteTime_EqualKernelRegressionAndInterpolateTargets()
    {
        var p = new GradientDescentMse(Data.Ntk, Data.Y);
        // Independent route: LU solve through MathNet.
        var expected = Data.F0Test + Data.NtkTd * Data.Ntk.LU().Solve(Data.Y - Data.F0Train);
        Assert.True(RelErr(p.TestMean(double.PositiveInfinity, Data.NtkTd, Data.F0Train, Data.F0Test), expected) < 1e-9);
        Assert.True(RelErr(p.TrainMean(double.PositiveInfinity, Data.F0Train), Data.Y) < 1e-12);
        p.ForceEigenRoute = true;
        Assert.True(RelErr(p.TestMean(double.PositiveInfinity, Data.NtkTd, Data.F0Train, Data.F0Test), expected) < 1e-9);
        Assert.True(RelErr(p.TrainMean(double.PositiveInfinity, Data.F0Train), Data.Y) < 1e-9);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(7.0)]
    [InlineData(250.0)]
    public void Means_FiniteTime_EqualMatrixExponentialFormula(double t)
    {
        double eta = 0.7;
        var p = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = eta });
        var e = MatrixExponential.Expm(-eta * t / Data.Size * Data.Ntk);
        var id = Matrix<double>.Build.DenseIdentity(Data.N);
        var train = Data.Y + e * (Data.F0Train - Data.Y);
        var test = Data.F0Test + Data.NtkTd * Data.Ntk.LU().Solve((id - e) * (Data.Y - Data.F0Train));
        Assert.True(RelErr(p.TrainMean(t, Data.F0Train), train) < 1e-9);
        Assert.True(RelErr(p.TestMean(t, Data.NtkTd, Data.F0Train, Data.F0Test), test) < 1e-8);
    }

    [Fact]
    public void Means_SolveGradientFlowOde_MatchRk4Integration()
    {
        double eta = 2.0, tEnd = 40.0;
        int steps = 4000;
        double h = tEnd / steps, c = eta / Data.Size;
        var p = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = eta });
        // State (f_train, f_test); d f_train/dt = −(η/n)Θ(f_train − Y), d f_test/dt = −(η/n)Θ_td(f_train − Y).
        var f = Data.F0Train.Clone();
        var g = Data.F0Test.Clone();
        Matrix<double> DTrain(Matrix<double> x) => -c * (Data.Ntk * (x - Data.Y));
        Matrix<double> DTest(Matrix<double> x) => -c * (Data.NtkTd * (x - Data.Y));
        for (int s = 0; s < steps; s++)
        {
            var k1 = DTrain(f); var l1 = DTest(f);
            var f2 = f + 0.5 * h * k1; var k2 = DTrain(f2); var l2 = DTest(f2);
            var f3 = f + 0.5 * h * k2; var k3 = DTrain(f3); var l3 = DTest(f3);
            var f4 = f + h * k3; var k4 = DTrain(f4); var l4 = DTest(f4);
            f += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
            g += h / 6 * (l1 + 2 * l2 + 2 * l3 + l4);
        }
        Assert.True(RelErr(p.TrainMean(tEnd, Data.F0Train), f) < 1e-8);
        Assert.True(RelErr(p.TestMean(tEnd, Data.NtkTd, Data.F0Train, Data.F0Test), g) < 1e-8);
    }

    [Fact]
    public void MeansAfterSteps_EqualLiteralLinearisedGradientDescent()
    {
        var p0 = new GradientDescentMse(Data.Ntk, Data.Y);
        double eta = 0.9 * p0.MaxLearningRate, c = eta / Data.Size;
        var p = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = eta });
        int[] ks = [0, 1, 7, 60];
        var train = p.TrainMeansAfterSteps(ks, Data.F0Train);
        var test = p.TestMeansAfterSteps(ks, Data.NtkTd, Data.F0Train, Data.F0Test);
        var f = Data.F0Train.Clone();
        var g = Data.F0Test.Clone();
        int done = 0;
        for (int i = 0; i < ks.Length; i++)
        {
            for (; done < ks[i]; done++)
            {
                var r = f - Data.Y;
                g -= c * (Data.NtkTd * r);
                f -= c * (Data.Ntk * r);
            }
            Assert.True(RelErr(train[i], f) < 1e-10, $"k = {ks[i]}");
            Assert.True(RelErr(test[i], g) < 1e-10, $"k = {ks[i]}");
        }
    }

    [Fact]
    public void TestMeans_VectorOfTimes_EqualsLoopOverTimes()
    {
        var p = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = 3 });
        double[] times = [0, 0.5, 10, 1e4, double.PositiveInfinity];
        var all = p.TestMeans(times, Data.NtkTd, Data.F0Train, Data.F0Test);
        var allTrain = p.TrainMeans(times, Data.F0Train);
        for (int i = 0; i < times.Length; i++)
        {
            var fresh = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = 3 });
            Assert.True(RelErr(all[i], fresh.TestMean(times[i], Data.NtkTd, Data.F0Train, Data.F0Test)) < 1e-12);
            Assert.True(RelErr(allTrain[i], fresh.TrainMean(times[i], Data.F0Train)) < 1e-12);
        }
    }

    [Fact]
    public void Constructor_KernelResultAndVectorTargets_MatchMatrixForm()
    {
        var y = Data.Y.Column(0);
        var a = new GradientDescentMse(Data.TrainTrain, y.ToColumnMatrix());
        var b = new GradientDescentMse(Data.Ntk, y);
        Assert.Equal(Data.N, b.TimeNormalization);
        Assert.True(RelErr(a.TestMeans([5.0], Data.TestTrain)[0], b.TestMean(5.0, Data.NtkTd)) < 1e-14);
        Assert.Throws<ArgumentException>(() => new GradientDescentMse(Data.TestTrain, Data.Y));
    }

    [Fact]
    public void DiagonalRegularization_RelativeToMeanTrace_EqualsAbsoluteScaledByTrace()
    {
        double r = 0.05, scale = Data.Ntk.Trace() / Data.N;
        var rel = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { DiagonalRegularization = r });
        var abs = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { DiagonalRegularization = r * scale, RegularizationIsAbsolute = true });
        var manual = new GradientDescentMse(Data.Ntk + r * scale * Matrix<double>.Build.DenseIdentity(Data.N), Data.Y);
        Assert.Equal(r * scale, rel.Regularization, 12);
        foreach (double t in new[] { 3.0, double.PositiveInfinity })
        {
            var m = manual.TestMean(t, Data.NtkTd);
            Assert.True(RelErr(rel.TestMean(t, Data.NtkTd), m) < 1e-12);
            Assert.True(RelErr(abs.TestMean(t, Data.NtkTd), m) < 1e-12);
        }
    }

    [Fact]
    public void MaxLearningRate_IsTwoNOverLargestEigenvalue()
    {
        var p = new GradientDescentMse(Data.Ntk, Data.Y);
        double lmax = Data.Ntk.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Real().Maximum();
        Assert.Equal(2.0 * Data.Size / lmax, p.MaxLearningRate, 1e-9 * p.MaxLearningRate);
        Assert.Equal(p.MaxLearningRate, GradientDescentMse.MaxLearningRateOf(Data.Ntk, Data.Size), 1e-9 * p.MaxLearningRate);
        var tooFast = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = 1.01 * p.MaxLearningRate });
        Assert.Throws<ArgumentOutOfRangeException>(() => tooFast.TrainMeansAfterSteps([3]));
        Assert.Equal(0.0, tooFast.TrainMeansAfterSteps([0])[0].FrobeniusNorm());
    }

    [Fact]
    public void SingularKernel_InfiniteTime_UsesPseudoInverseWithoutNaN()
    {
        // A repeated train point makes Θ exactly singular; consistent targets keep the interpolation well posed.
        var x = Data.XTrain.Data.Take(5 * 4).Concat(Data.XTrain.Data.Take(4)).ToArray();
        var kf = new NtkSharp.Kernels.KernelFunction(Data.Network);
        var xt = new Tensor(x, 6, 4);
        var kdd = kf.Compute(xt).Ntk!;
        var ktd = kf.Compute(Data.XTest, xt).Ntk!;
        var y = Matrix<double>.Build.Dense(6, 1, (i, _) => i == 5 ? 0.25 : 0.1 * i + 0.25);
        var p = new GradientDescentMse(kdd, y);
        var mean = p.TestMean(double.PositiveInfinity, ktd);
        Assert.All(mean.Enumerate(), v => Assert.True(double.IsFinite(v)));
        // The same data without the duplicate is non-singular: the limits agree.
        var reduced = new GradientDescentMse(kdd.SubMatrix(0, 5, 0, 5), y.SubMatrix(0, 5, 0, 1));
        var expected = reduced.TestMean(double.PositiveInfinity, ktd.SubMatrix(0, Data.M, 0, 5));
        Assert.True(RelErr(mean, expected) < 1e-6);
        Assert.True(RelErr(p.TrainMean(double.PositiveInfinity), y) < 1e-6);
    }

    [Fact]
    public void Errors_BadInputs_ThrowNamingArgument()
    {
        var p = new GradientDescentMse(Data.Ntk, Data.Y);
        Assert.Equal("times", Assert.Throws<ArgumentOutOfRangeException>(() => p.TrainMeans([1, -1])).ParamName);
        Assert.Equal("times", Assert.Throws<ArgumentOutOfRangeException>(() => p.TrainMeans([double.NaN])).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => p.TrainMeansAfterSteps([-2])).ParamName);
        Assert.Equal("ntkTestTrain", Assert.Throws<ArgumentException>(() => p.TestMean(1, Data.NtkTd.Transpose())).ParamName);
        Assert.Equal("initialTrain", Assert.Throws<ArgumentException>(() => p.TrainMean(1, Data.F0Test)).ParamName);
        Assert.Equal("initialTest", Assert.Throws<ArgumentException>(() => p.TestMean(1, Data.NtkTd, null, Data.F0Train)).ParamName);
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => new GradientDescentMse(Data.Ntk, Data.F0Test)).ParamName);
        var nan = Data.Y.Clone();
        nan[2, 1] = double.NaN;
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => new GradientDescentMse(Data.Ntk, nan)).ParamName);
        var asym = Data.Ntk.Clone();
        asym[0, 3] += 0.1;
        Assert.Equal("ntkTrainTrain", Assert.Throws<ArgumentException>(() => new GradientDescentMse(asym, Data.Y)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = -1 }));
        var indefinite = Data.Ntk - 2 * Data.Ntk.Diagonal().Maximum() * Matrix<double>.Build.DenseIdentity(Data.N) * 0.5 - Matrix<double>.Build.DenseIdentity(Data.N);
        var q = new GradientDescentMse(indefinite, Data.Y);
        var e = Assert.Throws<ArgumentException>(() => q.TestMean(2.0, Data.NtkTd));
        Assert.Equal("ntkTrainTrain", e.ParamName);
        Assert.Throws<ArgumentException>(() => q.TestMean(double.PositiveInfinity, Data.NtkTd));
    }

    [Fact]
    public void FitMeanPredictor_ComputesKernelsAndMatchesExplicitRoute()
    {
        var fitted = Predictors.FitMeanPredictor(Data.Network, Data.XTrain, Data.Y, new GradientDescentOptions { LearningRate = 2 });
        var explicitRoute = new GradientDescentMse(Data.Ntk, Data.Y, new GradientDescentOptions { LearningRate = 2 });
        var got = fitted.Predict(Data.XTest, [1.0, double.PositiveInfinity]);
        Assert.True(RelErr(got[0], explicitRoute.TestMean(1.0, Data.NtkTd)) < 1e-12);
        Assert.True(RelErr(got[1], explicitRoute.TestMean(double.PositiveInfinity, Data.NtkTd)) < 1e-12);
        Assert.Throws<ArgumentException>(() => Predictors.FitMeanPredictor(Data.Network, Data.XTrain, Data.F0Test));
    }
}
