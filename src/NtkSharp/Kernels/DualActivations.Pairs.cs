using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NtkSharp.Kernels;

/// <summary>The pair form of the duals: every entry with its own two variances (the diagonal spatial layout).</summary>
public static partial class DualActivations
{
    /// <summary>
    /// The kernel update of a nonlinearity over entries that each have their own variances:
    /// <c>k[i] ← T(c11[i], k[i], c22[i])</c> and <c>theta[i] ← Ṫ(c11[i], k[i], c22[i])·theta[i]</c>.
    /// </summary>
    /// <remarks>The formulas of the scalar forms evaluated operation for operation on SIMD lanes, as
    /// <see cref="UpdateRun"/> (which shares c₂₂ over the run); used by the spatial engine, where the entry for position p
    /// of a pair of images has the variances K(x, x)(p, p) and K(x′, x′)(p, p).</remarks>
    /// <param name="kind">The nonlinearity.</param>
    /// <param name="a">Slope for x &lt; 0 (ABRelu family).</param>
    /// <param name="b">Slope for x &gt; 0 (ABRelu family).</param>
    /// <param name="c11">Variances of the first input per entry.</param>
    /// <param name="c22">Variances of the second input per entry.</param>
    /// <param name="k">In: covariances c₁₂. Out: T.</param>
    /// <param name="theta">In: the NTK entries Θ. Out: Ṫ·Θ. Empty to skip the NTK.</param>
    /// <exception cref="ArgumentException">A variance span is shorter than <paramref name="k"/>, or
    /// <paramref name="theta"/> is neither empty nor as long as <paramref name="k"/>.</exception>
    public static void UpdatePairs(ActivationKind kind, double a, double b, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22,
        Span<double> k, Span<double> theta)
    {
        if (c11.Length < k.Length)
            throw new ArgumentException($"c11 holds {c11.Length} values but there are {k.Length} entries.", nameof(c11));
        if (c22.Length < k.Length)
            throw new ArgumentException($"c22 holds {c22.Length} values but there are {k.Length} entries.", nameof(c22));
        if (!theta.IsEmpty && theta.Length != k.Length)
            throw new ArgumentException($"theta holds {theta.Length} values but there are {k.Length} entries.", nameof(theta));
        if (kind == ActivationKind.Identity) return;
        int n = k.Length, done = 0;
        ref double r11 = ref MemoryMarshal.GetReference(c11);
        ref double r22 = ref MemoryMarshal.GetReference(c22);
        ref double rk = ref MemoryMarshal.GetReference(k);
        ref double rt = ref MemoryMarshal.GetReference(theta);
        bool ntk = !theta.IsEmpty;
        if (Vector512.IsHardwareAccelerated)
            done = PairsVector<Simd512, Vector512<double>>(kind, a, b, ref r11, ref r22, ref rk, ref rt, n, ntk);
        else if (Vector256.IsHardwareAccelerated)
            done = PairsVector<Simd256, Vector256<double>>(kind, a, b, ref r11, ref r22, ref rk, ref rt, n, ntk);
        for (int i = done; i < n; i++)
        {
            Evaluate(kind, a, b, c11[i], k[i], c22[i], out double tv, out double td);
            k[i] = tv;
            if (ntk) theta[i] *= td;
        }
    }

    /// <summary>The vector body of <see cref="UpdatePairs"/>; returns how many leading entries it processed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PairsVector<TOps, TV>(ActivationKind kind, double a, double b, ref double c11, ref double c22,
        ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        int w = TOps.Count, end = n - n % w;
        TV zero = TOps.Broadcast(0.0);
        if (kind == ActivationKind.ABRelu)
        {
            double amb = a - b;
            TV vAmb2 = TOps.Broadcast(amb * amb), vAb = TOps.Broadcast(a * b);
            TV vInv2Pi = TOps.Broadcast(InvTwoPi), vFloor = TOps.Broadcast(SinSquaredFloor);
            for (int i = 0; i < end; i += w)
            {
                nuint o = (nuint)i;
                TV x11 = TOps.Load(ref c11, o), x22 = TOps.Load(ref c22, o), x12 = TOps.Load(ref k, o);
                TV s2 = TOps.Subtract(TOps.Multiply(x11, x22), TOps.Multiply(x12, x12));
                TV floor = TOps.Multiply(TOps.Multiply(vFloor, x11), x22);
                TV s = TOps.Select(TOps.GreaterThan(s2, floor), TOps.Sqrt(s2), zero);
                TV piMinusTheta = VectorAtan2.Atan2<TOps, TV>(s, TOps.Negate(x12));
                TV t = TOps.Add(
                    TOps.Multiply(TOps.Multiply(vAmb2, TOps.Add(s, TOps.Multiply(piMinusTheta, x12))), vInv2Pi),
                    TOps.Multiply(vAb, x12));
                TOps.Store(t, ref k, o);
                if (ntk)
                {
                    TV td = TOps.Add(TOps.Multiply(TOps.Multiply(vAmb2, piMinusTheta), vInv2Pi), vAb);
                    TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), td), ref theta, o);
                }
            }
            return end;
        }
        if (kind != ActivationKind.Erf) return 0;
        TV one = TOps.Broadcast(1.0), two = TOps.Broadcast(2.0), four = TOps.Broadcast(4.0);
        TV vTwoOverPi = TOps.Broadcast(TwoOverPi), vFourOverPi = TOps.Broadcast(FourOverPi);
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x22 = TOps.Load(ref c22, o), x12 = TOps.Load(ref k, o);
            TV d = TOps.Multiply(TOps.Add(one, TOps.Multiply(two, x11)), TOps.Add(one, TOps.Multiply(two, x22)));
            TV r2 = TOps.Subtract(d, TOps.Multiply(TOps.Multiply(four, x12), x12));
            TV r = TOps.Select(TOps.GreaterThan(r2, zero), TOps.Sqrt(r2), zero);
            TV t = TOps.Multiply(vTwoOverPi, VectorAtan2.Atan2<TOps, TV>(TOps.Multiply(two, x12), r));
            TOps.Store(t, ref k, o);
            if (ntk)
                TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), TOps.Divide(vFourOverPi, r)), ref theta, o);
        }
        return end;
    }
}
