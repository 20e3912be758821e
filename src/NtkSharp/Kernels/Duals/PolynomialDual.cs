using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Polynomial: φ(x) = Σᵢ aᵢxⁱ (neural-tangents' <c>Polynomial(coefficients)</c>, a₀ first), with the coefficients in
/// the spec's P0…P7 and their count in N (degree ≤ 7, so that they travel inline to the device).
/// </summary>
/// <remarks>
/// The Mehler (Hermite) expansion of a bivariate Gaussian expectation terminates for a polynomial:
/// T = Σₘ c₁₂ᵐ/m!·Mₘ(c₁₁)·Mₘ(c₂₂) and Ṫ = Σₘ c₁₂ᵐ/m!·Mₘ₊₁(c₁₁)·Mₘ₊₁(c₂₂), where
/// Mₘ(c) = E[φ⁽ᵐ⁾(u)] = Σ_{k ≥ m, k − m even} aₖ·k!/(k − m)!·(k − m − 1)!!·c^((k−m)/2) for u ~ N(0, c) (equivalently
/// Isserlis' pairing of uʲvᵏ). Exact for every variance and correlation, ρ = ±1 included (no square root). O(d²) per
/// entry for degree d. E[φ(u)] = M₀(c₁₁).
/// </remarks>
internal static class PolynomialDual
{
    /// <summary>The largest supported degree.</summary>
    public const int MaxDegree = ActivationSpec.MaxParameters - 1;

    /// <summary>φ(x) by Horner's rule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(in ActivationSpec a, double x)
    {
        double r = 0.0;
        for (int i = a.N - 1; i >= 0; i--) r = r * x + a.P(i);
        return r;
    }

    /// <summary>φ′(x) by Horner's rule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(in ActivationSpec a, double x)
    {
        double r = 0.0;
        for (int i = a.N - 1; i >= 1; i--) r = r * x + i * a.P(i);
        return r;
    }

    /// <summary>T and Ṫ (see the class remarks).</summary>
    public static void Dual(in ActivationSpec a, double c11, double c12, double c22, out double t, out double tDot)
    {
        int d = a.N - 1;
        double sum = 0.0, sumDot = 0.0, pw = 1.0; // pw = c₁₂ᵐ/m!
        double m1Next = DerivativeMean(a, 0, c11), m2Next = DerivativeMean(a, 0, c22);
        for (int m = 0; m <= d; m++)
        {
            double m1 = m1Next, m2 = m2Next;
            m1Next = DerivativeMean(a, m + 1, c11);
            m2Next = DerivativeMean(a, m + 1, c22);
            sum += pw * m1 * m2;
            sumDot += pw * m1Next * m2Next;
            pw *= c12 / (m + 1);
        }
        t = sum;
        tDot = sumDot;
    }

    /// <summary>E[φ(u)] = M₀(c₁₁).</summary>
    public static double Mean(in ActivationSpec a, double c11) => DerivativeMean(a, 0, c11);

    /// <summary>Mₘ(c) = E[φ⁽ᵐ⁾(u)], u ~ N(0, c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double DerivativeMean(in ActivationSpec a, int m, double c)
    {
        // k = m + 2j: aₖ·k!/(2j)!·(2j − 1)!!·cʲ = aₖ·[k!/(k − m)!]·cʲ·(2j − 1)!!, both factors updated from j − 1.
        double fall = 1.0; // m!/0! at k = m
        for (int i = 2; i <= m; i++) fall *= i;
        double r = 0.0, w = 1.0; // w = (2j − 1)!!·cʲ
        for (int k = m, j = 0; k < a.N; k += 2, j++)
        {
            if (j > 0)
            {
                fall *= (double)k * (k - 1) / ((double)(k - m) * (k - m - 1));
                w *= (2 * j - 1) * c;
            }
            r += a.P(k) * fall * w;
        }
        return r;
    }
}
