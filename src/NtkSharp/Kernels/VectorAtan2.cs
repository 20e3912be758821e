using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

/// <summary>
/// A lane-wise atan2(y, x) for finite doubles, accurate to a few ulp of <see cref="Math.Atan2"/>, used by the run forms
/// of <see cref="DualActivations"/>.
/// </summary>
/// <remarks>
/// The octant is reduced to t = min(|x|, |y|)/max(|x|, |y|) ∈ [0, 1]; for t &gt; 0.66 the identity
/// atan t = π/4 + atan((t − 1)/(t + 1)) is applied with (t − 1)/(t + 1) formed directly as (min − max)/(min + max),
/// so |z| ≤ 0.66 always. atan z = z + z·z²·P(z²)/Q(z²) is the degree-4/5 rational minimax approximation of
/// Cephes' <c>atan.c</c> (S. L. Moshier; relative error below 2·10⁻¹⁶ on that range), and the constants π/4, π/2, π
/// carry their low-order parts (6.123·10⁻¹⁷ for π/2) as in Cephes. The octant is then unfolded:
/// a ← π/2 − a when |y| &gt; |x|, a ← π − a when x has its sign bit set (so atan2(+0, −0) = π as in IEEE 754),
/// and the result takes the sign of y. atan2(±0, +0) = ±0.
/// </remarks>
internal static class VectorAtan2
{
    private const double P0 = -8.750608600031904122785E-1;
    private const double P1 = -1.615753718733365076637E1;
    private const double P2 = -7.500855792314704667340E1;
    private const double P3 = -1.228866684490136173410E2;
    private const double P4 = -6.485021904942025371773E1;
    private const double Q0 = 2.485846490142306297962E1;
    private const double Q1 = 1.650270098316988542046E2;
    private const double Q2 = 4.328810604912902668951E2;
    private const double Q3 = 4.853903996359136964868E2;
    private const double Q4 = 1.945506571482613964425E2;
    private const double MoreBits = 6.123233995736765886130E-17;
    private const double PiOver4 = 7.85398163397448309616E-1;
    private const double PiOver2 = 1.57079632679489661923E0;
    private const double Pi = 3.14159265358979323846E0;

    /// <summary>atan2(y, x) lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Atan2<TOps, TV>(TV y, TV x)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        TV ax = TOps.Abs(x), ay = TOps.Abs(y);
        TV swap = TOps.GreaterThan(ay, ax);
        TV lo = TOps.Min(ax, ay), hi = TOps.Max(ax, ay);
        // t > 0.66 ⇔ lo > 0.66·hi: reduce around 1.
        TV big = TOps.GreaterThan(lo, TOps.Multiply(TOps.Broadcast(0.66), hi));
        TV num = TOps.Select(big, TOps.Subtract(lo, hi), lo);
        TV den = TOps.Select(big, TOps.Add(lo, hi), hi);
        TV zero = TOps.Broadcast(0.0);
        den = TOps.Select(TOps.EqualTo(den, zero), TOps.Broadcast(1.0), den);
        TV z = TOps.Divide(num, den);
        TV z2 = TOps.Multiply(z, z);
        TV p = TOps.FusedMultiplyAdd(TOps.Broadcast(P0), z2, TOps.Broadcast(P1));
        p = TOps.FusedMultiplyAdd(p, z2, TOps.Broadcast(P2));
        p = TOps.FusedMultiplyAdd(p, z2, TOps.Broadcast(P3));
        p = TOps.FusedMultiplyAdd(p, z2, TOps.Broadcast(P4));
        TV q = TOps.Add(z2, TOps.Broadcast(Q0));
        q = TOps.FusedMultiplyAdd(q, z2, TOps.Broadcast(Q1));
        q = TOps.FusedMultiplyAdd(q, z2, TOps.Broadcast(Q2));
        q = TOps.FusedMultiplyAdd(q, z2, TOps.Broadcast(Q3));
        q = TOps.FusedMultiplyAdd(q, z2, TOps.Broadcast(Q4));
        TV r = TOps.FusedMultiplyAdd(TOps.Multiply(z, z2), TOps.Divide(p, q), z);
        // a = atan(lo/hi) ∈ [0, π/4].
        TV a = TOps.Select(big, TOps.Add(TOps.Broadcast(PiOver4), TOps.Add(r, TOps.Broadcast(0.5 * MoreBits))), r);
        // |y| > |x|: π/2 − a.
        a = TOps.Select(swap, TOps.Add(TOps.Subtract(TOps.Broadcast(PiOver2), a), TOps.Broadcast(MoreBits)), a);
        // x negative (sign bit): π − a.
        a = TOps.Select(TOps.IsNegative(x), TOps.Add(TOps.Subtract(TOps.Broadcast(Pi), a), TOps.Broadcast(2.0 * MoreBits)), a);
        return TOps.CopySign(a, y);
    }
}
