using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// The dual shared by Sin (φ(x) = a·sin(b·x + c)) and Cos (φ(x) = a·cos(b·x + c) = a·sin(b·x + c + π/2)), with the phase
/// entering only through sin²(phase) and cos²(phase).
/// </summary>
/// <remarks>
/// With S = b²(c₁₁ + c₂₂) and x = b²c₁₂, sin A·sin B = (cos(A − B) − cos(A + B))/2 and E[cos(w)] = e^(−Var w/2) give
/// T = a²·[e^(−S/2)·sinh x + e^(−S/2 − x)·sin²(phase)] and Ṫ = a²b²·[e^(−S/2)·sinh x + e^(−S/2 − x)·cos²(phase)]
/// (neural-tangents writes them as (a²/2)(s₁ ∓ s₂·cos 2c)). e^(−S/2)·sinh x is evaluated as sinh x·e^(−S/2) for
/// |x| &lt; 1/2 (no cancellation) and as (e^(x − S/2) − e^(−x − S/2))/2 beyond (no overflow: |x| ≤ S/2).
/// Finite for every variance.
/// </remarks>
internal static class SinusoidDual
{
    /// <summary>T and Ṫ given the squared sine and cosine of the phase.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(double a, double b, double sinSq, double cosSq, double c11, double c12, double c22,
        out double t, out double tDot)
    {
        double b2 = b * b;
        double halfS = 0.5 * b2 * (c11 + c22), x = b2 * c12;
        double sh = Math.Abs(x) < 0.5
            ? DualMath.Sinh(x) * DeviceMath.Exp(-halfS)
            : 0.5 * (DeviceMath.Exp(x - halfS) - DeviceMath.Exp(-x - halfS));
        double e = DeviceMath.Exp(-halfS - x);
        double a2 = a * a;
        t = a2 * (sh + e * sinSq);
        tDot = a2 * b2 * (sh + e * cosSq);
    }
}
