using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Gaussian: φ(x) = a·exp(b·x²) (neural-tangents' <c>Gaussian(a, b)</c>).
/// </summary>
/// <remarks>
/// With M = I − 2bC, q = det M = 1 − 2b(c₁₁ + c₂₂) + 4b²·det C: T = a²·E[e^(b(u² + v²))] = a²/√q and
/// Ṫ = 4a²b²·E[uv·e^(b(u² + v²))] = 4a²b²·c₁₂/q^(3/2) (since (C M⁻¹)₁₂ = c₁₂/q). E[φ(u)] = a/√(1 − 2bc₁₁).
/// For b &gt; 0 the expectations are finite only while 1 − 4b·c &gt; 0 for both variances: E[φ(u)²] diverges at
/// c = 1/(4b) (<see cref="MaxVariance"/>); with both variances below it, every eigenvalue λ of C satisfies 2bλ &lt; 1.
/// </remarks>
internal static class GaussianDual
{
    /// <summary>φ(x) = a·exp(b·x²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double a, double b, double x) => a * DeviceMath.Exp(b * x * x);

    /// <summary>φ′(x) = 2ab·x·exp(b·x²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double a, double b, double x) => 2.0 * a * b * x * DeviceMath.Exp(b * x * x);

    /// <summary>T and Ṫ (both variances must lie below <see cref="MaxVariance"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double a, double b, double c11, double c12, double c22, out double t, out double tDot)
    {
        double q = 1.0 - 2.0 * b * (c11 + c22) + 4.0 * b * b * DualMath.Det(c11, c12, c22);
        double r = 1.0 / Math.Sqrt(q);
        t = a * a * r;
        tDot = 4.0 * a * a * b * b * c12 * r * r * r;
    }

    /// <summary>E[φ(u)] = a/√(1 − 2b·c₁₁).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(double a, double b, double c11) => a / Math.Sqrt(1.0 - 2.0 * b * c11);

    /// <summary>The input variance at which E[φ(u)²] diverges: 1/(4b) for b &gt; 0, +∞ otherwise.</summary>
    public static double MaxVariance(double b) => b > 0.0 ? 1.0 / (4.0 * b) : double.PositiveInfinity;
}
