using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// RectifiedMonomial: φ(x) = max(x, 0)ⁿ (neural-tangents' <c>RectifiedMonomial(degree)</c>), the arc-cosine kernel of
/// degree n (Cho and Saul 2009). Degree 0 is the Heaviside step with φ(0) = 0 (φ(x) = 1 for x &gt; 0, 0 for x ≤ 0);
/// degree 1 is ReLU. φ′(0) = 0 for every degree (a null set: the kernels do not depend on it).
/// </summary>
/// <remarks>
/// With s = √(c₁₁c₂₂ − c₁₂²) (<see cref="DualMath.Det"/>) and ψ = π − θ = atan2(s, −c₁₂), T = Kₙ/(2π) where
/// Kₖ = (σ₁σ₂)ᵏ·Jₖ(θ) obeys K₀ = ψ, K₁ = s + ψ·c₁₂, Kₖ₊₁ = (2k + 1)·c₁₂·Kₖ + k²·s²·Kₖ₋₁. The recurrence follows from
/// differentiating (1 − c²)g′ − c·g = 1, g(c) = (π − arccos c)/√(1 − c²), k times, since Jₖ = (1 − c²)^(k+½)·g⁽ᵏ⁾
/// (Cho and Saul's Jₙ(θ) = (−1)ⁿ sin^(2n+1)θ·(sin⁻¹θ ∂θ)ⁿ((π − θ)/sin θ)). Ṫ = n²·Kₙ₋₁/(2π) (φ′ = n·max(x, 0)ⁿ⁻¹).
/// Only products and an atan2 of a directly computed sine: exact as ρ → 1; as ρ → −1, T → 0 through cancellation, with
/// absolute error ~ε·(c₁₁c₂₂)^(n/2). E[φ(u)] = μₙ·c₁₁^(n/2) with μ₀ = 1/2, μ₁ = 1/√(2π), μₙ = (n − 1)·μₙ₋₂.
/// </remarks>
internal static class RectifiedMonomialDual
{
    /// <summary>The largest supported degree.</summary>
    public const int MaxDegree = 100;

    private const double InvTwoPi = 0.15915494309189533576888376337251;
    private const double InvSqrt2Pi = 0.39894228040143267793994605993438;

    /// <summary>φ(x) = max(x, 0)ⁿ with the step convention φ(0) = 0 for n = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(int n, double x) => x > 0.0 ? DualMath.Pow(x, n) : 0.0;

    /// <summary>φ′(x) = n·max(x, 0)ⁿ⁻¹ (0 for x ≤ 0 and for n = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(int n, double x) => n == 0 || x <= 0.0 ? 0.0 : n * DualMath.Pow(x, n - 1);

    /// <summary>T and Ṫ (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(int n, double c11, double c12, double c22, out double t, out double tDot)
    {
        double s2 = DualMath.Det(c11, c12, c22);
        double s = Math.Sqrt(s2);
        double k0 = DeviceMath.Atan2(s, -c12);
        if (n == 0)
        {
            t = k0 * InvTwoPi;
            tDot = 0.0;
            return;
        }
        double prev = k0, cur = s + k0 * c12;
        for (int k = 1; k < n; k++)
        {
            double next = (2 * k + 1) * c12 * cur + (double)k * k * s2 * prev;
            prev = cur;
            cur = next;
        }
        t = cur * InvTwoPi;
        tDot = (double)n * n * prev * InvTwoPi;
    }

    /// <summary>E[φ(u)] = μₙ·c₁₁^(n/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(int n, double c11)
    {
        double mu = (n & 1) != 0 ? InvSqrt2Pi : 0.5;
        for (int k = n; k > 1; k -= 2) mu *= k - 1;
        return mu * ((n & 1) != 0 ? Math.Sqrt(c11) * DualMath.Pow(c11, n / 2) : DualMath.Pow(c11, n / 2));
    }

    /// <summary>The variance c at which T(c, c, c) = (2n − 1)!!·cⁿ/2 exceeds 10³⁰⁰ (+∞ for n = 0).</summary>
    public static double MaxVariance(int n) => MonomialDual.MaxVariance(n);
}
