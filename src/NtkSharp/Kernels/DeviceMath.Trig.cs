using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

/// <summary>
/// Sine, cosine, eˣ − 1, ln(1 + x) and tanh in plain arithmetic, for the catalogue's nonlinearities (Sin, Cos, Rbf, Tanh,
/// Softplus…) on the CPU and inside ILGPU kernels alike (CUDA has no double-precision intrinsic for any of them).
/// </summary>
/// <remarks>
/// Sin and cos follow fdlibm (<c>k_sin.c</c>, <c>k_cos.c</c>, Sun Microsystems 1993): x = n·π/2 + r with π/2 split into
/// three 33-bit pieces (Cody and Waite 1980), exact for |n| &lt; 2²⁰ (|x| ≲ 1.6·10⁶; beyond that the reduction loses
/// about log₁₀(|x|/10⁶) digits), then degree-13/14 minimax polynomials on |r| ≤ π/4. Expm1 uses its Taylor series on
/// |x| &lt; 0.35 (error below 10⁻¹⁷) and <see cref="Exp"/> − 1 beyond; Log1p uses ln(1 + t) = 2·atanh(t/(2 + t)) on
/// 0 ≤ t ≤ 1 (series in w² ≤ 1/9).
/// </remarks>
internal static partial class DeviceMath
{
    private const double InvPiOver2 = 6.36619772367581382433e-01;
    private const double Pio2Part1 = 1.57079632673412561417e+00;
    private const double Pio2Part2 = 6.07710050630396597660e-11;
    private const double Pio2Part3 = 2.02226624871116645580e-21;

    /// <summary>sin(<paramref name="x"/>) (see the class remarks for the range of full accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sin(double x)
    {
        double r = ReduceQuarter(x, out int q);
        return (q & 3) switch
        {
            0 => SinKernel(r),
            1 => CosKernel(r),
            2 => -SinKernel(r),
            _ => -CosKernel(r),
        };
    }

    /// <summary>cos(<paramref name="x"/>) (see the class remarks for the range of full accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cos(double x)
    {
        double r = ReduceQuarter(x, out int q);
        return (q & 3) switch
        {
            0 => CosKernel(r),
            1 => -SinKernel(r),
            2 => -CosKernel(r),
            _ => SinKernel(r),
        };
    }

    /// <summary>eˣ − 1 without cancellation for small |x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Expm1(double x)
    {
        if (Math.Abs(x) >= 0.35) return Exp(x) - 1.0;
        // Σ_{k≥1} xᵏ/k! by Horner with the coefficients 1/k! (k ≤ 17: below 10⁻¹⁷ relative for |x| < 0.35).
        return x * (1.0 + x * (0.5 + x * (0.16666666666666666 + x * (0.041666666666666664 + x * (0.008333333333333333 + x * (0.001388888888888889 + x * (0.0001984126984126984 + x * (2.48015873015873e-05 + x * (2.7557319223985893e-06 + x * (2.755731922398589e-07 + x * (2.505210838544172e-08 + x * (2.08767569878681e-09 + x * (1.6059043836821613e-10 + x * (1.1470745597729725e-11 + x * (7.647163731819816e-13 + x * (4.779477332387385e-14 + x * (2.8114572543455206e-15)))))))))))))))));
    }

    /// <summary>ln(1 + <paramref name="t"/>) for 0 ≤ t ≤ 1 (the range Softplus needs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1pUnit(double t)
    {
        double w = t / (2.0 + t), w2 = w * w;
        return 2.0 * w * (1.0 + w2 * (0.3333333333333333 + w2 * (0.2 + w2 * (0.14285714285714285 + w2 * (0.1111111111111111 + w2 * (0.09090909090909091 + w2 * (0.07692307692307693 + w2 * (0.06666666666666667 + w2 * (0.058823529411764705 + w2 * (0.05263157894736842 + w2 * (0.047619047619047616 + w2 * (0.043478260869565216 + w2 * (0.04 + w2 * (0.037037037037037035 + w2 * (0.034482758620689655 + w2 * (0.03225806451612903 + w2 * (0.030303030303030304 + w2 * (0.02857142857142857 + w2 * (0.02702702702702703 + w2 * (0.02564102564102564 + w2 * (0.024390243902439025)))))))))))))))))))));
    }

    /// <summary>tanh(<paramref name="x"/>) = −expm1(−2|x|)/(2 + expm1(−2|x|)) with the sign of x (no overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x)
    {
        double ax = Math.Abs(x);
        if (ax > 19.1) return x > 0.0 ? 1.0 : -1.0; // 1 − tanh < 2^-54
        double e = Expm1(-2.0 * ax);
        double t = -e / (2.0 + e);
        return x < 0.0 ? -t : t;
    }

    /// <summary>x = q·π/2 + r with |r| ≤ π/4 (Cody–Waite with three pieces of π/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ReduceQuarter(double x, out int q)
    {
        if (Math.Abs(x) <= 0.7853981633974483)
        {
            q = 0;
            return x;
        }
        long m = (long)(x * InvPiOver2 + (x < 0.0 ? -0.5 : 0.5)); // round half away from zero (no library call)
        double n = m;
        q = (int)(m & 3);
        return ((x - n * Pio2Part1) - n * Pio2Part2) - n * Pio2Part3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SinKernel(double x)
    {
        double z = x * x;
        double r = 8.33333333332248946124e-03 + z * (-1.98412698298579493134e-04 + z * (2.75573137070700676789e-06
            + z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)));
        return x + z * x * (-1.66666666666666324348e-01 + z * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CosKernel(double x)
    {
        double z = x * x;
        double r = z * (4.16666666666666019037e-02 + z * (-1.38888888888741095749e-03 + z * (2.48015872894767294178e-05
            + z * (-2.75573143513906633035e-07 + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
        double hz = 0.5 * z;
        double w = 1.0 - hz;
        return w + (((1.0 - w) - hz) + z * r);
    }
}
