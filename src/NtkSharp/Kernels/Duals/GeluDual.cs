using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Gelu: φ(x) = x·Φ(x), Φ the standard normal CDF (Hendrycks and Gimpel 2016; neural-tangents' <c>Gelu()</c>).
/// </summary>
/// <remarks>
/// With E(x) = erf(x/√2), δ² = (1 + c₁₁)(1 + c₂₂) − c₁₂² (= 1 + c₁₁ + c₂₂ + det C ≥ 1, so no cancellation),
/// P = 2/(πδ) = E[E′(u)E′(v)] and Q = (2/π)·atan2(c₁₂, δ) = E[E(u)E(v)], Gaussian integration by parts
/// (E[uF] = c₁₁E[∂ᵤF] + c₁₂E[∂ᵥF]) gives
/// T = c₁₂/4 + (c₁₂Q + P·(c₁₁c₂₂ + c₁₂²(1 − c₁₁c₂₂)/((1 + c₁₁)(1 + c₂₂))))/4 and
/// Ṫ = 1/4 + Q/4 + (c₁₂P/4)·(1/(1 + c₁₁) + 1/(1 + c₂₂) + 1/δ²) (Tsuchida et al. 2020, arXiv:2002.08517).
/// E[φ(u)] = c₁₁/√(2π(1 + c₁₁)). Finite for every variance.
/// </remarks>
internal static class GeluDual
{
    private const double InvSqrt2 = 0.70710678118654752440084436210485;
    private const double InvSqrt2Pi = 0.39894228040143267793994605993438;
    private const double TwoOverPi = 0.63661977236758134307553505349006;

    /// <summary>φ(x) = x·Φ(x) = x·(1 + erf(x/√2))/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double x) => 0.5 * x * (1.0 + DeviceMath.Erf(x * InvSqrt2));

    /// <summary>φ′(x) = Φ(x) + x·ϕ(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double x) => 0.5 * (1.0 + DeviceMath.Erf(x * InvSqrt2)) + x * InvSqrt2Pi * DeviceMath.Exp(-0.5 * x * x);

    /// <summary>T = E[φ(u)φ(v)] and Ṫ = E[φ′(u)φ′(v)] (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double c11, double c12, double c22, out double t, out double tDot)
    {
        double p1 = 1.0 + c11, p2 = 1.0 + c22;
        double delta2 = 1.0 + c11 + c22 + DualMath.Det(c11, c12, c22);
        double delta = Math.Sqrt(delta2);
        double q = TwoOverPi * DeviceMath.Atan2(c12, delta);
        // Two divisions: 1/(p₁p₂) and 1/δ³ (1/δ = δ²/δ³, 1/δ² = δ/δ³).
        double invP = 1.0 / (p1 * p2), invDelta3 = 1.0 / (delta2 * delta);
        double p = TwoOverPi * delta2 * invDelta3;
        t = 0.25 * (c12 + c12 * q + p * (c11 * c22 + c12 * c12 * (1.0 - c11 * c22) * invP));
        tDot = 0.25 * (1.0 + q + c12 * p * ((p1 + p2) * invP + delta * invDelta3));
    }

    /// <summary>E[φ(u)] = c₁₁/√(2π(1 + c₁₁)), u ~ N(0, c₁₁).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(double c11) => c11 * InvSqrt2Pi / Math.Sqrt(1.0 + c11);
}
