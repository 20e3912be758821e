using NtkSharp.Kernels;
using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>DeviceMath's plain-arithmetic sin, cos, expm1, log1p and tanh against the runtime's libm.</summary>
public class DeviceTrigTests
{
    [Fact]
    public void SinCos_Grid_MatchLibm()
    {
        double worst = 0;
        for (double x = -1e5; x <= 1e5; x += 9.87654321)
        {
            worst = Math.Max(worst, Math.Abs(DeviceMath.Sin(x) - Math.Sin(x)));
            worst = Math.Max(worst, Math.Abs(DeviceMath.Cos(x) - Math.Cos(x)));
        }
        for (double x = -7; x <= 7; x += 0.001)
        {
            worst = Math.Max(worst, Math.Abs(DeviceMath.Sin(x) - Math.Sin(x)));
            worst = Math.Max(worst, Math.Abs(DeviceMath.Cos(x) - Math.Cos(x)));
        }
        Assert.True(worst < 1e-15, $"max |Δ| = {worst:E2}");
        Assert.Equal(1e-20, DeviceMath.Sin(1e-20));
    }

    [Fact]
    public void Expm1Log1pTanh_Grid_MatchLibm()
    {
        double worst = 0, worstTanh = 0, worstLog = 0, at = 0;
        for (double x = -20; x <= 20; x += 0.0137)
        {
            double refExpm1 = 2 * Math.Sinh(x / 2) * Math.Exp(x / 2); // eˣ − 1 without cancellation
            double e = Math.Abs(DeviceMath.Expm1(x) - refExpm1) / Math.Max(Math.Abs(refExpm1), 1e-300);
            if (e > worst) (worst, at) = (e, x);
            worstTanh = Math.Max(worstTanh, Math.Abs(DeviceMath.Tanh(x) - Math.Tanh(x)) / Math.Max(Math.Abs(Math.Tanh(x)), 1e-300));
        }
        for (double t = 0; t <= 1; t += 0.001)
        {
            double u = 1 + t, r = u == 1 ? t : Math.Log(u) - ((u - 1) - t) / u; // Goldberg's correction of the rounding of 1 + t
            worstLog = Math.Max(worstLog, Math.Abs(DeviceMath.Log1pUnit(t) - r) / Math.Max(r, 1e-300));
        }
        Assert.True(worst < 1e-14, $"expm1: max relative |Δ| = {worst:E2} at {at}");
        Assert.True(worstTanh < 1e-14, $"tanh: max relative |Δ| = {worstTanh:E2}");
        Assert.True(worstLog < 1e-14, $"log1p: max relative |Δ| = {worstLog:E2}");
    }
}
