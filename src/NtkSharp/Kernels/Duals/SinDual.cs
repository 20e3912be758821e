using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>Sin: φ(x) = a·sin(b·x + c) (neural-tangents' <c>Sin(a, b, c)</c>); the dual is <see cref="SinusoidDual"/>'s
/// with sin²c and cos²c. E[φ(u)] = a·sin(c)·e^(−b²c₁₁/2).</summary>
internal static class SinDual
{
    /// <summary>φ(x) = a·sin(b·x + c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double a, double b, double c, double x) => a * DeviceMath.Sin(b * x + c);

    /// <summary>φ′(x) = a·b·cos(b·x + c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double a, double b, double c, double x) => a * b * DeviceMath.Cos(b * x + c);

    /// <summary>T and Ṫ; <paramref name="sinC"/> = sin c and <paramref name="cosC"/> = cos c (computed once per layer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double a, double b, double sinC, double cosC, double c11, double c12, double c22, out double t, out double tDot) =>
        SinusoidDual.Dual(a, b, sinC * sinC, cosC * cosC, c11, c12, c22, out t, out tDot);

    /// <summary>E[φ(u)] = a·sin(c)·e^(−b²c₁₁/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(double a, double b, double sinC, double c11) => a * sinC * DeviceMath.Exp(-0.5 * b * b * c11);
}
