using System.Runtime.CompilerServices;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Kernels;

/// <summary>
/// Lane-wise forms of the <see cref="DualMath"/> helpers for the SIMD run bodies of the closed-form duals: the 2×2
/// determinant with its exact product errors and a cancellation-free sinh for small arguments.
/// </summary>
internal static class VectorDualMath
{
    /// <summary>c₁₁c₂₂ − c₁₂² as (p₁ − p₂) + (e₁ − e₂) with the exact product errors eᵢ = fma(a, b, −pᵢ) (the same
    /// values as the Veltkamp/Dekker TwoProduct of <see cref="DualMath.Det"/>), clamped at 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Det<TOps, TV>(TV c11, TV c12, TV c22)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        TV p1 = TOps.Multiply(c11, c22), e1 = TOps.FusedMultiplyAdd(c11, c22, TOps.Negate(p1));
        TV p2 = TOps.Multiply(c12, c12), e2 = TOps.FusedMultiplyAdd(c12, c12, TOps.Negate(p2));
        TV d = TOps.Add(TOps.Subtract(p1, p2), TOps.Subtract(e1, e2));
        TV zero = TOps.Broadcast(0.0);
        return TOps.Select(TOps.GreaterThan(d, zero), d, zero);
    }

    /// <summary>sinh x for |x| ≤ 1/2 by its Taylor series to x¹⁷ (the first omitted term is below 10⁻¹⁹·|x|), in Horner
    /// form in x²: no cancellation, within an ulp or two of <see cref="DualMath.Sinh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SinhSmall<TOps, TV>(TV x)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        TV x2 = TOps.Multiply(x, x);
        // 1/(2k + 1)! for k = 8 … 1.
        TV p = TOps.Broadcast(1.0 / 355687428096000.0);
        p = TOps.FusedMultiplyAdd(p, x2, TOps.Broadcast(1.0 / 1307674368000.0));
        p = TOps.FusedMultiplyAdd(p, x2, TOps.Broadcast(1.0 / 6227020800.0));
        p = TOps.FusedMultiplyAdd(p, x2, TOps.Broadcast(1.0 / 39916800.0));
        p = TOps.FusedMultiplyAdd(p, x2, TOps.Broadcast(1.0 / 362880.0));
        p = TOps.FusedMultiplyAdd(p, x2, TOps.Broadcast(1.0 / 5040.0));
        p = TOps.FusedMultiplyAdd(p, x2, TOps.Broadcast(1.0 / 120.0));
        p = TOps.FusedMultiplyAdd(p, x2, TOps.Broadcast(1.0 / 6.0));
        return TOps.FusedMultiplyAdd(TOps.Multiply(x, x2), p, x);
    }
}
