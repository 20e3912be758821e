using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Convolutions;

/// <summary>Exact structural identities of convolutional kernels.</summary>
public class ConvKernelIdentityTests
{
    private static void AssertClose(KernelResult expected, KernelResult actual, double tol)
    {
        double scale = 1 + ConvTestData.MaxAbs(expected.Nngp!) + ConvTestData.MaxAbs(expected.Ntk!);
        Assert.True(ConvTestData.MaxAbs(expected.Nngp! - actual.Nngp!) <= tol * scale, $"NNGP differs by {ConvTestData.MaxAbs(expected.Nngp! - actual.Nngp!)}");
        Assert.True(ConvTestData.MaxAbs(expected.Ntk! - actual.Ntk!) <= tol * scale, $"NTK differs by {ConvTestData.MaxAbs(expected.Ntk! - actual.Ntk!)}");
    }

    [Fact]
    public void Compute_OneByOneConvOnSinglePixel_EqualsFullyConnectedEngine()
    {
        var conv = Stax.Serial(Stax.Conv(64, (1, 1), wStd: 1.4, bStd: 0.2), Stax.Relu(), Stax.Conv(64, (1, 1), wStd: 1.1, bStd: 0.1), Stax.Erf(),
            Stax.Flatten(), Stax.Dense(1, wStd: 0.8, bStd: 0.05));
        var dense = Stax.Serial(Stax.Dense(64, wStd: 1.4, bStd: 0.2), Stax.Relu(), Stax.Dense(64, wStd: 1.1, bStd: 0.1), Stax.Erf(),
            Stax.Dense(1, wStd: 0.8, bStd: 0.05));
        // x2 ≠ x1: on the Gram diagonal the FC engine's K(x, x) may differ from its recorded variance by an ulp, which the
        // ReLU dual amplifies to ~1e-9 (θ ≈ √(2(1 − ρ))); off-diagonal pairs compare at rounding level.
        var x1 = ConvTestData.Images(1, 5, 1, 1, 3);
        var x2 = ConvTestData.Images(2, 4, 1, 1, 3);
        AssertClose(new KernelFunction(dense).Compute(x1.Reshape(5, 3), x2.Reshape(4, 3)), new KernelFunction(conv).Compute(x1, x2), 1e-13);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compute_OneByOneConv_EqualsDensePerPixel(bool pooled)
    {
        Layer Readout() => pooled ? Stax.GlobalAvgPool() : Stax.Flatten();
        var conv = Stax.Serial(Stax.Conv(8, (1, 1), wStd: 1.4, bStd: 0.2, parameterization: Parameterization.Standard), Stax.Relu(),
            Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.Conv(8, (1, 1), wStd: 1.2), Stax.Relu(), Readout(), Stax.Dense(1));
        var dense = Stax.Serial(Stax.Dense(8, wStd: 1.4, bStd: 0.2, parameterization: Parameterization.Standard), Stax.Relu(),
            Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.Dense(8, wStd: 1.2), Stax.Relu(), Readout(), Stax.Dense(1));
        var x = ConvTestData.Images(2, 4, 4, 5, 2);
        AssertClose(new KernelFunction(dense).Compute(x), new KernelFunction(conv).Compute(x), 1e-13);
    }

    [Fact]
    public void Compute_FlattenFirst_EqualsDenseOnFlattenedInput()
    {
        var fc = Stax.Serial(Stax.Dense(32, wStd: 1.3, bStd: 0.1, parameterization: Parameterization.Standard), Stax.Relu(), Stax.Dense(1, wStd: 1.1));
        var onImages = Stax.Serial(Stax.Flatten(), fc);
        var x = ConvTestData.Images(3, 6, 3, 4, 2);
        AssertClose(new KernelFunction(fc).Compute(x.Reshape(6, 24)), new KernelFunction(onImages).Compute(x), 1e-13);
    }

    [Fact]
    public void Compute_FlattenOnVectors_EqualsNetworkWithoutFlatten()
    {
        var fc = Stax.Serial(Stax.Dense(32, wStd: 1.3, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.1));
        var x1 = ConvTestData.Images(12, 4, 6);
        var x2 = ConvTestData.Images(13, 3, 6);
        AssertClose(new KernelFunction(fc).Compute(x1, x2), new KernelFunction(Stax.Serial(Stax.Flatten(), fc)).Compute(x1, x2), 1e-13);
    }

    [Fact]
    public void Compute_FlattenNetwork_FullAndDiagonalLayoutsAgree()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(),
            Stax.Conv(8, (2, 3), strides: (2, 1), padding: Padding.Circular, wStd: 1.3), Stax.Erf(),
            Stax.Conv(8, (2, 2), bStd: 0.2, parameterization: Parameterization.Standard), Stax.Relu(), Stax.Flatten(), Stax.Dense(1));
        var x1 = ConvTestData.Images(4, 3, 6, 5, 2);
        var x2 = ConvTestData.Images(5, 4, 6, 5, 2);
        var diagonal = SpatialProgram.Compile(net, [6, 5, 2]);
        var full = SpatialProgram.Compile(net, [6, 5, 2], SpatialLayout.Full);
        Assert.Equal(SpatialLayout.Diagonal, diagonal.Layout);
        var a = CpuSpatialEngine.Compute(diagonal, x1, x2, KernelOutputs.Both, KernelOptions.Default, null, default);
        var b = CpuSpatialEngine.Compute(full, x1, x2, KernelOutputs.Both, KernelOptions.Default, null, default);
        AssertClose(a, b, 1e-13);
    }

    [Fact]
    public void Compile_PoolingNetwork_UsesFullLayoutAndRefusesDiagonal()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        Assert.Equal(SpatialLayout.Full, SpatialProgram.Compile(net, [4, 4, 1]).Layout);
        var ex = Assert.Throws<ArchitectureException>(() => SpatialProgram.Compile(net, [4, 4, 1], SpatialLayout.Diagonal));
        Assert.Equal("[2]", ex.LayerPath);
    }

    public static TheoryData<int> Readouts => new() { 0, 1, 2 };

    private static Serial CircularNet(int readout) => Stax.Serial(
        Stax.Conv(8, (3, 2), padding: Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
        Stax.Conv(8, (2, 3), padding: Padding.Circular, wStd: 1.2), Stax.Erf(),
        readout switch
        {
            0 => Stax.Flatten(),
            1 => Stax.GlobalAvgPool(),
            _ => Stax.Serial(Stax.AvgPool((2, 2), padding: Padding.Circular), Stax.Conv(4, (3, 3), padding: Padding.Circular), Stax.Relu(), Stax.GlobalSumPool()),
        },
        Stax.Dense(1, bStd: 0.2));

    [Theory]
    [MemberData(nameof(Readouts))]
    public void Compute_CircularPadding_InvariantUnderEveryCyclicShift(int readout)
    {
        const int h = 4, w = 5;
        var kf = new KernelFunction(CircularNet(readout));
        var x1 = ConvTestData.Images(6, 2, h, w, 2);
        var x2 = ConvTestData.Images(7, 2, h, w, 2);
        var reference = kf.Compute(x1, x2);
        for (int dh = 0; dh < h; dh++)
        {
            for (int dw = 0; dw < w; dw++)
            {
                if (dh == 0 && dw == 0) continue;
                (int, int) Shift(int a, int b) => ((a + dh) % h, (b + dw) % w);
                var shifted = kf.Compute(ConvTestData.Remap(x1, Shift), ConvTestData.Remap(x2, Shift));
                AssertClose(reference, shifted, 1e-12);
            }
        }
    }

    public static TheoryData<Padding, int> RotationCases => new()
    {
        { Padding.Same, 0 }, { Padding.Same, 1 }, { Padding.Same, 2 }, { Padding.Circular, 0 }, { Padding.Circular, 1 }, { Padding.Circular, 2 },
    };

    [Theory]
    [MemberData(nameof(RotationCases))]
    public void Compute_SquareOddFilters_InvariantUnderRotationsAndFlips(Padding padding, int readout)
    {
        const int n = 5;
        Layer head = readout switch
        {
            0 => Stax.Flatten(),
            1 => Stax.GlobalAvgPool(),
            _ => Stax.Serial(Stax.AvgPool((3, 3), padding: Padding.Same), Stax.GlobalAvgPool()),
        };
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: padding, wStd: 1.5, bStd: 0.1), Stax.Relu(),
            Stax.Conv(8, (3, 3), padding: padding, wStd: 1.2), Stax.Relu(), Stax.Conv(8, (1, 1)), Stax.Erf(), head, Stax.Dense(1));
        var kf = new KernelFunction(net);
        var x1 = ConvTestData.Images(8, 2, n, n, 2);
        var x2 = ConvTestData.Images(9, 3, n, n, 2);
        var reference = kf.Compute(x1, x2);
        var maps = new Func<int, int, (int, int)>[]
        {
            (a, b) => (b, n - 1 - a),         // rotation by 90°
            (a, b) => (n - 1 - a, n - 1 - b), // rotation by 180°
            (a, b) => (n - 1 - b, a),         // rotation by 270°
            (a, b) => (a, n - 1 - b),         // horizontal flip
            (a, b) => (n - 1 - a, b),         // vertical flip
            (a, b) => (b, a),                 // transpose
        };
        foreach (var map in maps)
            AssertClose(reference, kf.Compute(ConvTestData.Remap(x1, map), ConvTestData.Remap(x2, map)), 1e-12);
    }

    [Fact]
    public void Compute_WithoutX2_EqualsExplicitX2AndIsSymmetric()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.AvgPool((2, 2), strides: (2, 2)), Stax.Conv(8, (2, 2)),
            Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        var x = ConvTestData.Images(11, 9, 6, 6, 1);
        var kf = new KernelFunction(net);
        var sym = kf.Compute(x, options: new KernelOptions { MemoryBudgetBytes = 1 << 20 });
        var explicitX2 = kf.Compute(x, x);
        Assert.True(sym.IsSymmetric);
        AssertClose(explicitX2, sym, 1e-15);
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(sym.NngpVariances1[i], sym.Nngp![i, i], 1e-14);
            Assert.Equal(sym.NtkVariances1[i], sym.Ntk![i, i], 1e-14);
        }
    }

    [Fact]
    public void Compute_Cancelled_Throws()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new KernelFunction(net).Compute(ConvTestData.Images(1, 4, 4, 4, 1), cancellationToken: cts.Token));
    }

    [Fact]
    public void Compute_Progress_ReportsEveryTileUpToTotal()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        var reports = new System.Collections.Concurrent.ConcurrentBag<KernelProgress>();
        var progress = new SyncProgress(reports.Add);
        new KernelFunction(net).Compute(ConvTestData.Images(1, 6, 12, 12, 1), progress: progress);
        Assert.NotEmpty(reports);
        long total = reports.First().Total;
        Assert.All(reports, r => Assert.Equal(total, r.Total));
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), reports.Select(r => r.Done).OrderBy(d => d));
    }

    private sealed class SyncProgress(Action<KernelProgress> report) : IProgress<KernelProgress>
    {
        public void Report(KernelProgress value) => report(value);
    }
}
