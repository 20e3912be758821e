using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>The GPU engine's kernels run on ILGPU's CPU accelerator and must reproduce the CPU engine to 1e-12
/// (relative to the largest entry): same per-entry math, different summation order in the Gram only.</summary>
public class GpuEngineParityTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private const double Tolerance = 1e-12;

    internal static Tensor Inputs(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var data = new double[n * d];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return new Tensor(data, n, d);
    }

    public static TheoryData<string> Architectures => [.. Networks.Keys];

    internal static readonly Dictionary<string, Func<Layer>> Networks = new()
    {
        ["deep-relu-depth5"] = () => Stax.Serial(Stax.Dense(64, 1.4, 0.1), Stax.Relu(), Stax.Dense(64, 1.4, 0.1), Stax.Relu(),
            Stax.Dense(64, 1.4, 0.1), Stax.Relu(), Stax.Dense(64, 1.4, 0.1), Stax.Relu(), Stax.Dense(64, 1.4, 0.1), Stax.Relu(), Stax.Dense(1)),
        ["relu-depth3-ntk"] = () => Stax.Serial(Stax.Dense(64, 1.5, 0.1), Stax.Relu(), Stax.Dense(64, 1.2, 0.2), Stax.Relu(), Stax.Dense(1)),
        ["erf-standard"] = () => Stax.Serial(Stax.Dense(32, 1.3, 0.3, Parameterization.Standard), Stax.Erf(),
            Stax.Dense(16, 0.9, 0.1, Parameterization.Standard), Stax.Erf(), Stax.Dense(1, 1.0, 0.05, Parameterization.Standard)),
        ["leaky-abs-abrelu-identity"] = () => Stax.Serial(Stax.Dense(8, 1.1, 0.2), Stax.LeakyRelu(0.1), Stax.Dense(8), Stax.Abs(),
            Stax.Dense(8, 0.7), Stax.ABRelu(-0.4, 1.3), Stax.Dense(8), Stax.Identity(), Stax.Dense(1)),
        ["residual"] = () => Stax.Serial(Stax.Dense(16, 1.0, 0.1), Stax.Relu(),
            Stax.FanOut(2), Stax.Parallel(Stax.Serial(Stax.Dense(16, 1.2, 0.05), Stax.Erf(), Stax.Dense(16)), Stax.Identity()),
            Stax.FanInSum(), Stax.Dense(16, 0.8, 0.1), Stax.Relu(), Stax.Dense(1, 1.0, 0.1)),
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Compute_SymmetricOnIlgpuCpu_MatchesCpuEngine(string name)
    {
        var net = Networks[name]();
        var x = Inputs(9, 7, 11);
        var expected = new KernelFunction(net).Compute(x);
        var actual = new KernelFunction(net, fixture.Context).Compute(x);
        AssertClose(expected, actual);
    }

    /// <summary>x2 given (rectangular N1 ≠ N2) and a memory budget that forces several tiles in both directions,
    /// ragged at the edges.</summary>
    [Fact]
    public void Compute_RectangularManyTiles_MatchesCpuEngine()
    {
        var net = Networks["residual"]();
        var x1 = Inputs(37, 5, 3);
        var x2 = Inputs(21, 5, 4);
        var options = new KernelOptions { MemoryBudgetBytes = 2 * 8 * 16 * 16 };
        var expected = new KernelFunction(net).Compute(x1, x2);
        var actual = new KernelFunction(net, fixture.Context).Compute(x1, x2, options: options);
        AssertClose(expected, actual);
    }

    /// <summary>Symmetric case over several tiles: only tiles on and above the diagonal are computed, and the mirror
    /// completes the matrix exactly.</summary>
    [Fact]
    public void Compute_SymmetricManyTilesNngpOnly_MatchesCpuEngineAndIsSymmetric()
    {
        var net = Networks["relu-depth3-ntk"]();
        var x = Inputs(40, 20, 5);
        var options = new KernelOptions { MemoryBudgetBytes = 8 * 16 * 16 };
        var expected = new KernelFunction(net).Compute(x, outputs: KernelOutputs.Nngp);
        var actual = new KernelFunction(net, fixture.Context).Compute(x, outputs: KernelOutputs.Nngp, options: options);
        Assert.False(actual.HasNtk);
        AssertClose(expected.Nngp!, actual.Nngp!);
        Assert.True(actual.Nngp!.Equals(actual.Nngp.Transpose()));
    }

    public static TheoryData<string> ConvArchitectures => [.. ConvNetworks.Keys];

    private static readonly Dictionary<string, Func<Layer>> ConvNetworks = new()
    {
        ["conv-flatten-diagonal"] = () => Stax.Serial(Stax.Conv(3, (2, 2), padding: Padding.Same, wStd: 1.3, bStd: 0.1), Stax.Relu(),
            Stax.Conv(2, (3, 3), padding: Padding.Valid), Stax.Erf(), Stax.Flatten(), Stax.Dense(1)),
        ["conv-avgpool-gap-full"] = () => Stax.Serial(Stax.Conv(2, (2, 2), padding: Padding.Same), Stax.Relu(), Stax.AvgPool((2, 2)),
            Stax.Conv(2, (2, 2), padding: Padding.Circular, wStd: 1.1, bStd: 0.2), Stax.LeakyRelu(0.2), Stax.GlobalAvgPool(), Stax.Dense(1)),
        ["strided-sumpool-standard"] = () => Stax.Serial(Stax.Conv(2, (3, 3), strides: (2, 2), padding: Padding.Same,
            parameterization: Parameterization.Standard, bStd: 0.3), Stax.Abs(), Stax.SumPool((2, 1), padding: Padding.Same),
            Stax.GlobalSumPool(), Stax.Dense(1, parameterization: Parameterization.Standard)),
        ["residual-cnn"] = () => Stax.Serial(Stax.Conv(2, (2, 2), padding: Padding.Same), Stax.Relu(), Stax.FanOut(2),
            Stax.Parallel(Stax.Serial(Stax.Conv(2, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.Conv(2, (2, 2), padding: Padding.Same)),
                Stax.Identity()), Stax.FanInSum(),
            Stax.Conv(2, (2, 2)), Stax.Erf(), Stax.Flatten(), Stax.Dense(1)),
    };

    /// <summary>Convolutional networks (diagonal layout with Flatten, full layout with pooling and global pooling, every
    /// padding, strides, standard parameterisation, a residual block): the device spatial kernels on ILGPU's CPU
    /// accelerator against the CPU spatial engine, symmetric and rectangular, with a budget that forces several tiles.</summary>
    [Theory]
    [MemberData(nameof(ConvArchitectures))]
    public void Compute_ConvNetOnIlgpuCpu_MatchesCpuSpatialEngine(string name)
    {
        var net = ConvNetworks[name]();
        var x = new Tensor(Inputs(5, 4 * 4 * 2, 21).Data, 5, 4, 4, 2);
        var y = new Tensor(Inputs(3, 4 * 4 * 2, 22).Data, 3, 4, 4, 2);
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        var spatial = NtkSharp.Kernels.SpatialProgram.Compile(net, [4, 4, 2]);
        var budget = new KernelOptions { MemoryBudgetBytes = 8L * 4 * (2L * spatial.Registers + 1) * spatial.MaxSize };
        AssertClose(cpu.Compute(x), gpu.Compute(x, options: budget));
        AssertClose(cpu.Compute(x, y), gpu.Compute(x, y, options: budget));
    }

    /// <summary>Signals (N, L, C) through the same device path.</summary>
    [Fact]
    public void Compute_Conv1dSignalsOnIlgpuCpu_MatchesCpuSpatialEngine()
    {
        var net = Stax.Serial(Stax.Conv(2, (3, 1), padding: Padding.Circular), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        var x = new Tensor(Inputs(4, 6 * 2, 23).Data, 4, 6, 2);
        AssertClose(new KernelFunction(net).Compute(x), new KernelFunction(net, fixture.Context).Compute(x));
    }

    /// <summary>Full-layout programs on the group kernel at sizes that stress the striding across a group's threads
    /// (16 on ILGPU's CPU accelerator): 3-long signals (P² = 9 entries, fewer than the threads), 3×3 images (P² = 81,
    /// not a multiple of the group size), a pooling before any affine layer (Θ still zero), Flatten after pooling
    /// (the diagonal sum as a group reduction), NNGP only, and budgets of one and of two concurrent groups (many
    /// launches, ragged last ones).</summary>
    [Theory]
    [InlineData("signal-3", 1)]
    [InlineData("signal-3", 2)]
    [InlineData("image-3x3-flatten", 1)]
    [InlineData("image-3x3-gap", 2)]
    public void Compute_GroupKernelOddSizes_MatchesCpuSpatialEngine(string name, int concurrentPairs)
    {
        var (net, shape) = name switch
        {
            "signal-3" => (Stax.Serial(Stax.AvgPool((2, 1), padding: Padding.Same), Stax.Conv(2, (3, 1), padding: Padding.Same, bStd: 0.2),
                Stax.Relu(), Stax.SumPool((2, 1), padding: Padding.Circular), Stax.Conv(2, (2, 1), padding: Padding.Valid), Stax.Erf(),
                Stax.GlobalAvgPool(), Stax.Dense(1)), new[] { 3, 2 }),
            "image-3x3-flatten" => (Stax.Serial(Stax.Conv(2, (2, 2), padding: Padding.Same, wStd: 1.2, bStd: 0.1), Stax.Relu(),
                Stax.AvgPool((2, 2), padding: Padding.Same), Stax.Conv(2, (2, 2), padding: Padding.Circular), Stax.Abs(), Stax.Flatten(),
                Stax.Dense(1)), new[] { 3, 3, 2 }),
            _ => (Stax.Serial(Stax.Conv(3, (3, 3), padding: Padding.Same, parameterization: Parameterization.Standard, bStd: 0.3),
                Stax.LeakyRelu(0.1), Stax.Conv(2, (2, 2), strides: (2, 2), padding: Padding.Same), Stax.Relu(), Stax.GlobalSumPool(),
                Stax.Dense(1)), new[] { 3, 3, 2 }),
        };
        int d = shape.Aggregate(1, (a, b) => a * b);
        var x = new Tensor(Inputs(5, d, 31).Data, [5, .. shape]);
        var y = new Tensor(Inputs(4, d, 32).Data, [4, .. shape]);
        var spatial = NtkSharp.Kernels.SpatialProgram.Compile(net, shape);
        Assert.Equal(NtkSharp.Kernels.SpatialLayout.Full, spatial.Layout);
        var budget = new KernelOptions { MemoryBudgetBytes = 8L * concurrentPairs * ((2L * spatial.Registers + 1) * spatial.MaxSize + 2) };
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        AssertClose(cpu.Compute(x), gpu.Compute(x, options: budget));
        AssertClose(cpu.Compute(x, y), gpu.Compute(x, y, options: budget));
        var nngpOnly = gpu.Compute(x, y, outputs: KernelOutputs.Nngp, options: budget);
        Assert.False(nngpOnly.HasNtk);
        AssertClose(cpu.Compute(x, y, outputs: KernelOutputs.Nngp).Nngp!, nngpOnly.Nngp!);
    }

    /// <summary>The diagonal layout's interleaved thread kernel with one pair per launch and with a ragged last launch,
    /// NNGP only, symmetric (strict upper triangle crossing columns within a launch) and rectangular.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Compute_ThreadKernelSmallLaunchesNngpOnly_MatchesCpuSpatialEngine(int concurrentPairs)
    {
        var net = ConvNetworks["conv-flatten-diagonal"]();
        var x = new Tensor(Inputs(6, 4 * 4 * 2, 41).Data, 6, 4, 4, 2);
        var y = new Tensor(Inputs(3, 4 * 4 * 2, 42).Data, 3, 4, 4, 2);
        var spatial = NtkSharp.Kernels.SpatialProgram.Compile(net, [4, 4, 2]);
        Assert.Equal(NtkSharp.Kernels.SpatialLayout.Diagonal, spatial.Layout);
        var budget = new KernelOptions { MemoryBudgetBytes = 8L * concurrentPairs * ((2L * spatial.Registers + 1) * spatial.MaxSize + 2) };
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        AssertClose(cpu.Compute(x, outputs: KernelOutputs.Nngp).Nngp!, gpu.Compute(x, outputs: KernelOutputs.Nngp, options: budget).Nngp!);
        AssertClose(cpu.Compute(x, y, outputs: KernelOutputs.Nngp).Nngp!, gpu.Compute(x, y, outputs: KernelOutputs.Nngp, options: budget).Nngp!);
    }

    [Fact]
    public void Compute_ConvBudgetBelowOnePair_ThrowsArgumentExceptionNamingOptions()
    {
        var net = ConvNetworks["conv-avgpool-gap-full"]();
        var x = new Tensor(Inputs(2, 4 * 4 * 2, 21).Data, 2, 4, 4, 2);
        var spatial = NtkSharp.Kernels.SpatialProgram.Compile(net, [4, 4, 2]);
        long onePair = 8L * ((2L * spatial.Registers + 1) * spatial.MaxSize + 2);
        var e = Assert.Throws<ArgumentException>(() =>
            new KernelFunction(net, fixture.Context).Compute(x, options: new KernelOptions { MemoryBudgetBytes = onePair - 1 }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("MemoryBudgetBytes", e.Message);
        Assert.Contains(onePair.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    /// <summary>The strict upper triangle's linear numbering (column by column) is inverted exactly, also past 2³¹
    /// pairs where the square root's rounding needs the integer corrections.</summary>
    [Fact]
    public void PairOf_StrictUpper_InvertsColumnNumbering()
    {
        foreach (long j in new long[] { 1, 2, 3, 7, 1000, 65_536, 92_682, 99_999, 3_037_000 })
        {
            long start = j * (j - 1) / 2;
            foreach (long i in new[] { 0, j / 2, j - 1 })
            {
                Compute.Gpu.GpuSpatialKernels.PairOf(Compute.Gpu.SpatialPairMode.StrictUpper, 0, start + i, out int gi, out int gj);
                Assert.Equal((i, j), ((long)gi, (long)gj));
            }
        }
        Compute.Gpu.GpuSpatialKernels.PairOf(Compute.Gpu.SpatialPairMode.Rectangular, 7, 7 * 5 + 3, out int ri, out int rj);
        Assert.Equal((3, 5), (ri, rj));
    }

    /// <summary>Pairs per launch: the concurrency, the budget (workspace of 8- or 4-byte entries and two double results
    /// per pair) or the pair count, whichever is least.</summary>
    [Fact]
    public void LaunchWidth_BudgetConcurrencyAndPairs_TakesTheLeast()
    {
        var full = NtkSharp.Kernels.SpatialLayout.Full;
        Assert.Equal(1056, Compute.Gpu.GpuSpatialEngine.LaunchWidth(16L << 30, 3 * 614_656, 8, full, 1056, 2080));
        Assert.Equal(436, Compute.Gpu.GpuSpatialEngine.LaunchWidth(436L * 8 * (3 * 614_656 + 2), 3 * 614_656, 8, full, 1056, 2080));
        Assert.Equal(10, Compute.Gpu.GpuSpatialEngine.LaunchWidth(16L << 30, 3 * 614_656, 8, full, 1056, 10));
        Assert.Throws<ArgumentException>(() => Compute.Gpu.GpuSpatialEngine.LaunchWidth(8L * 3 * 614_656, 3 * 614_656, 8, full, 1056, 10));
        // Float workspaces: twice the pairs, less the room of the double results (2·436·(E + 2)/(E + 4) < 872).
        Assert.Equal(871, Compute.Gpu.GpuSpatialEngine.LaunchWidth(436L * 8 * (3 * 614_656 + 2), 3 * 614_656, 4, full, 1056, 2080));
        Assert.Equal(1, Compute.Gpu.GpuSpatialEngine.LaunchWidth(8L * 3 * 614_656, 3 * 614_656, 4, full, 1056, 10));
    }

    [Fact]
    public void TileEdge_Budget_IsGroupMultipleWithinBudget()
    {
        Assert.Equal(16, Compute.Gpu.GpuKernelEngine.TileEdge(1, true, 8, 1000, 1000));
        // Budget 100 MiB for two sets of K and Θ doubles: at most 1810² entries per buffer, so 56 tiles along 100,000,
        // balanced to 1786 → 1792.
        Assert.Equal(1792, Compute.Gpu.GpuKernelEngine.TileEdge(100L << 20, true, 8, 100_000, 100_000));
        int t = Compute.Gpu.GpuKernelEngine.TileEdge(100L << 20, false, 8, 20_000, 7);
        Assert.True(t % 16 == 0 && 2 * 8L * t * t <= 100L << 20, $"T = {t}");
        Assert.Equal((20_000 + 2560 - 1) / 2560, (20_000 + t - 1) / t); // as few tiles as the budget's largest edge (2560)
        Assert.Equal(48, Compute.Gpu.GpuKernelEngine.TileEdge(2L << 30, false, 8, 40, 33));
    }

    /// <summary>Rectangular results get their own row and column edges: a short axis is covered whole, so the device
    /// buffers (copied whole) are not mostly empty; both within the budget, group multiples.</summary>
    [Theory]
    [InlineData(1000, 20_000, 2L << 30)]
    [InlineData(20_000, 7, 2L << 30)]
    [InlineData(7, 20_000, 100L << 20)]
    [InlineData(30_000, 25_000, 100L << 20)]
    [InlineData(40, 33, 2L << 30)]
    public void TileShape_Rectangular_CoversShortAxisWithinBudget(int n1, int n2, long budget)
    {
        var (rows, cols) = Compute.Gpu.GpuKernelEngine.TileShape(budget, true, 8, n1, n2, symmetric: false);
        Assert.True(rows % 16 == 0 && cols % 16 == 0, $"{rows}×{cols}");
        Assert.True(2L * 2 * 8 * rows * cols <= Math.Max(budget, 2L * 2 * 8 * 16 * 16), $"{rows}×{cols} over the budget");
        int shortAxis = Math.Min(n1, n2);
        long squareEdge = Math.Min(46_336, (long)Math.Sqrt(budget / (2.0 * 2 * 8)));
        if ((shortAxis + 15) / 16 * 16 <= squareEdge)
            Assert.Equal((shortAxis + 15) / 16 * 16, shortAxis == n1 ? rows : cols);
        // The fill of the device buffers: the result's entries over the entries the tiles' copies move.
        long tiles = (long)((n1 + rows - 1) / rows) * ((n2 + cols - 1) / cols);
        double fill = (double)n1 * n2 / (tiles * rows * cols);
        double padding = n1 / (double)((n1 + 15) / 16 * 16) * (n2 / (double)((n2 + 15) / 16 * 16)); // group-multiple rounding
        Assert.True(fill > 0.5 * padding, $"{rows}×{cols}: fill {fill:P0}");
    }

    [Fact]
    public void TileShape_Symmetric_IsSquareTileEdge()
        => Assert.Equal((1792, 1792), Compute.Gpu.GpuKernelEngine.TileShape(100L << 20, true, 8, 100_000, 100_000, symmetric: true));

    /// <summary>Float tiles have 4-byte entries: twice the area (√2 the edge) of double tiles under the same budget.</summary>
    [Fact]
    public void TileEdge_FloatEntries_TwiceTheAreaOfDoubleTiles()
    {
        // 100 MiB for two sets of K and Θ floats: at most 2560² entries per buffer, 40 tiles along 100,000 → 2512.
        Assert.Equal(2512, Compute.Gpu.GpuKernelEngine.TileEdge(100L << 20, true, 4, 100_000, 100_000));
        int t64 = Compute.Gpu.GpuKernelEngine.TileEdge(1L << 30, true, 8, 1_000_000, 1_000_000);
        int t32 = Compute.Gpu.GpuKernelEngine.TileEdge(1L << 30, true, 4, 1_000_000, 1_000_000);
        Assert.True(2 * 2 * 4L * t32 * t32 <= 1L << 30, $"T = {t32}");
        Assert.InRange((double)t32 * t32 / ((double)t64 * t64), 1.9, 2.1);
    }

    [Fact]
    public void Describe_IlgpuCpu_NamesTheAccelerator()
    {
        Assert.Equal(ComputeBackend.IlgpuCpu, fixture.Context.Backend);
        Assert.Contains("ILGPU CPU accelerator", fixture.Context.Describe());
    }

    [Fact]
    public void UseForLinearAlgebra_NotCuda_ThrowsNamingTheBackend()
    {
        var e = Assert.Throws<InvalidOperationException>(() => fixture.Context.UseForLinearAlgebra());
        Assert.Contains("IlgpuCpu", e.Message);
    }

    [Fact]
    public void Cuda_NoDeviceWithThatIndex_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeContext.Cuda(ComputeContext.CudaDeviceCount));
    }

    [Fact]
    public void KernelFunction_DisposedContext_ThrowsObjectDisposed()
    {
        var context = ComputeContext.IlgpuCpu();
        var kf = new KernelFunction(Stax.Serial(Stax.Dense(4), Stax.Relu(), Stax.Dense(1)), context);
        context.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kf.Compute(Inputs(2, 3, 1)));
    }

    private static void AssertClose(KernelResult expected, KernelResult actual)
    {
        AssertClose(expected.Nngp!, actual.Nngp!);
        AssertClose(expected.Ntk!, actual.Ntk!);
        AssertClose(expected.NngpVariances1.ToColumnMatrix(), actual.NngpVariances1.ToColumnMatrix());
        AssertClose(expected.NtkVariances1.ToColumnMatrix(), actual.NtkVariances1.ToColumnMatrix());
        AssertClose(expected.NngpVariances2.ToColumnMatrix(), actual.NngpVariances2.ToColumnMatrix());
        AssertClose(expected.NtkVariances2.ToColumnMatrix(), actual.NtkVariances2.ToColumnMatrix());
    }

    private static void AssertClose(MathNet.Numerics.LinearAlgebra.Matrix<double> expected, MathNet.Numerics.LinearAlgebra.Matrix<double> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double scale = expected.Enumerate().Max(Math.Abs);
        Assert.True(scale > 0);
        double err = (expected - actual).Enumerate().Max(Math.Abs);
        Assert.True(err <= Tolerance * scale, $"max |Δ| = {err:E3} > {Tolerance:E0}·{scale:E3}");
    }
}
