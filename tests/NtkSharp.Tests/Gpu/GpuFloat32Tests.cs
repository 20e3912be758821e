using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute;
using NtkSharp.Compute.Gpu;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using Xunit.Abstractions;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// <see cref="KernelPrecision.Float32"/> on the GPU engine (ILGPU's CPU accelerator): single-precision inputs, Gram
/// (accumulated in float, as cuBLAS <c>sgemm</c> does) and tiles, double-precision self pass and per-entry program.
/// Results are compared with the float64 CPU engine, max |Δ| / max |K|, against the rounding bound
/// <see cref="GpuKernelEngine.Float32ErrorBound"/>; the measured errors are printed (and listed in docs/gpu.md).
/// Convolutional networks: float workspaces, double arithmetic, inputs, self pass and results, against
/// <see cref="GpuSpatialEngine.Float32ErrorBound"/>.
/// </summary>
public class GpuFloat32Tests(IlgpuCpuFixture fixture, ITestOutputHelper output) : IClassFixture<IlgpuCpuFixture>
{
    /// <summary>Unit roundoff of float32.</summary>
    private const double U = 1.0 / (1 << 24);

    private static readonly KernelOptions Float32 = new() { Precision = KernelPrecision.Float32 };

    /// <summary>The documented bound ((L + 1)·(2 + 2√d) + 1)·u, derived in <see cref="GpuKernelEngine.Float32ErrorBound"/>.</summary>
    private static double Bound(Layer network, int d) => GpuKernelEngine.Float32ErrorBound(network, d);

    private static Tensor Inputs(int n, int d, int seed, bool positive)
    {
        var x = GpuEngineParityTests.Inputs(n, d, seed);
        if (positive) for (int i = 0; i < x.Data.Length; i++) x.Data[i] = 0.5 * (x.Data[i] + 1); // image-like, in [0, 1]
        return x;
    }

    /// <summary>Architecture, non-negative (image-like) inputs, N1, N2 (0: symmetric), d, memory budget (0: default).</summary>
    public static TheoryData<string, bool, int, int, int, long> Cases => new()
    {
        { "deep-relu-depth5", false, 24, 0, 16, 0 },
        { "deep-relu-depth5", true, 30, 20, 784, 0 },
        { "relu-depth3-ntk", false, 40, 0, 64, 2 * 2 * 4 * 16 * 16 },
        { "erf-standard", false, 24, 0, 16, 0 },
        { "erf-standard", true, 30, 20, 784, 0 },
        { "leaky-abs-abrelu-identity", false, 24, 0, 16, 0 },
        { "residual", false, 24, 0, 16, 0 },
        { "residual", true, 37, 21, 20, 2 * 2 * 4 * 16 * 16 },
    };

    /// <summary>Within the rounding bound of float32, and clearly not at float64 level (the float path is used).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_Float32OnIlgpuCpu_WithinRoundingBoundOfCpuEngine(string name, bool positive, int n1, int n2, int d, long budget)
    {
        var net = GpuEngineParityTests.Networks[name]();
        var x1 = Inputs(n1, d, 31, positive);
        var x2 = n2 > 0 ? Inputs(n2, d, 32, positive) : null;
        var options = budget > 0 ? Float32 with { MemoryBudgetBytes = budget } : Float32;
        var expected = new KernelFunction(net).Compute(x1, x2);
        var actual = new KernelFunction(net, fixture.Context).Compute(x1, x2, options: options);
        double bound = Bound(net, d);
        double k = RelativeError(expected.Nngp!, actual.Nngp!), t = RelativeError(expected.Ntk!, actual.Ntk!);
        output.WriteLine($"{name}, {(positive ? "[0, 1]" : "[-1, 1]")} inputs, {n1}×{(n2 > 0 ? n2 : n1)}, d = {d}: " +
            $"K {k:E2} ({k / U:F2} u), Θ {t:E2} ({t / U:F2} u); bound {bound:E2} ({bound / U:F0} u)");
        Assert.InRange(k, 1e-9, bound);
        Assert.InRange(t, 1e-9, bound);
        // The self pass stays double: variances (and, when symmetric, the diagonal) as exact as the float64 engine.
        foreach (var (e, a) in new[] { (expected.NngpVariances1, actual.NngpVariances1), (expected.NtkVariances1, actual.NtkVariances1),
            (expected.NngpVariances2, actual.NngpVariances2), (expected.NtkVariances2, actual.NtkVariances2) })
        {
            Assert.True((e - a).AbsoluteMaximum() <= 1e-12 * e.AbsoluteMaximum());
        }
        if (x2 is null)
        {
            Assert.True((expected.Nngp!.Diagonal() - actual.Nngp!.Diagonal()).AbsoluteMaximum() <= 1e-12 * expected.Nngp.Diagonal().AbsoluteMaximum());
            Assert.True((expected.Ntk!.Diagonal() - actual.Ntk!.Diagonal()).AbsoluteMaximum() <= 1e-12 * expected.Ntk.Diagonal().AbsoluteMaximum());
            Assert.True(actual.Nngp.Equals(actual.Nngp.Transpose()));
        }
    }

    /// <summary>The documented limitation: a pair of identical examples across x1 and x2 has c₁₂ = √(c₁₁c₂₂) only to
    /// float rounding δ, and Ṫ of the arc-cosine dual has an infinite derivative there (θ ≈ √(2δ)), so Θ of such pairs
    /// is accurate only to about √u per layer; K (whose dual is Lipschitz) keeps the ordinary bound.</summary>
    [Theory]
    [InlineData("relu-depth3-ntk", 16)]
    [InlineData("deep-relu-depth5", 784)]
    public void Compute_Float32DuplicateExamplesAcrossInputs_NtkErrorOfSquareRootOrder(string name, int d)
    {
        var net = GpuEngineParityTests.Networks[name]();
        var x1 = Inputs(30, d, 41, positive: false);
        var x2 = new Tensor([.. x1.Data, .. Inputs(5, d, 42, positive: false).Data], 35, d);
        var expected = new KernelFunction(net).Compute(x1, x2);
        var actual = new KernelFunction(net, fixture.Context).Compute(x1, x2, options: Float32);
        double k = RelativeError(expected.Nngp!, actual.Nngp!), t = RelativeError(expected.Ntk!, actual.Ntk!);
        int depth = FcProgram.TryCompile(net, d)!.Code.Count(i => i.Op == FcOpCode.Affine);
        double sqrtBound = depth * Math.Sqrt((2 + 2 * Math.Sqrt(d)) * U);
        output.WriteLine($"{name}, x2 ⊃ x1, d = {d}: K {k:E2} ({k / U:F1} u), Θ {t:E2} ({t / Math.Sqrt(U):F2} √u); Θ bound {sqrtBound:E2}");
        Assert.InRange(k, 0, Bound(net, d));
        Assert.InRange(t, 0, sqrtBound);
    }

    /// <summary>The CPU engine computes in double whatever the option says: bit-identical results.</summary>
    [Fact]
    public void Compute_CpuEngineWithFloat32Option_IgnoresIt()
    {
        var net = GpuEngineParityTests.Networks["residual"]();
        var x1 = Inputs(12, 7, 51, positive: false);
        var x2 = Inputs(9, 7, 52, positive: false);
        var kf = new KernelFunction(net);
        foreach (var y in new[] { null, x2 })
        {
            var a = kf.Compute(x1, y);
            var b = kf.Compute(x1, y, options: Float32);
            Assert.True(a.Nngp!.Equals(b.Nngp) && a.Ntk!.Equals(b.Ntk));
        }
    }

    [Fact]
    public void Compute_UndefinedPrecision_ThrowsNamingOptions()
    {
        var kf = new KernelFunction(GpuEngineParityTests.Networks["relu-depth3-ntk"](), fixture.Context);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            kf.Compute(Inputs(3, 4, 1, false), options: new KernelOptions { Precision = (KernelPrecision)7 }));
        Assert.Equal("options", e.ParamName);
    }

    /// <summary>The tile pipeline (tile k+1 computed while tile k is copied and scattered) reports every tile once, in
    /// order, in both precisions, and the result equals a single-tile run.</summary>
    [Theory]
    [InlineData(KernelPrecision.Float64, 8)]
    [InlineData(KernelPrecision.Float32, 4)]
    public void Compute_ManyTilePipeline_ReportsEveryTileAndMatchesOneTile(KernelPrecision precision, int bytes)
    {
        var net = GpuEngineParityTests.Networks["relu-depth3-ntk"]();
        var x1 = Inputs(50, 6, 61, positive: false);
        var x2 = Inputs(33, 6, 62, positive: false);
        var kf = new KernelFunction(net, fixture.Context);
        var small = new KernelOptions { Precision = precision, MemoryBudgetBytes = 2L * 2 * bytes * 16 * 16 };
        var reports = new List<KernelProgress>();
        var tiled = kf.Compute(x1, x2, options: small, progress: new SyncProgress(reports.Add));
        var whole = kf.Compute(x1, x2, options: new KernelOptions { Precision = precision });
        Assert.Equal(Enumerable.Range(1, 4 * 3).Select(i => new KernelProgress(i, 12)), reports);
        // Same Gram summation (feature order) and per-entry code per entry: tiling changes nothing.
        Assert.True(whole.Nngp!.Equals(tiled.Nngp) && whole.Ntk!.Equals(tiled.Ntk));

        reports.Clear();
        var sym = kf.Compute(x1, options: small, progress: new SyncProgress(reports.Add));
        Assert.Equal(Enumerable.Range(1, 4 * 5 / 2).Select(i => new KernelProgress(i, 10)), reports);
        Assert.True(sym.Nngp!.Equals(kf.Compute(x1, options: new KernelOptions { Precision = precision }).Nngp));
    }

    /// <summary>Cancelling while tiles are in flight throws, waits for the pipeline, and leaves the context usable.</summary>
    [Fact]
    public void Compute_CancelledMidPipeline_ThrowsAndContextStaysUsable()
    {
        var net = GpuEngineParityTests.Networks["relu-depth3-ntk"]();
        var x = Inputs(64, 5, 71, positive: false);
        var kf = new KernelFunction(net, fixture.Context);
        var small = Float32 with { MemoryBudgetBytes = 2L * 2 * 4 * 16 * 16 };
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Done == 2) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => kf.Compute(x, options: small, progress: progress, cancellationToken: cts.Token));
        var again = kf.Compute(x, options: small);
        Assert.True(RelativeError(new KernelFunction(net).Compute(x).Ntk!, again.Ntk!) <= Bound(net, 5));
    }

    /// <summary>Convolutional networks on tiny images: Flatten readout (diagonal layout, thread kernel), global average
    /// pooling, AvgPool, Erf and a residual block (full layout, group kernel).</summary>
    private static readonly Dictionary<string, (Func<Layer> Network, int[] Shape)> CnnNetworks = new()
    {
        ["flatten-relu-3x3-same"] = (() => Stax.Serial(Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(), Stax.Flatten(), Stax.Dense(1)), [6, 6, 2]),
        ["gap-relu-3x3-same"] = (() => Stax.Serial(Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1)), [6, 6, 2]),
        ["avgpool-flatten"] = (() => Stax.Serial(Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.3, bStd: 0.2), Stax.Relu(),
            Stax.AvgPool((2, 2)), Stax.Conv(4, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.Flatten(), Stax.Dense(1)), [6, 6, 2]),
        ["erf-flatten-standard"] = (() => Stax.Serial(Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.3, bStd: 0.3,
                parameterization: Parameterization.Standard), Stax.Erf(),
            Stax.Conv(4, (3, 3), padding: Padding.Same, parameterization: Parameterization.Standard, bStd: 0.1), Stax.Erf(),
            Stax.Flatten(), Stax.Dense(1, parameterization: Parameterization.Standard)), [6, 6, 2]),
        ["residual-gap"] = (() => Stax.Serial(Stax.Conv(3, (3, 3), padding: Padding.Same, bStd: 0.1), Stax.Relu(), Stax.FanOut(2),
            Stax.Parallel(Stax.Serial(Stax.Conv(3, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.Conv(3, (3, 3), padding: Padding.Same)),
                Stax.Identity()), Stax.FanInSum(), Stax.Conv(3, (3, 3), padding: Padding.Same, bStd: 0.1), Stax.Relu(),
            Stax.GlobalAvgPool(), Stax.Dense(1)), [5, 5, 2]),
        ["flatten-relu-depth6"] = (() => Stax.Serial([.. Enumerable.Range(0, 6).SelectMany(_ => new Layer[]
            { Stax.Conv(4, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu() }), Stax.Flatten(), Stax.Dense(1)]), [6, 6, 2]),
    };

    public static TheoryData<string, bool> CnnCases => new()
    {
        { "flatten-relu-3x3-same", true },
        { "flatten-relu-3x3-same", false },
        { "gap-relu-3x3-same", true },
        { "gap-relu-3x3-same", false },
        { "avgpool-flatten", true },
        { "erf-flatten-standard", true },
        { "erf-flatten-standard", false },
        { "residual-gap", true },
        { "residual-gap", false },
        { "flatten-relu-depth6", false },
    };

    private static Tensor Images(int n, int[] shape, int seed, bool positive)
    {
        var x = Inputs(n, shape.Aggregate(1, (a, b) => a * b), seed, positive);
        return new Tensor(x.Data, [n, .. shape]);
    }

    /// <summary>The spatial kernels with float workspaces, symmetric (N = 6) and rectangular (6 × 4), within the
    /// rounding bound <see cref="GpuSpatialEngine.Float32ErrorBound"/>, clearly not at float64 level, and with the self
    /// pass (variances, symmetric diagonal) exactly as in double.</summary>
    [Theory]
    [MemberData(nameof(CnnCases))]
    public void Compute_Float32ConvNetOnIlgpuCpu_WithinRoundingBoundOfCpuEngine(string name, bool positive)
    {
        var (network, shape) = CnnNetworks[name];
        var net = network();
        var x1 = Images(6, shape, 81, positive);
        var x2 = Images(4, shape, 82, positive);
        var program = SpatialProgram.Compile(net, shape);
        double bound = GpuSpatialEngine.Float32ErrorBound(program);
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        foreach (var y in new[] { null, x2 })
        {
            var expected = cpu.Compute(x1, y);
            var actual = gpu.Compute(x1, y, options: Float32);
            double k = RelativeError(expected.Nngp!, actual.Nngp!), t = RelativeError(expected.Ntk!, actual.Ntk!);
            output.WriteLine($"{name} ({program.Layout}, {GpuSpatialEngine.StoredPasses(program)} stored passes), " +
                $"{(positive ? "[0, 1]" : "[-1, 1]")} inputs, {(y is null ? "6×6 symmetric" : "6×4")}: K {k:E2} ({k / U:F2} u), " +
                $"Θ {t:E2} ({t / U:F2} u); bound {bound:E2} ({bound / U:F0} u)");
            Assert.InRange(k, 1e-9, bound);
            Assert.InRange(t, 1e-9, bound);
            AssertSelfPassExact(expected, actual, y is null);
        }
    }

    /// <summary>The fully-connected limitation holds for CNNs too: identical images across x1 and x2 have correlation 1
    /// at equal positions, known only to float rounding, where the ReLU derivative dual is not Lipschitz; K keeps the
    /// bound, Θ is accurate to about √u per ReLU.</summary>
    [Theory]
    [InlineData("flatten-relu-3x3-same")]
    [InlineData("gap-relu-3x3-same")]
    public void Compute_Float32ConvNetDuplicateExamplesAcrossInputs_NtkErrorOfSquareRootOrder(string name)
    {
        var (network, shape) = CnnNetworks[name];
        var net = network();
        var x1 = Images(4, shape, 101, positive: false);
        var x2 = new Tensor([.. x1.Data, .. Images(2, shape, 102, positive: false).Data], [6, .. shape]);
        var program = SpatialProgram.Compile(net, shape);
        var expected = new KernelFunction(net).Compute(x1, x2);
        var actual = new KernelFunction(net, fixture.Context).Compute(x1, x2, options: Float32);
        double k = RelativeError(expected.Nngp!, actual.Nngp!), t = RelativeError(expected.Ntk!, actual.Ntk!);
        int relus = program.Code.Count(i => i.Op == SpatialOpCode.Activation);
        double sqrtBound = relus * Math.Sqrt(2 * (GpuSpatialEngine.StoredPasses(program) + 1) * U);
        output.WriteLine($"{name}, x2 ⊃ x1: K {k:E2} ({k / U:F1} u), Θ {t:E2} ({t / Math.Sqrt(U):F3} √u); Θ bound {sqrtBound:E2}");
        Assert.InRange(k, 0, GpuSpatialEngine.Float32ErrorBound(program));
        Assert.InRange(t, 0, sqrtBound);
    }

    /// <summary>Float workspaces hold twice the pairs of a budget; the self pass still needs one pair in double. A
    /// budget of one double pair (one float pair per launch, the double self pass in the same memory) and of three float
    /// pairs give bit-identical results to the default budget (same per-pair arithmetic, other launch widths and
    /// interleave strides), in both layouts; a budget below one double pair throws naming the options.</summary>
    [Theory]
    [InlineData("flatten-relu-3x3-same")]
    [InlineData("gap-relu-3x3-same")]
    public void Compute_Float32ConvNetSmallBudgets_MatchesDefaultBudgetExactly(string name)
    {
        var (network, shape) = CnnNetworks[name];
        var net = network();
        var program = SpatialProgram.Compile(net, shape);
        long entries = (2L * program.Registers + 1) * program.MaxSize, doublePair = 8 * entries + 16, floatPair = 4 * entries + 16;
        var x1 = Images(5, shape, 91, positive: true);
        var x2 = Images(3, shape, 92, positive: true);
        var gpu = new KernelFunction(net, fixture.Context);
        var reference = gpu.Compute(x1, x2, options: Float32);
        var referenceSym = gpu.Compute(x1, options: Float32);
        foreach (long budget in new[] { doublePair, 3 * floatPair })
        {
            var small = Float32 with { MemoryBudgetBytes = budget };
            var rect = gpu.Compute(x1, x2, options: small);
            var sym = gpu.Compute(x1, options: small);
            Assert.True(reference.Nngp!.Equals(rect.Nngp) && reference.Ntk!.Equals(rect.Ntk));
            Assert.True(referenceSym.Nngp!.Equals(sym.Nngp) && referenceSym.Ntk!.Equals(sym.Ntk));
        }
        var e = Assert.Throws<ArgumentException>(() => gpu.Compute(x1, options: Float32 with { MemoryBudgetBytes = doublePair - 1 }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains(doublePair.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    private static void AssertSelfPassExact(KernelResult expected, KernelResult actual, bool symmetric)
    {
        foreach (var (e, a) in new[] { (expected.NngpVariances1, actual.NngpVariances1), (expected.NtkVariances1, actual.NtkVariances1),
            (expected.NngpVariances2, actual.NngpVariances2), (expected.NtkVariances2, actual.NtkVariances2) })
        {
            Assert.True((e - a).AbsoluteMaximum() <= 1e-12 * e.AbsoluteMaximum());
        }
        if (!symmetric) return;
        Assert.True((expected.Nngp!.Diagonal() - actual.Nngp!.Diagonal()).AbsoluteMaximum() <= 1e-12 * expected.Nngp.Diagonal().AbsoluteMaximum());
        Assert.True((expected.Ntk!.Diagonal() - actual.Ntk!.Diagonal()).AbsoluteMaximum() <= 1e-12 * expected.Ntk.Diagonal().AbsoluteMaximum());
        Assert.True(actual.Nngp.Equals(actual.Nngp.Transpose()));
    }

    private sealed class SyncProgress(Action<KernelProgress> report) : IProgress<KernelProgress>
    {
        public void Report(KernelProgress value) => report(value);
    }

    private static double RelativeError(Matrix<double> expected, Matrix<double> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        return (expected - actual).Enumerate().Max(Math.Abs) / expected.Enumerate().Max(Math.Abs);
    }
}
