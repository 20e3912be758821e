using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

/// <summary>
/// Double-precision arctangent in plain arithmetic (no library calls, no tables, no bit tricks), so that the very same
/// code runs in the CPU engine and inside ILGPU kernels on every backend, including CUDA where <see cref="Math.Atan2"/>
/// has no intrinsic. The dual activations (<see cref="DualActivations"/>) take their angles from here, which keeps the
/// CPU and GPU engines bit-compatible up to the order of floating-point sums.
/// </summary>
/// <remarks>
/// The algorithm is fdlibm's <c>s_atan.c</c>/<c>e_atan2.c</c> (Sun Microsystems 1993, the reference behind most libm
/// implementations): the argument is reduced to |x| &lt; 7/16 around the break points 1/2, 1, 3/2 and ∞, where
/// atan(x) = atan(c) + atan((x − c)/(1 + cx)), and atan of the reduced argument is an odd polynomial of degree 23
/// (maximum error below one unit in the last place). atan(c) is stored as a head and tail pair so that the sum keeps
/// full precision. arccos ρ = atan2(√(1 − ρ²), ρ) and arcsin ρ = atan2(ρ, √(1 − ρ²)) in this form stay exact as |ρ| → 1,
/// unlike the series behind software arcsine routines.
/// </remarks>
internal static partial class DeviceMath
{
    private const double PiHi = 3.1415926535897931160E+00;
    private const double PiLo = 1.2246467991473531772E-16;
    private const double PiOver2Hi = 1.57079632679489655800E+00;
    private const double PiOver2Lo = 6.12323399573676603587E-17;

    /// <summary>atan(<paramref name="x"/>) in (−π/2, π/2), within one ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Atan(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        if (ax >= 7.378697629483821e19) // 2^66: atan(x) rounds to ±π/2
            return x > 0.0 ? PiOver2Hi + PiOver2Lo : -(PiOver2Hi + PiOver2Lo);
        if (ax < 0.4375)
        {
            if (ax < 7.450580596923828e-9) return x; // 2^-27: atan(x) = x to double precision
            return x - x * Polynomial(x * x);
        }
        double hi, lo, r;
        if (ax < 1.1875)
        {
            if (ax < 0.6875)
            {
                hi = 4.63647609000806093515e-01; // atan(1/2)
                lo = 2.26987774529616870924e-17;
                r = (2.0 * ax - 1.0) / (2.0 + ax);
            }
            else
            {
                hi = 7.85398163397448278999e-01; // atan(1)
                lo = 3.06161699786838301793e-17;
                r = (ax - 1.0) / (ax + 1.0);
            }
        }
        else if (ax < 2.4375)
        {
            hi = 9.82793723247329054082e-01; // atan(3/2)
            lo = 1.39033110312309984516e-17;
            r = (ax - 1.5) / (1.0 + 1.5 * ax);
        }
        else
        {
            hi = PiOver2Hi;
            lo = PiOver2Lo;
            r = -1.0 / ax;
        }
        double z = hi - ((r * Polynomial(r * r) - lo) - r);
        return x < 0.0 ? -z : z;
    }

    /// <summary>atan2(<paramref name="y"/>, <paramref name="x"/>) in [−π, π], the angle of the point (x, y); within
    /// two ulps, with the same special cases as <see cref="Math.Atan2"/> for zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Atan2(double y, double x)
    {
        if (double.IsNaN(x) || double.IsNaN(y)) return x + y;
        bool yNeg = y < 0.0 || (y == 0.0 && 1.0 / y < 0.0); // 1/−0 = −∞
        bool xNeg = x < 0.0 || (x == 0.0 && 1.0 / x < 0.0);
        if (y == 0.0)
        {
            if (!xNeg) return y; // ±0
            return yNeg ? -(PiHi + PiLo) : PiHi + PiLo;
        }
        if (x == 0.0) return yNeg ? -(PiOver2Hi + PiOver2Lo) : PiOver2Hi + PiOver2Lo;
        double ax = Math.Abs(x), ay = Math.Abs(y);
        if (ax == double.PositiveInfinity)
        {
            double angle = ay == double.PositiveInfinity ? (xNeg ? 3.0 * (PiOver2Hi / 2.0) : PiOver2Hi / 2.0) : (xNeg ? PiHi : 0.0);
            return yNeg ? -angle : angle;
        }
        if (ay == double.PositiveInfinity) return yNeg ? -(PiOver2Hi + PiOver2Lo) : PiOver2Hi + PiOver2Lo;

        double z;
        if (ay > ax * 1.152921504606846976e18) // |y/x| > 2^60
            z = PiOver2Hi + 0.5 * PiLo;
        else if (xNeg && ay < ax * 8.673617379884035e-19) // |y/x| < 2^-60 and x < 0
            z = 0.0;
        else
            z = Atan(ay / ax);
        if (!xNeg) return yNeg ? -z : z;
        double w = PiHi - (z - PiLo);
        return yNeg ? -w : w;
    }

    /// <summary>arccos ρ = atan2(√(1 − ρ²), ρ) for ρ ∈ [−1, 1], with 1 − ρ² formed as (1 − ρ)(1 + ρ) so that it keeps its
    /// relative precision near |ρ| = 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Acos(double rho)
    {
        double s2 = (1.0 - rho) * (1.0 + rho);
        return Atan2(s2 > 0.0 ? Math.Sqrt(s2) : 0.0, rho);
    }

    /// <summary>arcsin ρ = atan2(ρ, √(1 − ρ²)) for ρ ∈ [−1, 1] (same care near |ρ| = 1 as <see cref="Acos"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Asin(double rho)
    {
        double c2 = (1.0 - rho) * (1.0 + rho);
        return Atan2(rho, c2 > 0.0 ? Math.Sqrt(c2) : 0.0);
    }

    /// <summary>(atan(r) − r)/(−r) as fdlibm's split odd polynomial in r² (coefficients aT[0..10]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Polynomial(double z)
    {
        double w = z * z;
        double s1 = z * (3.33333333333329318027e-01 + w * (1.42857142725034663711e-01 + w * (9.09088713343650656196e-02
            + w * (6.66107313738753120669e-02 + w * (4.97687799461593236017e-02 + w * 1.62858201153657823623e-02)))));
        double s2 = w * (-1.99999999998764832476e-01 + w * (-1.11111104054623557880e-01 + w * (-7.69187620504482999495e-02
            + w * (-5.83357013379057348645e-02 + w * -3.65315727442169155270e-02))));
        return s1 + s2;
    }
}
