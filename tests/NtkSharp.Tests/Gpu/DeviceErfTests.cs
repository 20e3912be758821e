using NtkSharp.Kernels;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>fdlibm's exp and erf in plain arithmetic (<see cref="DeviceMath"/>), used by the finite networks' Erf
/// activation on the CPU and in the GPU ensemble kernels, against the runtime's exp and MathNet's erf.</summary>
public class DeviceErfTests
{
    private static double Ulp(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);

    [Fact]
    public void Exp_RandomArguments_WithinOneUlpOfMathExp()
    {
        var rng = new Random(7);
        for (int n = 0; n < 200_000; n++)
        {
            double x = (rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-10, 3)) * (n % 7 == 0 ? 7 : 1);
            double expected = Math.Exp(x);
            Assert.True(Math.Abs(DeviceMath.Exp(x) - expected) <= Ulp(expected), $"exp({x:R}) = {DeviceMath.Exp(x):R}, expected {expected:R}");
        }
        Assert.Equal(1.0, DeviceMath.Exp(0.0));
        Assert.Equal(double.PositiveInfinity, DeviceMath.Exp(710));
        Assert.Equal(0.0, DeviceMath.Exp(-746));
        Assert.True(double.IsNaN(DeviceMath.Exp(double.NaN)));
        foreach (double x in new[] { 709.7, -708.5, -740.0, 0.34657359027997264, 1.0397207708399179, -0.5, 1e-9 })
        {
            double expected = Math.Exp(x);
            Assert.True(Math.Abs(DeviceMath.Exp(x) - expected) <= Ulp(expected), $"exp({x:R})");
        }
    }

    /// <summary>Every branch of the rational approximations (break points 0.84375, 1.25, 1/0.35, 6) agrees with MathNet's
    /// erf to two ulps, which a mistyped coefficient would break by orders of magnitude.</summary>
    [Fact]
    public void Erf_AllBranches_WithinTwoUlpsOfMathNet()
    {
        var rng = new Random(11);
        for (int n = 0; n < 200_000; n++)
        {
            double x = (rng.NextDouble() * 2 - 1) * (n % 3 == 0 ? 7.0 : n % 3 == 1 ? 1.5 : Math.Pow(10, rng.Next(-12, 0)));
            double expected = MathNet.Numerics.SpecialFunctions.Erf(x);
            Assert.True(Math.Abs(DeviceMath.Erf(x) - expected) <= 2 * Ulp(expected), $"erf({x:R}) = {DeviceMath.Erf(x):R}, expected {expected:R}");
        }
        foreach (double x in new[] { 0.84375, 1.25, 2.857142857142857, 6.0, 5.999, 1e-300, 3e-9 })
        {
            foreach (double s in new[] { 1.0, -1.0 })
            {
                double expected = MathNet.Numerics.SpecialFunctions.Erf(s * x);
                Assert.True(Math.Abs(DeviceMath.Erf(s * x) - expected) <= 2 * Ulp(expected), $"erf({s * x:R})");
            }
        }
        Assert.Equal(1.0, DeviceMath.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, DeviceMath.Erf(double.NegativeInfinity));
        Assert.True(double.IsNaN(DeviceMath.Erf(double.NaN)));
    }
}
