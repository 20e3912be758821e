using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite.Ensembles;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Gpu;

/// <summary>The GPU ensemble keeps every member's parameters at every checkpoint like the CPU ensemble, so an ensemble
/// trained on the device evaluates on new inputs (on ILGPU's CPU accelerator, against the CPU ensemble).</summary>
public class GpuEnsembleEvaluateTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    [Fact]
    public void Evaluate_GpuTrained_MatchesCpuTrainedOnNewInputs()
    {
        var rng = new Random(5);
        Tensor Inputs(int n) => new(Enumerable.Range(0, n * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), n, 3);
        var x = Inputs(6);
        var y = Matrix<double>.Build.Dense(6, 1, (i, _) => Math.Cos(i));
        var test = Inputs(3);
        var other = Inputs(5);
        var options = new EnsembleOptions { Members = 3, LearningRate = 0.5, Checkpoints = [0, 4, 12], Seed = 2, RecordNtk = false };
        var net = Serial(Dense(24, wStd: 1.4, bStd: 0.1), Relu(), Dense(1, wStd: 1.2, bStd: 0.1));

        var cpu = Ensemble.Train(net, x, y, test, options).Evaluate(other).MemberOutputs.ToArray();
        var gpu = Ensemble.Train(net, x, y, test, options, fixture.Context).Evaluate(other).MemberOutputs.ToArray();

        double scale = cpu.Max(Math.Abs), worst = cpu.Zip(gpu, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-10 * scale, $"largest difference {worst:E2} (scale {scale:E2})");
    }
}
