using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Erf: φ(x) = a·erf(b·x) + c (neural-tangents' <c>Erf(a, b, c)</c>); the arcsine kernel of Williams (1997).
/// </summary>
/// <remarks>
/// With c′ᵢⱼ = b²cᵢⱼ and R² = (1 + 2c′₁₁)(1 + 2c′₂₂) − 4c′₁₂², formed as 1 + 2(c′₁₁ + c′₂₂) + 4·det C′ (no cancellation
/// as |ρ| → 1 or for large variances), T = a²·(2/π)·atan2(2c′₁₂, R) + c² (E[erf] = 0 kills the cross term) and
/// Ṫ = a²b²·4/(π·R). E[φ(u)] = c. Finite for every variance.
/// </remarks>
internal static class ErfDual
{
    private const double TwoOverPi = 0.63661977236758134307553505349006;
    private const double FourOverPi = 1.2732395447351626861510701069801;
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215;

    /// <summary>φ(x) = a·erf(b·x) + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double a, double b, double c, double x) => a * DeviceMath.Erf(b * x) + c;

    /// <summary>φ′(x) = a·b·2/√π·e^(−b²x²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double a, double b, double x) => a * b * TwoOverSqrtPi * DeviceMath.Exp(-(b * x) * (b * x));

    /// <summary>T and Ṫ (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double a, double b, double c, double c11, double c12, double c22, out double t, out double tDot)
    {
        double b2 = b * b;
        double s11 = b2 * c11, s12 = b2 * c12, s22 = b2 * c22;
        double r = Math.Sqrt(1.0 + 2.0 * (s11 + s22) + 4.0 * DualMath.Det(s11, s12, s22));
        t = a * a * TwoOverPi * DeviceMath.Atan2(2.0 * s12, r) + c * c;
        tDot = a * a * b2 * FourOverPi / r;
    }

    /// <summary>E[φ(u)] = c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(double c) => c;
}
