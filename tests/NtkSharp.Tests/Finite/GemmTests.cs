using NtkSharp.Finite;
using Xunit;

namespace NtkSharp.Tests.Finite;

public class GemmTests
{
    [Theory]
    [InlineData(false, false, 1, 1, 1)]
    [InlineData(false, false, 7, 19, 5)]
    [InlineData(true, false, 13, 33, 300)]
    [InlineData(false, true, 50, 17, 260)]
    [InlineData(true, true, 6, 16, 8)]
    [InlineData(false, false, 100, 2100, 3)]
    public void Multiply_AllTransposes_MatchesNaiveProduct(bool ta, bool tb, int m, int n, int k)
    {
        var rng = new GaussianSampler(7);
        var a = new double[m * k];
        var b = new double[k * n];
        var c = new double[m * n];
        rng.FillGaussian(a, 1);
        rng.FillGaussian(b, 1);
        rng.FillGaussian(c, 1);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int q = 0; q < k; q++) s += (ta ? a[q * m + i] : a[i * k + q]) * (tb ? b[j * k + q] : b[q * n + j]);
                expected[i * n + j] = 1.5 * s - 0.5 * c[i * n + j];
            }
        }
        Gemm.Multiply(ta, tb, m, n, k, 1.5, a, ta ? m : k, b, tb ? k : n, -0.5, c, n, new double[Gemm.ScratchLength]);
        for (int i = 0; i < c.Length; i++) Assert.Equal(expected[i], c[i], 10);
    }
}
