using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// LayerNorm on the GPU engine (ILGPU's CPU accelerator) against the CPU engine to 1e-12 relative: the fused FC program
/// (the device tile kernel), the spatial thread kernel (diagonal layout), the group kernel (full layout) and a group
/// signal (blocks); symmetric and x1 × x2. The self pass of such networks runs on the host (it needs the activation
/// families' means), the pairs on the device. Also the GPU ensemble's LayerNorm op against the CPU ensemble (1e-10).
/// </summary>
public class LayerNormGpuParityTests(IlgpuCpuFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<IlgpuCpuFixture>
{
    private const double Tolerance = 1e-12;

    private static readonly Dictionary<string, (Layer Net, int[] Shape)> Networks = new()
    {
        ["Fc"] = (Serial(Dense(16, 0.9, 0.1), Relu(), LayerNorm(), Dense(16, 0.8, 0.1, Parameterization.Standard), Erf(0.8, 1.5, 0.3),
            LayerNorm(eps: 0.01), Dense(1)), [5]),
        ["FcRawInputResidual"] = (Serial(LayerNorm(), Dense(16, bStd: 0.1), FanOut(2), Parallel(Serial(Gelu(), LayerNorm(), Dense(16)), Identity()),
            FanInSum(), LayerNorm(), Relu(), Dense(1)), [5]),
        ["ConvDiagonal"] = (Serial(Conv(2, (2, 2), padding: Padding.Same, wStd: 0.9, bStd: 0.1), Relu(), LayerNorm(), Conv(3, (2, 2)),
            Exp(0.5, 0.6), LayerNorm(), Flatten(), LayerNorm(), Dense(1)), [3, 3, 2]),
        ["ConvFull"] = (Serial(LayerNorm(), Conv(2, (2, 2), padding: Padding.Same, wStd: 0.9, bStd: 0.1), Relu(), LayerNorm(), AvgPool((2, 2)),
            LayerNorm(), Conv(2, (1, 1)), Relu(), GlobalAvgPool(), LayerNorm(), Dense(1)), [3, 3, 2]),
        ["Group"] = (Serial(LiftingConv(2, PlanarGroup.P4, (3, 3), wStd: 1.2, bStd: 0.1), Relu(), LayerNorm(),
            GroupConv(2, PlanarGroup.P4, (3, 3)), Erf(0.8, 1.5, 0.3), LayerNorm(), GroupPool(), LayerNorm(), GlobalAvgPool(), Dense(1)), [3, 3, 1]),
        // Quadrature nonlinearities with a LayerNorm: the host self pass also writes their coefficient records.
        ["FcQuadrature"] = (Serial(Dense(16, 1.1, 0.1), Softplus(), LayerNorm(), Dense(16, 0.9, 0.1), Tanh(), Dense(1)), [5]),
        ["ConvFullQuadrature"] = (Serial(Conv(2, (2, 2), padding: Padding.Same, wStd: 0.9, bStd: 0.1), Silu(), LayerNorm(), Conv(2, (1, 1)),
            Sigmoid(), GlobalAvgPool(), Dense(1)), [3, 3, 2]),
    };

    public static TheoryData<string> Names() => [.. Networks.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Compute_OnIlgpuCpu_MatchesCpuEngine(string name)
    {
        var (net, shape) = Networks[name];
        int size = shape.Aggregate(1, (a, b) => a * b);
        var x = new Tensor(GpuEngineParityTests.Inputs(5, size, 3).Data, [5, .. shape]);
        var y = new Tensor(GpuEngineParityTests.Inputs(3, size, 4).Data, [3, .. shape]);
        Close(new KernelFunction(net).Compute(x), new KernelFunction(net, fixture.Context).Compute(x), name);
        Close(new KernelFunction(net).Compute(x, y), new KernelFunction(net, fixture.Context).Compute(x, y), name + " x1×x2");
    }

    /// <summary>Single-precision tiles and workspaces (the self pass and its records stay double): within the documented
    /// Float32 bounds of the CPU engine's double result, times the LayerNorms' cancellation factor
    /// κ = max K(x, x)/(K(x, x) − μ²) (the stored K(x, x′) carries a rounding error relative to √(K₁₁K₂₂), and subtracting
    /// μμ′ leaves ss′ = √(K₁₁K₂₂)/κ; κ = 1 for Gaussian inputs), from the double self pass's records.</summary>
    [Theory]
    [InlineData("Fc")]
    [InlineData("ConvDiagonal")]
    [InlineData("ConvFullPooledMeans")]
    public void Compute_Float32OnIlgpuCpu_WithinRoundingBoundOfCpuEngine(string name)
    {
        // (No LayerNorm of the raw input here: two channels can be nearly equal, κ then runs to 10⁶ and the bound says
        // nothing.)
        var (net, shape) = name == "ConvFullPooledMeans"
            ? (Serial(Conv(2, (2, 2), padding: Padding.Same, wStd: 0.9, bStd: 0.1), Relu(), LayerNorm(), AvgPool((2, 2)), Conv(2, (1, 1)), Relu(),
                GlobalAvgPool(), LayerNorm(), Dense(1)), new[] { 3, 3, 2 })
            : Networks[name];
        int size = shape.Aggregate(1, (a, b) => a * b);
        var x = new Tensor(GpuEngineParityTests.Inputs(6, size, 5).Data, [6, .. shape]);
        var options = new KernelOptions { Precision = KernelPrecision.Float32 };
        double bound, kappa;
        if (shape.Length == 1)
        {
            var fc = FcProgram.TryCompile(net, size)!;
            var (records, _, _) = NtkSharp.Compute.Cpu.CpuKernelEngine.SelfPass(fc, x, null, new ParallelOptions());
            var slots = fc.Code.Where(i => i.Op == FcOpCode.LayerNorm).Select(i => (i.Slot, 1));
            kappa = Cancellation(records, fc.Slots, x.Count, slots);
            bound = NtkSharp.Compute.Gpu.GpuKernelEngine.Float32ErrorBound(net, size) * kappa;
        }
        else
        {
            var program = SpatialProgram.Compile(net, shape);
            var (records, _, _) = NtkSharp.Compute.Cpu.CpuSpatialEngine.SelfPass(program, x, new ParallelOptions(),
                new System.Collections.Concurrent.ConcurrentBag<SpatialWorkspace>());
            var slots = program.Code.Where(i => i.Op == SpatialOpCode.LayerNorm).Select(i => (i.SlotOffset, i.InH * i.InW));
            kappa = Cancellation(records, program.SlotTotal, x.Count, slots);
            bound = NtkSharp.Compute.Gpu.GpuSpatialEngine.Float32ErrorBound(program) * kappa;
        }
        var expected = new KernelFunction(net).Compute(x);
        var actual = new KernelFunction(net, fixture.Context).Compute(x, options: options);
        foreach (var (e, a, kind) in new[] { (expected.Nngp!, actual.Nngp!, "NNGP"), (expected.Ntk!, actual.Ntk!, "NTK") })
        {
            double scale = e.Enumerate().Max(Math.Abs), worst = (e - a).Enumerate().Max(Math.Abs) / scale;
            output.WriteLine($"{name} {kind}: Float32 vs double relative difference {worst:E2}, bound (with κ = {kappa:G3}) {bound:E2}");
            Assert.True(worst <= bound, $"{name} {kind}: Float32 vs double relative difference {worst:E2}, bound (with κ) {bound:E2}");
        }
    }

    /// <summary>κ = max over LayerNorms (record offset, positions), examples and positions of (s² + μ²)/s² from the
    /// double self pass's records (P means, then P scales).</summary>
    private static double Cancellation(double[] records, int perExample, int examples, IEnumerable<(int Offset, int Positions)> layerNorms)
    {
        double kappa = 1;
        foreach (var (offset, positions) in layerNorms)
        {
            for (int e = 0; e < examples; e++)
            {
                for (int p = 0; p < positions; p++)
                {
                    double mean = records[e * perExample + offset + p], scale = records[e * perExample + offset + positions + p];
                    kappa = Math.Max(kappa, (scale * scale + mean * mean) / (scale * scale));
                }
            }
        }
        return kappa;
    }

    [Fact]
    public void Train_LayerNormOnIlgpuCpu_MatchesCpuEnsemble()
    {
        var net = Serial(Dense(16, 1.3, 0.1), Relu(), LayerNorm(), Dense(16, 1.2), LayerNorm(), Erf(), Dense(2, 1.0, 0.1));
        var x = GpuEngineParityTests.Inputs(8, 5, 1);
        var xTest = GpuEngineParityTests.Inputs(3, 5, 2);
        var rng = new Random(3);
        var yTrain = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(8, 2, (_, _) => rng.NextDouble() * 2 - 1);
        var options = new EnsembleOptions { Members = 3, LearningRate = 0.3, Checkpoints = [0, 2, 5], Seed = 42, RecordNtk = true };
        var cpu = Ensemble.Train(net, x, yTrain, xTest, options);
        var gpu = Ensemble.Train(net, x, yTrain, xTest, options, fixture.Context);
        for (int c = 0; c < cpu.Steps.Count; c++)
        {
            for (int m = 0; m < cpu.Members; m++)
                CloseValues(cpu.MemberOutput(c, m).Enumerate().ToArray(), gpu.MemberOutput(c, m).Enumerate().ToArray(), $"member {m} at checkpoint {cpu.Steps[c]}");
        }
        CloseValues(cpu.FinalNtk!.Enumerate().ToArray(), gpu.FinalNtk!.Enumerate().ToArray(), "final NTK");
        Assert.True(gpu.MeanTrainingLoss(2) < gpu.MeanTrainingLoss(0), $"training did not reduce the loss ({gpu.MeanTrainingLoss(0)} → {gpu.MeanTrainingLoss(2)})");
    }

    private static void CloseValues(double[] expected, double[] actual, string what)
    {
        double scale = expected.Max(Math.Abs), err = 0;
        for (int i = 0; i < expected.Length; i++) err = Math.Max(err, Math.Abs(expected[i] - actual[i]));
        Assert.True(err <= 1e-10 * scale, $"{what}: GPU vs CPU ensemble max |Δ| = {err:E3}, scale {scale:E3}");
    }

    private static void Close(KernelResult expected, KernelResult actual, string what)
    {
        foreach (var (e, a, kind) in new[] { (expected.Nngp!, actual.Nngp!, "NNGP"), (expected.Ntk!, actual.Ntk!, "NTK") })
        {
            double scale = e.Enumerate().Max(Math.Abs);
            double worst = 0;
            for (int i = 0; i < e.RowCount; i++)
            {
                for (int j = 0; j < e.ColumnCount; j++) worst = Math.Max(worst, Math.Abs(e[i, j] - a[i, j]) / scale);
            }
            Assert.True(worst <= Tolerance, $"{what} {kind}: GPU vs CPU relative difference {worst:E2}");
        }
    }
}
