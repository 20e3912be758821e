using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Hermite: φ(x) = hₙ(x) = Heₙ(x)/√(n!), the normalised probabilists' Hermite polynomial (neural-tangents'
/// <c>Hermite(degree)</c>; E[hₙ(z)hₘ(z)] = δₙₘ for z ~ N(0, 1)).
/// </summary>
/// <remarks>
/// Mehler's expansion T = Σₘ c₁₂ᵐ/m!·E[φ⁽ᵐ⁾(u)]·E[φ⁽ᵐ⁾(v)], with Heₙ⁽ᵐ⁾ = n!/(n − m)!·Heₙ₋ₘ and
/// E[He₂ⱼ(u)] = (2j − 1)!!·(c₁₁ − 1)ʲ, collapses to T = (1/n!)·Σⱼ wⱼ·c₁₂^(n−2j)·((c₁₁ − 1)(c₂₂ − 1))ʲ with the
/// <see cref="MonomialDual"/> weights wⱼ: exact for every variance (neural-tangents' c₁₂ⁿ is the unit-variance case).
/// hₙ′ = √n·hₙ₋₁ gives Ṫ = n·T(n − 1). E[φ(u)] = (n − 1)!!·(c₁₁ − 1)^(n/2)/√(n!) for even n, 0 for odd n.
/// </remarks>
internal static class HermiteDual
{
    /// <summary>φ(x) = Heₙ(x)/√(n!) by the recurrence h₀ = 1, h₁ = x, √(k+1)·hₖ₊₁ = x·hₖ − √k·hₖ₋₁.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(int n, double x)
    {
        if (n == 0) return 1.0;
        double h0 = 1.0, h1 = x;
        for (int k = 1; k < n; k++)
        {
            double h2 = (x * h1 - Math.Sqrt(k) * h0) / Math.Sqrt(k + 1.0);
            h0 = h1;
            h1 = h2;
        }
        return h1;
    }

    /// <summary>φ′(x) = √n·hₙ₋₁(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(int n, double x) => n == 0 ? 0.0 : Math.Sqrt(n) * Phi(n - 1, x);

    /// <summary>T and Ṫ (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(int n, double c11, double c12, double c22, out double t, out double tDot)
    {
        double q = (c11 - 1.0) * (c22 - 1.0);
        t = MonomialDual.PairSum(n, c12, q, 1.0);
        tDot = n == 0 ? 0.0 : n * MonomialDual.PairSum(n - 1, c12, q, 1.0);
    }

    /// <summary>E[φ(u)].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(int n, double c11)
    {
        if ((n & 1) != 0) return 0.0;
        double f = 1.0;
        for (int k = 2; k <= n; k++) f *= k;
        return DualMath.GaussianMoment(n) * DualMath.Pow(c11 - 1.0, n / 2) / Math.Sqrt(f);
    }

    /// <summary>The variance c at which T(c, c, c) exceeds 10³⁰⁰: T(c, c, c) ≤ (2n − 1)!!·cⁿ/n!·4ⁿ bounds it
    /// (+∞ for n = 0).</summary>
    public static double MaxVariance(int n)
    {
        if (n == 0) return double.PositiveInfinity;
        double logFact = 0.0;
        for (int k = 2; k <= n; k++) logFact += Math.Log(k);
        return Math.Exp((300.0 * Math.Log(10.0) + logFact - Math.Log(DualMath.GaussianMoment(2 * n)) - n * Math.Log(4.0)) / n);
    }
}
