using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Exp: φ(x) = a·exp(b·x) (neural-tangents' <c>Exp(a, b)</c>). The log-normal moments give
/// T = a²·exp(b²(c₁₁ + c₂₂ + 2c₁₂)/2) and Ṫ = b²·T; E[φ(u)] = a·e^(b²c₁₁/2).
/// </summary>
/// <remarks>The expectations are finite for every variance but overflow double precision once
/// 2b²c + 2 ln|a| exceeds ln(double.MaxValue) ≈ 709.78 on the diagonal (<see cref="MaxVariance"/>); the cross entries,
/// with c₁₁ + c₂₂ + 2c₁₂ ≤ 2·max(c₁₁, c₂₂), stay below.</remarks>
internal static class ExpDual
{
    /// <summary>ln(double.MaxValue).</summary>
    public const double LogMax = 709.782712893383973096;

    /// <summary>φ(x) = a·exp(b·x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double a, double b, double x) => a * DeviceMath.Exp(b * x);

    /// <summary>φ′(x) = a·b·exp(b·x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double a, double b, double x) => a * b * DeviceMath.Exp(b * x);

    /// <summary>T and Ṫ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double a, double b, double c11, double c12, double c22, out double t, out double tDot)
    {
        double b2 = b * b;
        t = a * a * DeviceMath.Exp(0.5 * b2 * (c11 + c22 + 2.0 * c12));
        tDot = b2 * t;
    }

    /// <summary>E[φ(u)] = a·e^(b²c₁₁/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(double a, double b, double c11) => a * DeviceMath.Exp(0.5 * b * b * c11);

    /// <summary>The input variance beyond which T = E[φ(u)²] (or Ṫ) overflows double precision.</summary>
    public static double MaxVariance(double a, double b)
    {
        if (b == 0.0 || a == 0.0) return double.PositiveInfinity;
        double logScale = 2.0 * Math.Log(Math.Abs(a)) + Math.Max(0.0, 2.0 * Math.Log(Math.Abs(b)));
        return (LogMax - 1.0 - logScale) / (2.0 * b * b);
    }
}
