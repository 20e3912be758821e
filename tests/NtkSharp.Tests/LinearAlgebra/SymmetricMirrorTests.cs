using NtkSharp.LinearAlgebra;
using Xunit;

namespace NtkSharp.Tests.LinearAlgebra;

public sealed class SymmetricMirrorTests
{
    private static double[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
        return a;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_EitherTriangleAcrossTiles_EqualsLoopMirrorWithShift(bool fromUpper)
    {
        int n = 150; // several 64-wide tiles and a ragged edge
        var a = Random(n, 1);
        var dst = new double[n * n];
        var scan = SymmetricMirror.Build(a, dst, n, fromUpper, 0.25, "a");
        double worst = 0, scale = 0;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                double kept = fromUpper ? a[Math.Min(i, j) + Math.Max(i, j) * n] : a[Math.Max(i, j) + Math.Min(i, j) * n];
                if (i == j) kept += 0.25;
                Assert.Equal(kept, dst[i + j * n]);
                worst = Math.Max(worst, Math.Abs(a[i + j * n] - a[j + i * n]));
                scale = Math.Max(scale, Math.Abs(a[i + j * n]));
            }
        }
        Assert.Equal(worst, scan.Worst);
        Assert.Equal(scale, scan.Scale);
        Assert.Throws<ArgumentException>(() => SymmetricMirror.Require(scan, "a"));
    }

    [Fact]
    public void Build_InPlaceOnSymmetricInput_KeepsValuesAndPassesRequire()
    {
        int n = 70;
        var a = Random(n, 2);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < j; i++) a[i + j * n] = a[j + i * n];
        var copy = (double[])a.Clone();
        var scan = SymmetricMirror.Build(a, a, n, true, 0, "a");
        Assert.Equal(0, scan.Worst);
        Assert.Equal(copy, a);
        SymmetricMirror.Require(scan, "a");
    }

    [Theory]
    [InlineData(false, "(5, 9)")]
    [InlineData(true, "(9, 5)")]
    public void Build_NonFinite_NamesArgumentAndPositionInCallerOrientation(bool fromUpper, string where)
    {
        int n = 12;
        var a = Random(n, 3);
        a[5 + 9 * n] = double.NaN; // column-major (5, 9); for a C-order caller (fromUpper) that is row 9, column 5
        var e = Assert.Throws<ArgumentException>(() => SymmetricMirror.Build(a, new double[n * n], n, fromUpper, 0, "kernel"));
        Assert.Equal("kernel", e.ParamName);
        Assert.Contains(where, e.Message);
    }
}
