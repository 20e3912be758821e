using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// <see cref="Dropout"/> on the GPU engines (ILGPU's CPU accelerator): the kernels match the CPU engine to 1e-12 of the
/// largest entry — fully connected (fused per-entry program: self pass and tiles), convolutional in the diagonal layout
/// (thread kernel) and the full layout (group kernel), symmetric and rectangular, over several tiles — and the GPU
/// ensemble draws the CPU ensemble's masks (same seed), so every member's outputs and losses agree to 1e-10.
/// </summary>
public class DropoutGpuTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private static Tensor Inputs(int n, int d, int seed) => GpuEngineParityTests.Inputs(n, d, seed);

    [Fact]
    public void Compute_DropoutMlpOnIlgpuCpu_MatchesCpuEngine()
    {
        var net = Serial(Dense(64, 1.4, 0.1), Relu(), Dense(64, 1.2, 0.1), Dropout(0.6), Dense(64, 1.1), Erf(), FanOut(2),
            Parallel(Serial(Dense(64, 1.2, 0.05), Dropout(0.3)), Identity()), FanInSum(), Dense(1, 1.0, 0.1));
        var x = Inputs(23, 7, 1);
        var y = Inputs(11, 7, 2);
        var budget = new KernelOptions { MemoryBudgetBytes = 2 * 2 * 8 * 16 * 16 }; // several 16 × 16 tiles
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        AssertClose(cpu.Compute(x), gpu.Compute(x, options: budget));
        AssertClose(cpu.Compute(x, y), gpu.Compute(x, y, options: budget));
        AssertClose(cpu.Compute(x, outputs: KernelOutputs.Nngp).Nngp, gpu.Compute(x, outputs: KernelOutputs.Nngp, options: budget).Nngp);
    }

    [Theory]
    [InlineData("flatten-diagonal")]
    [InlineData("gap-full")]
    [InlineData("flatten-after-pool-full")]
    public void Compute_ConvDropoutOnIlgpuCpu_MatchesCpuSpatialEngine(string name)
    {
        var net = name switch
        {
            "flatten-diagonal" => Serial(Conv(3, (2, 2), padding: Padding.Same, wStd: 1.3, bStd: 0.1), Relu(), Conv(2, (2, 2)),
                Dropout(0.5), Conv(2, (2, 2), padding: Padding.Same), Erf(), Flatten(), Dense(1)),
            "gap-full" => Serial(Conv(2, (2, 2), padding: Padding.Same), Relu(), Conv(2, (2, 2), padding: Padding.Circular, bStd: 0.2),
                Dropout(0.35), GlobalAvgPool(), Dense(1)),
            _ => Serial(Conv(2, (2, 2), padding: Padding.Same), Relu(), AvgPool((2, 2), padding: Padding.Same), Conv(2, (2, 2)),
                Dropout(0.7), Conv(2, (2, 2), padding: Padding.Same), Abs(), Flatten(), Dense(1)),
        };
        var x = new Tensor(Inputs(5, 4 * 4 * 2, 21).Data, 5, 4, 4, 2);
        var y = new Tensor(Inputs(3, 4 * 4 * 2, 22).Data, 3, 4, 4, 2);
        var spatial = SpatialProgram.Compile(net, [4, 4, 2]);
        Assert.Equal(name == "flatten-diagonal" ? SpatialLayout.Diagonal : SpatialLayout.Full, spatial.Layout);
        var budget = new KernelOptions { MemoryBudgetBytes = 8L * 3 * ((2L * spatial.Registers + 1) * spatial.MaxSize + 2) };
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        AssertClose(cpu.Compute(x), gpu.Compute(x, options: budget));
        AssertClose(cpu.Compute(x, y), gpu.Compute(x, y, options: budget));
    }

    /// <summary>Group signals: Dropout scales the identity block's same-position entries (full layout, before GroupPool)
    /// or the collapsed diagonal (Flatten readout).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compute_GcnnDropoutOnIlgpuCpu_MatchesCpuEngine(bool pooled)
    {
        var net = pooled
            ? Serial(LiftingConv(2, PlanarGroup.P4, (3, 3), Padding.Circular, wStd: 1.3, bStd: 0.1), Relu(),
                GroupConv(2, PlanarGroup.P4, (3, 3), Padding.Circular, bStd: 0.2), Dropout(0.45), GroupPool(), GlobalAvgPool(), Dense(1))
            : Serial(LiftingConv(2, PlanarGroup.P4M, (3, 3), Padding.Same), Relu(), GroupConv(2, PlanarGroup.P4M, (3, 3), Padding.Same),
                Dropout(0.8), Flatten(), Dense(1));
        var x = Convolutions.ConvTestData.Images(111, 4, 4, 3, 2);
        var y = Convolutions.ConvTestData.Images(112, 3, 4, 3, 2);
        var spatial = SpatialProgram.Compile(net, [4, 3, 2]);
        var budget = new KernelOptions { MemoryBudgetBytes = 8L * 4 * (2L * spatial.Registers + 1) * spatial.MaxSize };
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        AssertClose(cpu.Compute(x), gpu.Compute(x, options: budget));
        AssertClose(cpu.Compute(x, y), gpu.Compute(x, y, options: budget));
    }

    /// <summary>Full-batch gradient descent and mini-batch SGD with Dropout in the hidden layers: the GPU ensemble uses the
    /// CPU ensemble's masks (a counter hash of seed, member, step), so training takes the same path; with another seed
    /// the masks, and so the outputs, differ (the masks matter).</summary>
    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    public void Train_DropoutOnIlgpuCpu_MatchesCpuEnsemble(int? batch)
    {
        var net = Serial(Dense(32, 1.4, 0.1), Relu(), Dense(32, 1.2), Dropout(0.5), Dense(32), Erf(), Dense(2, 1.0, 0.1));
        var x = Inputs(8, 5, 1);
        var xTest = Inputs(3, 5, 2);
        var rng = new Random(3);
        var y = Matrix<double>.Build.Dense(8, 2, (_, _) => rng.NextDouble() * 2 - 1);
        var options = new EnsembleOptions { Members = 4, LearningRate = 0.3, Checkpoints = [0, 1, 4, 8], Seed = 42, BatchSize = batch };
        var cpu = Ensemble.Train(net, x, y, xTest, options);
        var gpu = Ensemble.Train(net, x, y, xTest, options, fixture.Context);
        var other = Ensemble.Train(net, x, y, xTest, options with { Seed = 43 });
        var noDrop = Ensemble.Train(Serial(Dense(32, 1.4, 0.1), Relu(), Dense(32, 1.2), Dense(32), Erf(), Dense(2, 1.0, 0.1)), x, y, xTest, options);
        for (int c = 0; c < 4; c++)
        {
            int block = 3 * 2 * 4;
            var a = cpu.MemberOutputs.Slice(c * block, block).ToArray();
            var b = gpu.MemberOutputs.Slice(c * block, block).ToArray();
            double scale = a.Max(Math.Abs), err = a.Zip(b, (p, q) => Math.Abs(p - q)).Max();
            Assert.True(err <= 1e-10 * scale, $"outputs at checkpoint {cpu.Steps[c]}: max |Δ| = {err:E3} (scale {scale:E3})");
            double lc = cpu.MeanTrainingLoss(c), lg = gpu.MeanTrainingLoss(c);
            Assert.True(Math.Abs(lc - lg) <= 1e-10 * lc, $"mean loss at checkpoint {cpu.Steps[c]}: CPU {lc:R}, GPU {lg:R}");
        }
        // At step 0 the test outputs are in test mode (no mask) and equal the network without dropout (rate-free
        // initialisation), and the losses differ because the training set's forward pass is masked.
        Assert.Equal(noDrop.MemberOutputs.Slice(0, 24).ToArray(), cpu.MemberOutputs.Slice(0, 24).ToArray());
        double diff = cpu.MemberOutputs.Slice(3 * 24, 24).ToArray().Zip(noDrop.MemberOutputs.Slice(3 * 24, 24).ToArray(), (p, q) => Math.Abs(p - q)).Max();
        Assert.True(diff > 1e-6, $"after 8 steps the dropout ensemble's outputs are within {diff:E2} of training without dropout");
        Assert.NotEqual(cpu.MeanTrainingLoss(0), noDrop.MeanTrainingLoss(0));
        Assert.NotEqual(cpu.MeanTrainingLoss(3), other.MeanTrainingLoss(3));
    }

    private static void AssertClose(KernelResult expected, KernelResult actual)
    {
        AssertClose(expected.Nngp, actual.Nngp);
        AssertClose(expected.Ntk, actual.Ntk);
        AssertClose(expected.NngpVariances1.ToColumnMatrix(), actual.NngpVariances1.ToColumnMatrix());
        AssertClose(expected.NtkVariances2.ToColumnMatrix(), actual.NtkVariances2.ToColumnMatrix());
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double scale = expected.Enumerate().Max(Math.Abs);
        double err = (expected - actual).Enumerate().Max(Math.Abs);
        Assert.True(err <= 1e-12 * scale, $"max |Δ| = {err:E3} > 1e-12·{scale:E3}");
    }
}
