using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using Xunit;
using Xunit.Abstractions;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

/// <summary>
/// Finite-width ensembles trained by gradient descent against the infinite-width predictor's discrete-time mean
/// (Lee et al. 2019): within Monte Carlo error plus a finite-width bias that shrinks with the width.
/// </summary>
public class EnsembleTests(ITestOutputHelper output)
{
    private static readonly double[,] XTrain =
    {
        { 1.0, -0.5, 0.8 }, { -0.3, 1.2, 0.4 }, { 0.9, 0.7, -1.1 }, { 0.2, -1.0, -0.6 }, { -0.8, -0.2, 0.9 },
    };

    private static readonly double[,] XTest = { { 0.5, 0.5, 0.1 }, { -1.0, 0.3, 0.2 }, { 0.1, -0.7, 1.0 } };

    private static readonly Matrix<double> YTrain = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.6 }, { -0.4 }, { 0.3 }, { -0.8 }, { 0.5 } });

    private static Layer Net(int width) => Serial(Dense(width, wStd: 1.5, bStd: 0.1), Relu(), Dense(1, wStd: 1.3, bStd: 0.2));

    [Fact]
    public void Train_EnsembleMean_MatchesPredictorDiscreteTimeMeanWithinErrorPlusShrinkingWidthBias()
    {
        var kf = new KernelFunction(Net(1));
        var train = kf.Compute(XTrain, outputs: KernelOutputs.Ntk);
        var testTrain = kf.Compute(XTest, XTrain, KernelOutputs.Ntk);
        double maxLr = GradientDescentMse.MaxLearningRateOf(train.Ntk!, YTrain.RowCount * YTrain.ColumnCount);
        double eta = 0.5 * maxLr;
        int[] steps = [0, 3, 20, 100];
        var gd = new GradientDescentMse(train.Ntk!, YTrain, new GradientDescentOptions { LearningRate = eta });
        var exact = gd.TestMeansAfterSteps(steps, testTrain.Ntk!);
        const int Members = 400;
        foreach (int width in new[] { 256, 512 })
        {
            var r = Ensemble.Train(Net(width), XTrain, YTrain, XTest,
                new EnsembleOptions { Members = Members, LearningRate = eta, Checkpoints = steps, Seed = 17, RecordNtk = false });
            // Finite-width bias of the mean is O(1/width) (Dyer & Gur-Ari 2020); allow 0.05·max|Y| at width 256, halving per doubling.
            double bias = 0.05 * YTrain.Enumerate().Max(Math.Abs) * 256.0 / width;
            for (int s = 0; s < steps.Length; s++)
            {
                var mean = r.Mean(s);
                var se = r.StandardError(s);
                for (int i = 0; i < XTest.GetLength(0); i++)
                {
                    double err = Math.Abs(mean[i, 0] - exact[s][i, 0]);
                    output.WriteLine($"width {width} step {steps[s]} x{i}: ensemble {mean[i, 0]:F4} ± {se[i, 0]:F4}, predictor {exact[s][i, 0]:F4}, |err|/(4se+bias) = {err / (4 * se[i, 0] + bias):F2}");
                    Assert.True(err <= 4 * se[i, 0] + bias,
                        $"width {width}, step {steps[s]}, test input {i}: ensemble mean {mean[i, 0]:G5} ± {se[i, 0]:G3} vs predictor {exact[s][i, 0]:G5}");
                }
            }
            Assert.True(r.MeanTrainingLoss(steps.Length - 1) < 0.2 * r.MeanTrainingLoss(0));
        }
    }

    [Fact]
    public void Train_StepZero_OutputsHaveZeroMeanAndNngpCovariance()
    {
        // One hidden layer: the output covariance over initialisations equals the NNGP at any width.
        const int Members = 2000;
        var r = Ensemble.Train(Net(256), XTrain, YTrain, XTest,
            new EnsembleOptions { Members = Members, LearningRate = 0.1, Checkpoints = [0], Seed = 5, RecordNtk = false });
        var k = new KernelFunction(Net(1)).Compute(XTest, outputs: KernelOutputs.Nngp).Nngp!;
        int n = XTest.GetLength(0);
        var f = Matrix<double>.Build.Dense(Members, n, (m, i) => r.MemberOutput(0, m)[i, 0]);
        var mean = r.Mean(0);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(mean[i, 0]) <= 4 * Math.Sqrt(k[i, i] / Members), $"mean of input {i}: {mean[i, 0]:G4}");
            for (int j = 0; j < n; j++)
            {
                double cov = 0;
                for (int m = 0; m < Members; m++) cov += (f[m, i] - mean[i, 0]) * (f[m, j] - mean[j, 0]);
                cov /= Members - 1;
                double se = Math.Sqrt((k[i, i] * k[j, j] + k[i, j] * k[i, j]) / Members);
                Assert.True(Math.Abs(cov - k[i, j]) <= 4 * se, $"cov[{i},{j}] = {cov:G4} vs NNGP {k[i, j]:G4} (se {se:G3})");
            }
            Assert.Equal(r.Variance(0)[i, 0], f.Column(i).Variance(), 10);
        }
    }

    [Fact]
    public void Train_LearningRateAboveMax_ReportsDivergenceNotNaN()
    {
        var train = new KernelFunction(Net(1)).Compute(XTrain, outputs: KernelOutputs.Ntk);
        double maxLr = GradientDescentMse.MaxLearningRateOf(train.Ntk!, 5);
        var e = Assert.Throws<EnsembleDivergedException>(() => Ensemble.Train(Net(512), XTrain, YTrain, XTest,
            new EnsembleOptions { Members = 4, LearningRate = 3 * maxLr, Checkpoints = [0, 2000], Seed = 1 }));
        Assert.InRange(e.EstimatedMaxLearningRate, 0.8 * maxLr, 1.25 * maxLr);
        Assert.True(e.Step > 0);
        var ok = Ensemble.Train(Net(512), XTrain, YTrain, XTest,
            new EnsembleOptions { Members = 4, LearningRate = 0.9 * maxLr, Checkpoints = [0, 2000], Seed = 1 });
        Assert.True(ok.MemberOutputs.ToArray().All(double.IsFinite));
    }

    [Fact]
    public void Train_WiderNetworks_EmpiricalNtkMovesLess()
    {
        double Movement(int width)
        {
            var train = new KernelFunction(Net(1)).Compute(XTrain, outputs: KernelOutputs.Ntk);
            double eta = 0.5 * GradientDescentMse.MaxLearningRateOf(train.Ntk!, 5);
            var r = Ensemble.Train(Net(width), XTrain, YTrain, XTest,
                new EnsembleOptions { Members = 1, LearningRate = eta, Checkpoints = [0, 300], Seed = 2 });
            return (r.FinalNtk! - r.InitialNtk!).FrobeniusNorm() / r.InitialNtk!.FrobeniusNorm();
        }
        double narrow = Movement(32), wide = Movement(2048);
        output.WriteLine($"relative NTK change: width 32 {narrow:G3}, width 2048 {wide:G3}");
        Assert.True(wide < 0.25 * narrow, $"width 2048 moved {wide:G3}, width 32 moved {narrow:G3}");
    }

    [Fact]
    public void Train_ThreadCountAndFullMiniBatch_DoNotChangeResults()
    {
        var o = new EnsembleOptions { Members = 6, LearningRate = 0.5, Checkpoints = [0, 7, 25], Seed = 9, RecordNtk = false };
        var one = Ensemble.Train(Net(64), XTrain, YTrain, XTest, o with { MaxDegreeOfParallelism = 1 });
        var two = Ensemble.Train(Net(64), XTrain, YTrain, XTest, o with { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.MemberOutputs.ToArray(), two.MemberOutputs.ToArray());
        // A mini-batch of the whole training set is full-batch gradient descent up to summation order.
        var sgdAll = Ensemble.Train(Net(64), XTrain, YTrain, XTest, o with { BatchSize = 5 });
        var a = one.MemberOutputs.ToArray();
        var b = sgdAll.MemberOutputs.ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 9);
    }

    [Fact]
    public void Train_MiniBatchSgd_ReducesTrainingLoss()
    {
        var r = Ensemble.Train(Net(128), XTrain, YTrain, XTest,
            new EnsembleOptions { Members = 3, LearningRate = 0.5, Checkpoints = [0, 400], BatchSize = 2, Seed = 4, RecordNtk = false });
        Assert.True(r.MeanTrainingLoss(1) < 0.3 * r.MeanTrainingLoss(0), $"{r.MeanTrainingLoss(0):G3} -> {r.MeanTrainingLoss(1):G3}");
    }

    [Fact]
    public void Train_BadInputs_ThrowNamingTheArgument()
    {
        var y = YTrain.Clone();
        y[2, 0] = double.NaN;
        var o = new EnsembleOptions { Checkpoints = [0, 1] };
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => Ensemble.Train(Net(8), XTrain, y, XTest, o)).ParamName);
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => Ensemble.Train(Net(8), XTrain, Matrix<double>.Build.Dense(5, 2), XTest, o)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ensemble.Train(Net(8), XTrain, YTrain, XTest, o with { LearningRate = -1 }));
        Assert.Throws<ArgumentException>(() => Ensemble.Train(Net(8), XTrain, YTrain, XTest, o with { Checkpoints = [1, 1] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ensemble.Train(Net(8), XTrain, YTrain, XTest, o with { BatchSize = 6 }));
        Assert.Equal("xTest", Assert.Throws<ArgumentException>(() => Ensemble.Train(Net(8), XTrain, YTrain, new double[,] { { 1, 2 } }, o)).ParamName);
    }

    [Fact]
    public void Train_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Ensemble.Train(Net(8), XTrain, YTrain, XTest,
            new EnsembleOptions { Checkpoints = [0, 10] }, cancellationToken: cts.Token));
    }
}
