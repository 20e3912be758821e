using System.Runtime.CompilerServices;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Kernels;

/// <summary>
/// Lane-wise forms of the <see cref="DualMath"/> helpers for the SIMD run bodies of the closed-form duals: the 2×2
/// determinant with its exact product errors, the exponential and a cancellation-free sinh for small arguments.
/// </summary>
internal static class VectorDualMath
{
    private const double Log2E = 1.4426950408889634073599246810019;
    private const double Ln2Hi = 0.69314718055994528623; // the double nearest ln 2
    private const double Ln2Lo = 2.3190468138462996154e-17; // ln 2 − Ln2Hi
    private const double RoundMagic = 6755399441055744.0; // 1.5·2⁵²: v + magic − magic rounds v to an integer

    /// <summary>eˣ lane by lane, within about 2 ulp of <see cref="Math.Exp"/>: n = round(x·log₂e) (by the 1.5·2⁵² trick),
    /// r = x − n·ln 2 in two fused steps (|r| ≤ ln 2/2), eʳ by its Taylor series to r¹³ (truncation below 10⁻¹⁷·eʳ),
    /// times 2ⁿ in two halves so that subnormal results round once. x is clamped to [−746, 709.79]: +∞ above
    /// ln(double.MaxValue), 0 below −746 (as the scalar exp). Written here rather than .NET's Vector512.Exp, whose
    /// precompiled (ReadyToRun) form without AVX-512 stayed in use under tiered compilation (≈ 15 ns per lane instead
    /// of ≈ 3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TOps, TV>(TV x)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        x = TOps.Min(TOps.Max(x, TOps.Broadcast(-746.0)), TOps.Broadcast(709.79));
        TV magic = TOps.Broadcast(RoundMagic);
        TV n = TOps.Subtract(TOps.Add(TOps.Multiply(x, TOps.Broadcast(Log2E)), magic), magic);
        TV r = TOps.FusedMultiplyAdd(TOps.Negate(n), TOps.Broadcast(Ln2Hi), x);
        r = TOps.FusedMultiplyAdd(TOps.Negate(n), TOps.Broadcast(Ln2Lo), r);
        TV p = TOps.Broadcast(1.0 / 6227020800.0);
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 479001600.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 39916800.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 3628800.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 362880.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 40320.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 5040.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 720.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 120.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 24.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0 / 6.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(0.5));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Broadcast(1.0));
        // n ∈ [−1076, 1024] → n₁ = round(n/2), n₂ = n − n₁, both within [−538, 512].
        TV n1 = TOps.Subtract(TOps.Add(TOps.Multiply(n, TOps.Broadcast(0.5)), magic), magic);
        TV n2 = TOps.Subtract(n, n1);
        return TOps.Multiply(TOps.Multiply(p, TOps.Pow2(n1)), TOps.Pow2(n2));
    }

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
