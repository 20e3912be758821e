using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>Invalid inputs raise the documented exceptions naming the argument; cancellation and progress work.</summary>
public class KernelFunctionValidationTests
{
    private static readonly KernelFunction Kf = new(KernelTestData.Mlp(3, Stax.Relu));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Compute_NonFiniteX1_ThrowsNamingX1(double bad)
    {
        var x = KernelTestData.Gaussian(5, 4, 1);
        x[3, 2] = bad;
        var e = Assert.Throws<ArgumentException>("x1", () => Kf.Compute(x));
        Assert.Contains("non-finite", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Compute_NonFiniteX2_ThrowsNamingX2(double bad)
    {
        var x2 = KernelTestData.Gaussian(3, 4, 2);
        x2[0, 0] = bad;
        Assert.Throws<ArgumentException>("x2", () => Kf.Compute(KernelTestData.Gaussian(5, 4, 1), x2));
    }

    [Fact]
    public void Compute_MismatchedFeatureCount_ThrowsNamingX2()
        => Assert.Throws<ArgumentException>("x2", () => Kf.Compute(KernelTestData.Gaussian(5, 4, 1), KernelTestData.Gaussian(3, 6, 2)));

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(7)]
    public void Compute_InvalidOutputsFlag_ThrowsNamingOutputs(int flag)
        => Assert.Throws<ArgumentOutOfRangeException>("outputs", () => Kf.Compute(KernelTestData.Gaussian(5, 4, 1), outputs: (KernelOutputs)flag));

    [Fact]
    public void Compute_NullX1_Throws()
        => Assert.Throws<ArgumentNullException>("x1", () => Kf.Compute((Tensor)null!));

    [Fact]
    public void Compute_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Kf.Compute(KernelTestData.Gaussian(50, 4, 1), cancellationToken: cts.Token));
    }

    /// <summary>Cancelling from the first progress report stops the run before it finishes.</summary>
    [Fact]
    public void Compute_CancelledWhileRunning_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(_ => cts.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Kf.Compute(KernelTestData.Gaussian(1500, 4, 1), progress: progress, cancellationToken: cts.Token));
        Assert.True(progress.Reports.Count >= 1);
        Assert.True(progress.Reports.Max(p => p.Done) < 1500, "the run went to the end despite cancellation");
    }

    [Fact]
    public void Compute_WithProgress_ReportsUpToTotal()
    {
        var progress = new SyncProgress(null);
        var r = new KernelFunction(KernelTestData.Residual(1)).Compute(KernelTestData.Gaussian(300, 4, 1), KernelTestData.Gaussian(200, 4, 2), progress: progress);
        Assert.NotNull(r.Ntk);
        Assert.NotEmpty(progress.Reports);
        Assert.All(progress.Reports, p => Assert.Equal(200, p.Total));
        Assert.All(progress.Reports, p => Assert.InRange(p.Fraction, 0, 1));
        Assert.Equal(200, progress.Reports.Max(p => p.Done));
    }

    /// <summary>An IProgress that records synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<KernelProgress>? onReport) : IProgress<KernelProgress>
    {
        private readonly object _gate = new();

        public List<KernelProgress> Reports { get; } = [];

        public void Report(KernelProgress value)
        {
            lock (_gate) Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Compute_NonPositiveMemoryBudget_ThrowsNamingOptions(long budget)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>("options",
            () => Kf.Compute(KernelTestData.Gaussian(5, 4, 1), options: new KernelOptions { MemoryBudgetBytes = budget }));
        Assert.Contains("MemoryBudgetBytes", e.Message);
    }

    [Fact]
    public void Compute_ZeroThreads_ThrowsNamingOptions()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>("options",
            () => Kf.Compute(KernelTestData.Gaussian(5, 4, 1), options: new KernelOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Contains("MaxDegreeOfParallelism", e.Message);
    }

    [Fact]
    public void MemoryBudgetBytes_Default_IsNullAndResolvesToTwoGiB()
    {
        Assert.Null(KernelOptions.Default.MemoryBudgetBytes);
        Assert.Equal(2L << 30, KernelOptions.Default.BudgetOr());
        Assert.Equal(12345L, new KernelOptions { MemoryBudgetBytes = 12345 }.BudgetOr(1L << 40));
    }
}
