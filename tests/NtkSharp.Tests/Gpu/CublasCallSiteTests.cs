using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute;
using NtkSharp.Compute.Gpu;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// The engines' cuBLAS call sites (operand order, transposition flags, leading dimensions, byte offsets of tiles and
/// member strides) run on ILGPU's CPU accelerator through <see cref="ManagedDeviceGemm"/>, cuBLAS' conventions in plain
/// loops, and must give the CPU engine's results: what a real GPU would compute with cuBLAS, short of cuBLAS itself.
/// </summary>
public sealed class CublasCallSiteTests : IDisposable
{
    private readonly ComputeContext _context = ComputeContext.IlgpuCpu();
    private readonly ManagedDeviceGemm _gemm;

    public CublasCallSiteTests()
    {
        _gemm = new ManagedDeviceGemm(_context.Accelerator);
        _context.DeviceGemmOverride = _gemm;
    }

    public void Dispose() => _context.Dispose();

    [Theory]
    [InlineData("deep-relu-depth5", 0, 0L)]
    [InlineData("deep-relu-depth5", 13, 0L)]
    [InlineData("erf-standard", 0, 2L * 2 * 8 * 16 * 16)]
    [InlineData("residual", 21, 2L * 2 * 8 * 16 * 16)]
    public void Compute_Float64ThroughCublasCallSite_MatchesCpuEngine(string name, int n2, long budget)
    {
        var net = GpuEngineParityTests.Networks[name]();
        var x1 = GpuEngineParityTests.Inputs(37, 11, 5);
        var x2 = n2 > 0 ? GpuEngineParityTests.Inputs(n2, 11, 6) : null;
        var options = budget > 0 ? new KernelOptions { MemoryBudgetBytes = budget } : KernelOptions.Default;

        var expected = new KernelFunction(net).Compute(x1, x2);
        var actual = new KernelFunction(net, _context).Compute(x1, x2, options: options);

        Assert.True(_gemm.Calls > 0, "the cuBLAS call site was not taken");
        AssertClose(expected.Nngp!, actual.Nngp!, 1e-12);
        AssertClose(expected.Ntk!, actual.Ntk!, 1e-12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    public void Compute_Float32ThroughSgemmCallSite_WithinFloat32Bound(int n2)
    {
        var net = GpuEngineParityTests.Networks["deep-relu-depth5"]();
        var x1 = GpuEngineParityTests.Inputs(41, 24, 7);
        var x2 = n2 > 0 ? GpuEngineParityTests.Inputs(n2, 24, 8) : null;
        var options = new KernelOptions { Precision = KernelPrecision.Float32, MemoryBudgetBytes = 2L * 2 * 4 * 16 * 16 };

        var expected = new KernelFunction(net).Compute(x1, x2);
        var actual = new KernelFunction(net, _context).Compute(x1, x2, options: options);

        Assert.True(_gemm.Calls > 0, "the cuBLAS call site was not taken");
        double bound = GpuKernelEngine.Float32ErrorBound(net, 24);
        AssertClose(expected.Nngp!, actual.Nngp!, bound);
        AssertClose(expected.Ntk!, actual.Ntk!, bound);
        Assert.True(MaxAbs(expected.Ntk! - actual.Ntk!) > 1e-9 * MaxAbs(expected.Ntk!), "float path not taken");
    }

    public static TheoryData<string> EnsembleCases => ["relu", "residual", "sgd"];

    [Theory]
    [MemberData(nameof(EnsembleCases))]
    public void Train_ThroughStridedBatchedCallSite_MatchesCpuEnsemble(string name)
    {
        Layer net = name switch
        {
            "relu" => Serial(Dense(24, 1.5, 0.1), Relu(), Dense(24, 1.2, 0.2), Relu(), Dense(2, 1.0, 0.1)),
            "residual" => Serial(Dense(24, 1.0, 0.1), Relu(), FanOut(2), Parallel(Serial(Dense(24, 1.2, 0.05), Erf(), Dense(24)), Identity()),
                FanInSum(), Dense(2, 1.0, 0.1)),
            _ => Serial(Dense(24, 1.4, 0.1), LeakyRelu(0.1), Dense(2, 1.0, 0.2)),
        };
        var x = GpuEngineParityTests.Inputs(9, 5, 1);
        var xTest = GpuEngineParityTests.Inputs(4, 5, 2);
        var rng = new Random(3);
        var y = Matrix<double>.Build.Dense(9, 2, (_, _) => rng.NextDouble() * 2 - 1);
        var options = new EnsembleOptions
        {
            Members = 3, LearningRate = 0.3, Checkpoints = [0, 2, 4], Seed = 11, BatchSize = name == "sgd" ? 4 : null, RecordNtk = false,
        };

        var cpu = Ensemble.Train(net, x, y, xTest, options);
        var gpu = Ensemble.Train(net, x, y, xTest, options, _context);

        Assert.True(_gemm.Calls > 0, "the cuBLAS call site was not taken");
        var expected = cpu.MemberOutputs.ToArray();
        var actual = gpu.MemberOutputs.ToArray();
        double scale = expected.Max(Math.Abs), err = 0;
        for (int i = 0; i < expected.Length; i++) err = Math.Max(err, Math.Abs(expected[i] - actual[i]));
        Assert.True(err <= 1e-10 * scale, $"max |Δ| = {err:E3}, scale {scale:E3}");
        for (int c = 0; c < 3; c++) Assert.Equal(cpu.MeanTrainingLoss(c), gpu.MeanTrainingLoss(c), 1e-10 * cpu.MeanTrainingLoss(0));
    }

    private static double MaxAbs(Matrix<double> m) => m.Enumerate().Max(Math.Abs);

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double relative)
    {
        double err = MaxAbs(expected - actual), scale = MaxAbs(expected);
        Assert.True(err <= relative * scale, $"max |Δ| = {err:E3} > {relative:E1}·{scale:E3}");
    }
}
