using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>Cos: φ(x) = a·cos(b·x + c) = a·sin(b·x + c + π/2) (neural-tangents' <c>Cos(a, b, c)</c>); the dual is
/// <see cref="SinusoidDual"/>'s with the phase c + π/2, i.e. sin² and cos² of c swapped (no rounding of π/2 enters).
/// E[φ(u)] = a·cos(c)·e^(−b²c₁₁/2).</summary>
internal static class CosDual
{
    /// <summary>φ(x) = a·cos(b·x + c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double a, double b, double c, double x) => a * DeviceMath.Cos(b * x + c);

    /// <summary>φ′(x) = −a·b·sin(b·x + c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double a, double b, double c, double x) => -a * b * DeviceMath.Sin(b * x + c);

    /// <summary>T and Ṫ; <paramref name="sinC"/> = sin c and <paramref name="cosC"/> = cos c (computed once per layer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double a, double b, double sinC, double cosC, double c11, double c12, double c22, out double t, out double tDot) =>
        SinusoidDual.Dual(a, b, cosC * cosC, sinC * sinC, c11, c12, c22, out t, out tDot);

    /// <summary>E[φ(u)] = a·cos(c)·e^(−b²c₁₁/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(double a, double b, double cosC, double c11) => a * cosC * DeviceMath.Exp(-0.5 * b * b * c11);
}
