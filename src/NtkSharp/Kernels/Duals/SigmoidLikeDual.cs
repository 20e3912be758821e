using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// SigmoidLike: φ(x) = 0.5·erf(x/2.4020563531719796) + 0.5 (neural-tangents' <c>Sigmoid_like()</c>): the
/// <see cref="ErfDual"/> with a = 1/2, b = 1/2.4020563531719796, c = 1/2 (the constant minimises the squared distance to
/// the logistic sigmoid on [−5, 5]).
/// </summary>
internal static class SigmoidLikeDual
{
    /// <summary>The output scale a.</summary>
    public const double A = 0.5;

    /// <summary>The input scale b = 1/2.4020563531719796.</summary>
    public const double B = 1.0 / 2.4020563531719796;

    /// <summary>The output shift c.</summary>
    public const double C = 0.5;

    /// <summary>φ(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double x) => ErfDual.Phi(A, B, C, x);

    /// <summary>φ′(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double x) => ErfDual.Derivative(A, B, x);

    /// <summary>T and Ṫ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double c11, double c12, double c22, out double t, out double tDot) =>
        ErfDual.Dual(A, B, C, c11, c12, c22, out t, out tDot);

    /// <summary>E[φ(u)] = 1/2.</summary>
    public static double Mean() => C;
}
