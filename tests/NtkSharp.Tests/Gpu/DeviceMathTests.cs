using NtkSharp.Kernels;
using Xunit;

namespace NtkSharp.Tests.Gpu;

public class DeviceMathTests
{
    private static double Ulp(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);

    /// <summary>fdlibm's atan2 in plain arithmetic agrees with the C library's atan2 to two ulps over all quadrants and
    /// a wide range of magnitudes (including the reduction break points 7/16, 11/16, 19/16, 39/16).</summary>
    [Fact]
    public void Atan2_RandomPointsAllQuadrants_WithinTwoUlpsOfMathAtan2()
    {
        var rng = new Random(1234);
        for (int n = 0; n < 200_000; n++)
        {
            double y = (rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-12, 13));
            double x = (rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-12, 13));
            double expected = Math.Atan2(y, x);
            Assert.True(Math.Abs(DeviceMath.Atan2(y, x) - expected) <= 2 * Ulp(expected), $"atan2({y:R}, {x:R})");
        }
        foreach (double r in new[] { 0.4375, 0.6875, 1.1875, 2.4375, 1.0, 0.5, 1.5, 1e-9, 1e300 })
        {
            foreach (double s in new[] { 1.0, -1.0 })
            {
                double expected = Math.Atan(s * r);
                Assert.True(Math.Abs(DeviceMath.Atan(s * r) - expected) <= Ulp(expected), $"atan({s * r:R})");
                Assert.True(Math.Abs(DeviceMath.Atan(Math.BitDecrement(s * r)) - Math.Atan(Math.BitDecrement(s * r))) <= Ulp(expected));
            }
        }
    }

    /// <summary>The IEEE special cases of atan2 (signed zeros, infinities, NaN) are those of Math.Atan2.</summary>
    [Fact]
    public void Atan2_SpecialValues_MatchMathAtan2()
    {
        double inf = double.PositiveInfinity;
        (double Y, double X)[] cases = [(0.0, 1.0), (-0.0, 1.0), (0.0, -1.0), (-0.0, -1.0), (0.0, -0.0), (-0.0, -0.0),
            (1.0, 0.0), (-1.0, -0.0), (inf, inf), (-inf, -inf), (1.0, -inf), (-1.0, inf), (inf, 3.0), (double.NaN, 1.0), (1.0, double.NaN)];
        foreach (var (y, x) in cases)
        {
            double expected = Math.Atan2(y, x), actual = DeviceMath.Atan2(y, x);
            if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"atan2({y}, {x})");
            else Assert.True(Math.Abs(actual - expected) <= Ulp(expected) && double.IsNegative(actual) == double.IsNegative(expected),
                $"atan2({y}, {x}) = {actual:R}, expected {expected:R}");
        }
    }

    /// <summary>arccos and arcsin through atan2 keep full relative precision as ρ → 1: for ρ = 1 − δ,
    /// arccos ρ = 2·arcsin√(δ/2), whose Taylor series u + u³/6 + 3u⁵/40 + 5u⁷/112 is exact to double here.</summary>
    [Theory]
    [InlineData(-20)]
    [InlineData(-30)]
    [InlineData(-40)]
    [InlineData(-50)]
    public void AcosAsin_NearOne_RelativeErrorBelow1e15(int log2Delta)
    {
        double delta = Math.ScaleB(1.0, log2Delta), rho = 1.0 - delta;
        double u = Math.Sqrt(delta / 2), u2 = u * u;
        double acos = 2 * u * (1 + u2 * (1.0 / 6 + u2 * (3.0 / 40 + u2 * 5.0 / 112)));
        Assert.Equal(1.0, DeviceMath.Acos(rho) / acos, 1e-15);
        double asin = Math.PI / 2 - acos;
        Assert.Equal(1.0, DeviceMath.Asin(rho) / asin, 1e-15);
        Assert.Equal(-1.0, DeviceMath.Asin(-rho) / asin, 1e-15);
        Assert.Equal(1.0, (Math.PI - DeviceMath.Acos(-rho)) / acos, 1e-15 / acos);
    }
}
