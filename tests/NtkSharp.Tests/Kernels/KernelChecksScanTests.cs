using NtkSharp.Kernels;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>The parallel SIMD scan for non-finite kernel entries against the element-by-element definition: the first
/// NaN or ±∞ wherever it sits (first lane, chunk borders, the scalar tail, several in different chunks), none among
/// finite extremes.</summary>
public class KernelChecksScanTests
{
    private static double[] Data(int n)
    {
        var rng = new Random(n);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-300, 300));
        return a;
    }

    private static long Reference(double[] a) => Array.FindIndex(a, v => !double.IsFinite(v));

    [Theory]
    [InlineData(0, double.NaN)]
    [InlineData(65535, double.PositiveInfinity)]
    [InlineData(65536, double.NegativeInfinity)]
    [InlineData(200_003, double.NaN)]
    [InlineData(200_006, double.PositiveInfinity)]
    public void FirstNonFinite_OneBadEntry_FindsIt(int at, double bad)
    {
        var a = Data(200_007);
        a[at] = bad;
        long found = KernelChecks.FirstNonFinite(a, new ParallelOptions { MaxDegreeOfParallelism = 2 });
        Assert.True(found == at, $"found {found}, expected {at}");
    }

    [Fact]
    public void FirstNonFinite_SeveralInDifferentChunks_FindsTheFirst()
    {
        var a = Data(400_000);
        foreach (int k in new[] { 390_001, 131_073, 70_000, 131_072 }) a[k] = double.NaN;
        a[250_000] = double.NegativeInfinity;
        long found = KernelChecks.FirstNonFinite(a, new ParallelOptions());
        Assert.True(found == Reference(a), $"found {found}, expected {Reference(a)}");
    }

    [Fact]
    public void FirstNonFinite_FiniteExtremes_ReturnsMinusOne()
    {
        var a = Data(100_001);
        a[5] = double.MaxValue;
        a[6] = -double.MaxValue;
        a[7] = double.Epsilon;
        a[8] = -0.0;
        a[100_000] = double.MinValue;
        long found = KernelChecks.FirstNonFinite(a, new ParallelOptions());
        Assert.True(found == -1, $"found {found} ({(found >= 0 ? a[found] : double.NaN)})");
    }
}
