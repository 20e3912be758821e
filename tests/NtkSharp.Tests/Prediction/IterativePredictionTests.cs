using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Prediction;
using Xunit;
using static NtkSharp.Tests.Prediction.PredictionTestData;

namespace NtkSharp.Tests.Prediction;

/// <summary>The block Lanczos route against the eigen route (ForceEigenRoute: eigenbasis at every time), exact
/// closed forms and literal gradient descent.</summary>
public sealed class IterativePredictionTests
{
    private static readonly GradientDescentOptions Iter = new() { Solver = PredictionSolver.Iterative };
    private static readonly GradientDescentOptions Eig = new() { Solver = PredictionSolver.Eigen };

    /// <summary>A joint (N+M)×(N+M) PSD kernel Q·diag(λ)·Qᵀ with the given spectrum, split into train-train and
    /// test-train blocks.</summary>
    private static (Matrix<double> Kdd, Matrix<double> Ktd) Joint(int n, int m, Func<int, double> lambda, int seed)
    {
        var rng = new Random(seed);
        var g = Matrix<double>.Build.Dense(n + m, n + m, (_, _) => NormalSample(rng));
        var q = g.QR().Q;
        var l = Matrix<double>.Build.DenseOfDiagonalArray(Enumerable.Range(0, n + m).Select(lambda).ToArray());
        var k = q * l * q.Transpose();
        k = 0.5 * (k + k.Transpose());
        return (k.SubMatrix(0, n, 0, n), k.SubMatrix(n, m, 0, n));
    }

    private static double NormalSample(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static Matrix<double> RandomY(int n, int k, int seed)
    {
        var rng = new Random(seed);
        return Matrix<double>.Build.Dense(n, k, (_, _) => NormalSample(rng));
    }

    private static void AssertClose(IReadOnlyList<Matrix<double>> actual, IReadOnlyList<Matrix<double>> expected, double tol, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double e = RelErr(actual[i], expected[i]);
            Assert.True(e < tol, $"{what}[{i}]: relative difference {e:G3} (tolerance {tol:G1})");
        }
    }

    [Fact]
    public void Iterative_RandomSpdWithInitialOutputs_MatchesEigenRoute()
    {
        var (kdd, ktd) = Joint(120, 15, i => 1e-3 + Math.Pow(0.9, i) * 50, 1);
        var y = RandomY(120, 3, 2);
        var f0 = 0.1 * RandomY(120, 3, 3);
        var f0t = 0.1 * RandomY(15, 3, 4);
        double[] times = [0, 0.5, 10, 1000, double.PositiveInfinity];
        var it = new GradientDescentMse(kdd, y, Iter);
        var ei = new GradientDescentMse(kdd, y, Eig) { ForceEigenRoute = true };
        AssertClose(it.TestMeans(times, ktd, f0, f0t), ei.TestMeans(times, ktd, f0, f0t), 1e-8, "test");
        AssertClose(it.TrainMeans(times, f0), ei.TrainMeans(times, f0), 1e-8, "train");
    }

    [Fact]
    public void Iterative_RealNtkManyTimesMultiOutput_MatchesEigenRoute()
    {
        var data = new PredictionTestData(nTrain: 90, nTest: 10, outputs: 5, seed: 5);
        double[] times = [0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1e3, 1e4, double.PositiveInfinity];
        var it = new GradientDescentMse(data.Ntk, data.Y, Iter);
        var ei = new GradientDescentMse(data.Ntk, data.Y, Eig) { ForceEigenRoute = true };
        var p = it.PredictMeans(times, data.NtkTd);
        Assert.Equal(PredictionSolver.Iterative, p.Report.Solver);
        Assert.True(p.Report.Iterations > 0, $"iterations {p.Report.Iterations}");
        var q = ei.PredictMeans(times, data.NtkTd);
        AssertClose(p.Test, q.Test, 1e-8, "test");
        AssertClose(p.Train, q.Train, 1e-8, "train");
    }

    [Fact]
    public void Iterative_IllConditionedKernel_MatchesEigenAtFiniteTimesAndExactInterpolantAtInfinity()
    {
        // λ from 1 down to 1e-12 (geometric); N = 60, M = 8.
        int n = 60, m = 8;
        var (kdd, ktd) = Joint(n, m, i => Math.Pow(1e-12, i / (double)(n + m - 1)), 7);
        double lmin = kdd.Evd().EigenValues.Real().Minimum(), lmax = kdd.Evd().EigenValues.Real().Maximum();
        Assert.True(lmin / lmax < 1e-9, $"condition {lmin / lmax:G3}");
        var y = RandomY(n, 2, 8);
        double[] finite = [1, 1e3, 1e6];
        var it = new GradientDescentMse(kdd, y, Iter);
        var ei = new GradientDescentMse(kdd, y, Eig) { ForceEigenRoute = true };
        AssertClose(it.TestMeans(finite, ktd), ei.TestMeans(finite, ktd), 1e-8, "test");
        AssertClose(it.TrainMeans(finite), ei.TrainMeans(finite), 1e-8, "train");
        // t = ∞ with targets in the kernel's range, Y = Θ·W: the interpolant is Θ(x, X)·W exactly.
        var w = RandomY(n, 2, 9);
        var yr = kdd * w;
        var inf = new GradientDescentMse(kdd, yr, Iter).TestMean(double.PositiveInfinity, ktd);
        double e = RelErr(inf, ktd * w);
        Assert.True(e < 1e-8, $"t = ∞ relative error {e:G3}");
    }

    [Fact]
    public void Iterative_SingularKernelAtInfinity_AgreesWithEigenClamp()
    {
        var data = new PredictionTestData(nTrain: 20, nTest: 6, outputs: 2, seed: 11);
        // Duplicate train points 0..4 as points 20..24 with different targets: Θ has a 5-dimensional null space and
        // the pseudo-inverse (eigen clamp) averages the conflicting targets.
        var x = data.XTrain.Data.Concat(data.XTrain.Data.Take(5 * 4)).ToArray();
        var xt = new Tensor(x, 25, 4);
        var kf = new NtkSharp.Kernels.KernelFunction(data.Network);
        var kdd = kf.Compute(xt).Ntk!;
        var ktd = kf.Compute(data.XTest, xt).Ntk!;
        var y = RandomY(25, 2, 12);
        double[] times = [5, double.PositiveInfinity];
        var it = new GradientDescentMse(kdd, y, Iter).PredictMeans(times, ktd);
        var ei = new GradientDescentMse(kdd, y, Eig) { ForceEigenRoute = true }.PredictMeans(times, ktd);
        AssertClose(it.Test, ei.Test, 1e-8, "test");
        AssertClose(it.Train, ei.Train, 1e-8, "train");
        Assert.All(it.Test[1].Enumerate(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void IterativeAfterSteps_EqualsLiteralLinearisedGradientDescent()
    {
        var data = new PredictionTestData(nTrain: 40, nTest: 7, outputs: 3, seed: 13);
        int n = data.Size;
        var it = new GradientDescentMse(data.Ntk, data.Y, Iter with { LearningRate = 0.9 * new GradientDescentMse(data.Ntk, data.Y, Eig).MaxLearningRate });
        double h = it.Options.LearningRate / n;
        int[] steps = [1, 7, 60];
        var p = it.PredictMeansAfterSteps(steps, data.NtkTd);
        var f = Matrix<double>.Build.Dense(data.N, 3);
        var ft = Matrix<double>.Build.Dense(data.M, 3);
        int done = 0;
        for (int s = 0; s < steps.Length; s++)
        {
            for (; done < steps[s]; done++)
            {
                var r = f - data.Y;
                ft -= h * (data.NtkTd * r);
                f -= h * (data.Ntk * r);
            }
            Assert.True(RelErr(p.Train[s], f) < 1e-9, $"train after {steps[s]} steps: {RelErr(p.Train[s], f):G3}");
            Assert.True(RelErr(p.Test[s], ft) < 1e-9, $"test after {steps[s]} steps: {RelErr(p.Test[s], ft):G3}");
        }
    }

    [Fact]
    public void IterativeAfterSteps_LearningRateAboveMaximum_Throws()
    {
        var data = new PredictionTestData(nTrain: 30, nTest: 4, outputs: 1, seed: 14);
        double max = new GradientDescentMse(data.Ntk, data.Y, Eig).MaxLearningRate;
        var it = new GradientDescentMse(data.Ntk, data.Y, Iter with { LearningRate = 1.5 * max });
        Assert.Equal(max, it.MaxLearningRate, max * 1e-10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => it.PredictMeansAfterSteps([3], data.NtkTd));
        Assert.Equal(nameof(GradientDescentOptions.LearningRate), e.ParamName);
    }

    private sealed class CancelAfter(CancellationTokenSource cts, int iteration) : IProgress<IterativeProgress>
    {
        public int Last { get; private set; }

        public void Report(IterativeProgress value)
        {
            Last = value.Iteration;
            if (value.Iteration >= iteration) cts.Cancel();
        }
    }

    [Fact]
    public void Iterative_CancelledMidIteration_ThrowsOperationCanceled()
    {
        var (kdd, ktd) = Joint(200, 5, i => Math.Pow(0.97, i), 21);
        var y = RandomY(200, 1, 22);
        using var cts = new CancellationTokenSource();
        var progress = new CancelAfter(cts, 3);
        var it = new GradientDescentMse(kdd, y, Iter);
        Assert.ThrowsAny<OperationCanceledException>(() => it.PredictMeans([double.PositiveInfinity], ktd, progress, cts.Token));
        Assert.Equal(3, progress.Last);
    }

    [Fact]
    public void Iterative_KrylovLimitTooSmall_ThrowsConvergenceErrorNotAResult()
    {
        var (kdd, ktd) = Joint(100, 5, i => Math.Pow(1e-8, i / 104.0), 23);
        var y = RandomY(100, 1, 24);
        var it = new GradientDescentMse(kdd, y, Iter with { MaxKrylovDimension = 6 });
        var e = Assert.Throws<IterativeConvergenceException>(() => it.TestMeans([double.PositiveInfinity], ktd));
        Assert.Equal(6, e.Iterations);
        Assert.True(e.EstimatedRelativeError > 1e-10, $"estimate {e.EstimatedRelativeError:G3}");
    }

    [Fact]
    public void Auto_ChoosesByTrainCount()
    {
        var data = new PredictionTestData(nTrain: 30, nTest: 4, outputs: 1, seed: 15);
        Assert.Equal(PredictionSolver.Eigen, new GradientDescentMse(data.Ntk, data.Y).Solver);
        var low = new GradientDescentOptions { AutoIterativeThreshold = 10 };
        var p = new GradientDescentMse(data.Ntk, data.Y, low);
        Assert.Equal(PredictionSolver.Iterative, p.Solver);
        var r = p.PredictMeans([1, double.PositiveInfinity], data.NtkTd);
        Assert.Equal(PredictionSolver.Iterative, r.Report.Solver);
        var e = new GradientDescentMse(data.Ntk, data.Y, Eig) { ForceEigenRoute = true }.PredictMeans([1, double.PositiveInfinity], data.NtkTd);
        AssertClose(r.Test, e.Test, 1e-8, "test");
    }

    [Fact]
    public void Auto_HardKernelBeyondBudget_FallsBackToEigenRoute()
    {
        // 100 eigenvalues spread geometrically over 10 decades: CG at t = ∞ needs far more than auto's 64 directions.
        var (kdd, ktd) = Joint(100, 5, i => Math.Pow(1e-10, i / 104.0), 25);
        var y = RandomY(100, 1, 26);
        var auto = new GradientDescentMse(kdd, y, new GradientDescentOptions { AutoIterativeThreshold = 50 });
        Assert.Equal(PredictionSolver.Iterative, auto.Solver);
        var r = auto.PredictMeans([double.PositiveInfinity], ktd);
        Assert.True(r.Report.FellBack, $"report {r.Report}");
        Assert.Equal(PredictionSolver.Eigen, r.Report.Solver);
        var e = new GradientDescentMse(kdd, y, Eig).PredictMeans([double.PositiveInfinity], ktd);
        AssertClose(r.Test, e.Test, 1e-12, "test");
    }

    [Fact]
    public void Options_BadTolerance_ThrowsNamingIt()
    {
        var data = new PredictionTestData(nTrain: 10, nTest: 2, outputs: 1, seed: 16);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDescentMse(data.Ntk, data.Y, Iter with { IterativeTolerance = 0 }));
        Assert.Equal(nameof(GradientDescentOptions.IterativeTolerance), e.ParamName);
    }
}
