using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// The GPU ensemble on ILGPU's CPU accelerator against the CPU ensemble: same initial parameters and mini-batches, so
/// every member's test outputs and training losses at every checkpoint agree to 1e-10 relative (only the order of the
/// GEMM sums differs).
/// </summary>
public class GpuEnsembleTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private const double Tolerance = 1e-10;
    private const int Members = 4;

    private static Tensor Inputs(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var data = new double[n * d];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return new Tensor(data, n, d);
    }

    private static Matrix<double> Targets(int n, int k, int seed)
    {
        var rng = new Random(seed);
        return Matrix<double>.Build.Dense(n, k, (_, _) => rng.NextDouble() * 2 - 1);
    }

    private static readonly Dictionary<string, (Func<Layer> Net, int Outputs, double Eta, int? Batch)> Cases = new()
    {
        ["relu-ntk-bias"] = (() => Serial(Dense(32, 1.5, 0.1), Relu(), Dense(32, 1.2, 0.2), Relu(), Dense(1, 1.0, 0.1)), 1, 0.5, null),
        ["erf-standard"] = (() => Serial(Dense(32, 1.3, 0.2, Parameterization.Standard), Erf(),
            Dense(1, 1.0, 0.05, Parameterization.Standard)), 1, 0.03, null),
        ["residual"] = (() => Serial(Dense(32, 1.0, 0.1), Relu(), FanOut(2),
            Parallel(Serial(Dense(32, 1.2, 0.05), Erf(), Dense(32)), Identity()), FanInSum(), Dense(1, 1.0, 0.1)), 1, 0.3, null),
        ["sgd-minibatch"] = (() => Serial(Dense(32, 1.4, 0.1), LeakyRelu(0.1), Dense(1, 1.0, 0.2)), 1, 0.4, 3),
        ["multi-output"] = (() => Serial(Dense(32, 1.2, 0.3), Abs(), Dense(32, 1.1), ABRelu(-0.4, 1.3), Dense(3, 1.0, 0.1)), 3, 0.3, null),
        ["quadrature-activations"] = (() => Serial(Dense(32, 1.3, 0.1), Tanh(), Dense(32, 1.2), Sigmoid(), Dense(32, 1.2), Softplus(),
            Dense(32, 1.1), Silu(), Dense(1, 1.0, 0.1)), 1, 0.3, null),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Train_OnIlgpuCpu_MatchesCpuEnsembleAtEveryCheckpoint(string name)
    {
        var (net, k, eta, batch) = Cases[name];
        var x = Inputs(8, 5, 1);
        var xTest = Inputs(3, 5, 2);
        var y = Targets(8, k, 3);
        var options = new EnsembleOptions { Members = Members, LearningRate = eta, Checkpoints = [0, 1, 3, 6], Seed = 42, BatchSize = batch, RecordNtk = name == "relu-ntk-bias" };
        var cpu = Ensemble.Train(net(), x, y, xTest, options);
        var gpu = Ensemble.Train(net(), x, y, xTest, options, fixture.Context);
        AssertSame(cpu, gpu);
        Assert.True(gpu.MeanTrainingLoss(3) < gpu.MeanTrainingLoss(0), $"training did not reduce the loss ({gpu.MeanTrainingLoss(0)} → {gpu.MeanTrainingLoss(3)})");
        if (options.RecordNtk)
        {
            AssertClose(cpu.InitialNtk!.Enumerate().ToArray(), gpu.InitialNtk!.Enumerate().ToArray(), "initial NTK");
            AssertClose(cpu.FinalNtk!.Enumerate().ToArray(), gpu.FinalNtk!.Enumerate().ToArray(), "final NTK");
        }
        else
        {
            Assert.Null(gpu.InitialNtk);
            Assert.Null(gpu.FinalNtk);
        }
    }

    /// <summary>Dense acts on the channel axis at every position of (L, C) inputs, then Flatten: the per-position GEMMs
    /// (rows = examples × positions) and the Flatten copies on the device.</summary>
    [Fact]
    public void Train_DenseOnPositionsThenFlatten_MatchesCpuEnsemble()
    {
        var net = Serial(Dense(12, 1.4, 0.1), Relu(), Flatten(), Dense(2, 1.0, 0.1));
        var rng = new Random(9);
        var x = new Tensor(Enumerable.Range(0, 8 * 4 * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 8, 4, 3);
        var xTest = new Tensor(Enumerable.Range(0, 3 * 4 * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 3, 4, 3);
        var y = Targets(8, 2, 10);
        var options = new EnsembleOptions { Members = 3, LearningRate = 0.3, Checkpoints = [0, 2, 5], Seed = 4, RecordNtk = false };
        var cpu = Ensemble.Train(net, x, y, xTest, options);
        var gpu = Ensemble.Train(net, x, y, xTest, options, fixture.Context);
        AssertSame(cpu, gpu);
    }

    [Fact]
    public void Train_CpuContext_DelegatesExactly()
    {
        var (net, k, eta, batch) = Cases["sgd-minibatch"];
        var x = Inputs(8, 5, 4);
        var y = Targets(8, k, 5);
        var options = new EnsembleOptions { Members = 3, LearningRate = eta, Checkpoints = [0, 4], Seed = 9, BatchSize = batch };
        var direct = Ensemble.Train(net(), x, y, x, options);
        using var cpu = ComputeContext.Cpu();
        var viaContext = Ensemble.Train(net(), x, y, x, options, cpu);
        Assert.Equal(direct.MemberOutputs.ToArray(), viaContext.MemberOutputs.ToArray());
        Assert.Equal(direct.MeanTrainingLoss(1), viaContext.MeanTrainingLoss(1));
        Assert.Equal(direct.InitialNtk, viaContext.InitialNtk);
    }

    /// <summary>A learning rate far above the stability limit: the GPU ensemble raises the CPU's exception, at the earliest
    /// step any member diverges (never later than member 0 on the CPU, and at the same step and loss when it is member 0).</summary>
    [Fact]
    public void Train_LearningRateTooLarge_ThrowsEnsembleDivergedLikeCpu()
    {
        var (net, k, _, _) = Cases["relu-ntk-bias"];
        var x = Inputs(8, 5, 6);
        var y = Targets(8, k, 7);
        var options = new EnsembleOptions { Members = Members, LearningRate = 200, Checkpoints = [0, 40], Seed = 3, RecordNtk = false, MaxDegreeOfParallelism = 1 };
        var cpu = Assert.Throws<EnsembleDivergedException>(() => Ensemble.Train(net(), x, y, x, options));
        var gpu = Assert.Throws<EnsembleDivergedException>(() => Ensemble.Train(net(), x, y, x, options, fixture.Context));
        Assert.Equal(0, cpu.Member);
        Assert.InRange(gpu.Member, 0, Members - 1);
        Assert.True(gpu.Step <= cpu.Step, $"GPU step {gpu.Step}, CPU member 0 step {cpu.Step}");
        Assert.Equal(200, gpu.LearningRate);
        Assert.True(double.IsFinite(gpu.EstimatedMaxLearningRate) && gpu.EstimatedMaxLearningRate is > 0 and < 200);
        if (gpu.Member == 0)
        {
            Assert.Equal(cpu.Step, gpu.Step);
            Assert.Equal(cpu.EstimatedMaxLearningRate, gpu.EstimatedMaxLearningRate);
            Assert.True(Math.Abs(gpu.Loss - cpu.Loss) <= 1e-8 * Math.Abs(cpu.Loss) || (double.IsInfinity(cpu.Loss) && double.IsInfinity(gpu.Loss)));
        }
    }

    [Fact]
    public void Train_CancelledFromProgress_StopsBetweenSteps()
    {
        var (net, k, eta, _) = Cases["relu-ntk-bias"];
        var x = Inputs(8, 5, 8);
        var y = Targets(8, k, 9);
        var options = new EnsembleOptions { Members = Members, LearningRate = eta, Checkpoints = [0, 50], RecordNtk = false };
        using var cts = new CancellationTokenSource();
        var reports = new List<EnsembleProgress>();
        var progress = new SynchronousProgress(p =>
        {
            reports.Add(p);
            if (p.Done >= 2 * Members) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Ensemble.Train(net(), x, y, x, options, fixture.Context, progress, cts.Token));
        Assert.Equal(2 * Members, reports[^1].Done);
        Assert.Equal(50L * Members, reports[^1].Total);
        cts.Dispose();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Ensemble.Train(net(), x, y, x, options, fixture.Context, null, cancelled.Token));
    }

    [Fact]
    public void Train_ProgressOnDevice_ReachesTotal()
    {
        var (net, k, eta, _) = Cases["relu-ntk-bias"];
        var x = Inputs(8, 5, 10);
        var reports = new List<EnsembleProgress>();
        Ensemble.Train(net(), x, Targets(8, k, 11), x, new EnsembleOptions { Members = Members, LearningRate = eta, Checkpoints = [3], RecordNtk = false },
            fixture.Context, new SynchronousProgress(reports.Add));
        Assert.Equal([Members, 2 * Members, 3 * Members], reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal(3L * Members, r.Total));
    }

    [Fact]
    public void Train_ConvolutionOnDevice_ThrowsNotSupportedNamingTheLayer()
    {
        var net = Serial(Dense(4), Relu(), Conv(2, (2, 2)), Flatten(), Dense(1));
        var x = new Tensor(Inputs(4, 9, 12).Data, 4, 3, 3, 1);
        var e = Assert.Throws<NotSupportedException>(() => Ensemble.Train(net, x, Targets(4, 1, 13), x,
            new EnsembleOptions { Members = 2, Checkpoints = [1] }, fixture.Context));
        Assert.Contains("[2]", e.Message);
        Assert.Contains("Conv", e.Message);
    }

    [CudaFact]
    public void Train_OnCudaWithCublas_MatchesCpuEnsemble()
    {
        using var context = ComputeContext.Cuda();
        Assert.NotNull(context.Blas);
        foreach (string name in Cases.Keys)
        {
            var (net, k, eta, batch) = Cases[name];
            var x = Inputs(40, 20, 14);
            var xTest = Inputs(7, 20, 15);
            var y = Targets(40, k, 16);
            var options = new EnsembleOptions { Members = 16, LearningRate = eta, Checkpoints = [0, 2, 10], Seed = 5, BatchSize = batch is null ? null : 7, RecordNtk = false };
            AssertSame(Ensemble.Train(net(), x, y, xTest, options), Ensemble.Train(net(), x, y, xTest, options, context));
        }
    }

    private static void AssertSame(EnsembleResult cpu, EnsembleResult gpu)
    {
        Assert.Equal(cpu.Steps, gpu.Steps);
        Assert.Equal(cpu.Members, gpu.Members);
        int block = cpu.TestCount * cpu.OutputSize;
        for (int c = 0; c < cpu.Steps.Count; c++)
        {
            var expected = cpu.MemberOutputs.Slice(c * cpu.Members * block, cpu.Members * block).ToArray();
            var actual = gpu.MemberOutputs.Slice(c * cpu.Members * block, cpu.Members * block).ToArray();
            AssertClose(expected, actual, $"outputs at checkpoint {cpu.Steps[c]}");
            AssertClose([cpu.MeanTrainingLoss(c)], [gpu.MeanTrainingLoss(c)], $"mean loss at checkpoint {cpu.Steps[c]}");
            for (int m = 0; m < cpu.Members; m++)
            {
                AssertClose(cpu.MemberOutput(c, m).Enumerate().ToArray(), gpu.MemberOutput(c, m).Enumerate().ToArray(), $"member {m} at checkpoint {cpu.Steps[c]}");
            }
        }
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs), err = 0;
        for (int i = 0; i < expected.Length; i++) err = Math.Max(err, Math.Abs(expected[i] - actual[i]));
        Assert.True(err <= Tolerance * scale, $"{what}: max |Δ| = {err:E3} > {Tolerance:E0}·{scale:E3}");
    }

    private sealed class SynchronousProgress(Action<EnsembleProgress> report) : IProgress<EnsembleProgress>
    {
        public void Report(EnsembleProgress value) => report(value);
    }
}
