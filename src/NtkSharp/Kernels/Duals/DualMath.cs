using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Helpers shared by the closed-form duals: the 2×2 determinant c₁₁c₂₂ − c₁₂² formed with its rounding error (so that
/// √(c₁₁c₂₂ − c₁₂²) keeps its relative accuracy as |ρ| → 1), a cancellation-free sinh, integer powers. Plain arithmetic
/// only, so that every dual compiles into ILGPU kernels.
/// </summary>
internal static class DualMath
{
    private const double Splitter = 134217729.0; // 2^27 + 1 (Veltkamp split)

    /// <summary>c₁₁c₂₂ − c₁₂², evaluated as (p₁ + e₁) − (p₂ + e₂) with the exact product errors eᵢ (Dekker 1971,
    /// TwoProduct by Veltkamp splitting: no fused multiply-add needed), clamped at 0 (a covariance matrix is PSD; an
    /// input that is not by a few ulps is treated as singular).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Det(double c11, double c12, double c22)
    {
        double p1 = c11 * c22, e1 = TwoProductError(c11, c22, p1);
        double p2 = c12 * c12, e2 = TwoProductError(c12, c12, p2);
        double d = (p1 - p2) + (e1 - e2);
        return d > 0.0 ? d : 0.0;
    }

    /// <summary>sinh(<paramref name="x"/>) through <see cref="DeviceMath.Expm1"/> (no cancellation for small |x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sinh(double x)
    {
        double e = DeviceMath.Expm1(Math.Abs(x));
        double s = 0.5 * (e + e / (e + 1.0));
        return x < 0.0 ? -s : s;
    }

    /// <summary>xⁿ for n ≥ 0 by repeated squaring.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pow(double x, int n)
    {
        double r = 1.0;
        while (n > 0)
        {
            if ((n & 1) != 0) r *= x;
            x *= x;
            n >>= 1;
        }
        return r;
    }

    /// <summary>(n − 1)!! = E[zⁿ] for even n ≥ 0 (1 for n ≤ 0), z ~ N(0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GaussianMoment(int n)
    {
        double r = 1.0;
        for (int k = n - 1; k > 1; k -= 2) r *= k;
        return r;
    }

    /// <summary>The rounding error of the product <paramref name="a"/>·<paramref name="b"/> = <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TwoProductError(double a, double b, double p)
    {
        double ta = Splitter * a, ah = ta - (ta - a), al = a - ah;
        double tb = Splitter * b, bh = tb - (tb - b), bl = b - bh;
        return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    }
}
