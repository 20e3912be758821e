using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Rbf: φ(x) = √2·sin(√(2γ)·x + π/4) (neural-tangents' <c>Rbf(gamma)</c>), whose dual is the squared-exponential kernel
/// T = exp(−γ(c₁₁ + c₂₂ − 2c₁₂)) = exp(−γ·E[(u − v)²]), Ṫ = 2γ·T (the Sin dual with a = √2, b = √(2γ), c = π/4, where
/// cos 2c = 0 drops the second exponential exactly). E[φ(u)] = e^(−γc₁₁). Finite for every variance.
/// </summary>
internal static class RbfDual
{
    private const double Sqrt2 = 1.4142135623730950488016887242097;
    private const double QuarterPi = 0.78539816339744830961566084581988;

    /// <summary>φ(x) = √2·sin(√(2γ)·x + π/4) = sin(√(2γ)x) + cos(√(2γ)x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double gamma, double x) => Sqrt2 * DeviceMath.Sin(Math.Sqrt(2.0 * gamma) * x + QuarterPi);

    /// <summary>φ′(x) = 2√γ·cos(√(2γ)·x + π/4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(double gamma, double x) => 2.0 * Math.Sqrt(gamma) * DeviceMath.Cos(Math.Sqrt(2.0 * gamma) * x + QuarterPi);

    /// <summary>T and Ṫ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double gamma, double c11, double c12, double c22, out double t, out double tDot)
    {
        t = DeviceMath.Exp(-gamma * ((c11 - c12) + (c22 - c12)));
        tDot = 2.0 * gamma * t;
    }

    /// <summary>E[φ(u)] = e^(−γc₁₁).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mean(double gamma, double c11) => DeviceMath.Exp(-gamma * c11);
}
