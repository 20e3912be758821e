using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Monomial: φ(x) = xⁿ (neural-tangents' <c>Monomial(degree)</c>; φ = 1 for n = 0).
/// </summary>
/// <remarks>
/// Isserlis' theorem (pair the n u's and n v's: m = n − 2j cross pairs, j pairs within each side) gives the exact
/// polynomial T = E[uⁿvⁿ] = Σⱼ wⱼ·c₁₂^(n−2j)·(c₁₁c₂₂)ʲ with wⱼ = (n!)²/((n − 2j)!·(2ʲj!)²), and Ṫ = n²·(the same for n − 1).
/// No square root, so ρ = ±1 is exact; every term has the sign of c₁₂ⁿ, so nothing cancels. E[φ(u)] = (n − 1)!!·c₁₁^(n/2)
/// for even n, 0 for odd n. T(c, c, c) = (2n − 1)!!·cⁿ overflows double precision at <see cref="MaxVariance"/>.
/// </remarks>
internal static class MonomialDual
{
    /// <summary>The largest supported degree.</summary>
    public const int MaxDegree = 100;

    /// <summary>φ(x) = xⁿ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(int n, double x) => DualMath.Pow(x, n);

    /// <summary>φ′(x) = n·xⁿ⁻¹.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(int n, double x) => n == 0 ? 0.0 : n * DualMath.Pow(x, n - 1);

    /// <summary>T and Ṫ (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(int n, double c11, double c12, double c22, out double t, out double tDot)
    {
        double p = c11 * c22;
        t = PairSum(n, c12, p, Factorial(n));
        tDot = n == 0 ? 0.0 : (double)n * n * PairSum(n - 1, c12, p, Factorial(n - 1));
    }

    /// <summary>E[φ(u)] = (n − 1)!!·c₁₁^(n/2) for even n, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(int n, double c11) => (n & 1) != 0 ? 0.0 : DualMath.GaussianMoment(n) * DualMath.Pow(c11, n / 2);

    /// <summary>The variance c at which T(c, c, c) = (2n − 1)!!·cⁿ exceeds 10³⁰⁰ (+∞ for n = 0).</summary>
    public static double MaxVariance(int n) =>
        n == 0 ? double.PositiveInfinity : Math.Exp((300.0 * Math.Log(10.0) - Math.Log(DualMath.GaussianMoment(2 * n))) / n);

    /// <summary>Σⱼ w₀·rⱼ·c₁₂^(n−2j)·pʲ, with w₀ the j = 0 weight and rⱼ = Πᵢ&lt;ⱼ (n − 2i)(n − 2i − 1)/(4(i + 1)²)
    /// (Horner in c₁₂² with the powers of p carried along; shared with <see cref="HermiteDual"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double PairSum(int n, double c12, double p, double w0)
    {
        int half = n / 2;
        double x = c12 * c12, w = w0, acc = w0, pj = 1.0;
        for (int j = 0; j < half; j++)
        {
            int m = n - 2 * j;
            w *= (double)m * (m - 1) / (4.0 * (j + 1) * (j + 1));
            pj *= p;
            acc = acc * x + w * pj;
        }
        return (n & 1) != 0 ? acc * c12 : acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Factorial(int n)
    {
        double f = 1.0;
        for (int k = 2; k <= n; k++) f *= k;
        return f;
    }
}
