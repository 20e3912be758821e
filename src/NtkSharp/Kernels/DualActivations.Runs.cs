using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NtkSharp.Kernels;

/// <summary>The run forms of the duals: one nonlinearity's kernel update applied to a run of Gram entries with SIMD.</summary>
public static partial class DualActivations
{
    /// <summary>
    /// The kernel update of a nonlinearity over a run of entries that share the second variance:
    /// <c>k[i] ← T(c11[i], k[i], c22)</c> and <c>theta[i] ← Ṫ(c11[i], k[i], c22)·theta[i]</c>.
    /// </summary>
    /// <remarks>
    /// The formulas are those of the scalar forms (<see cref="ABRelu(double, double, double, double, double, out double, out double)"/>,
    /// <see cref="Erf(double, double, double, out double, out double)"/>), evaluated operation for operation on
    /// <see cref="Vector512{T}"/> lanes when AVX-512 is available, else on <see cref="Vector256{T}"/> lanes, with the
    /// scalar forms for the tail of the run. The only difference from the scalar forms is the lane-wise atan2
    /// (Cephes' rational approximation after octant reduction, a few ulp from <see cref="Math.Atan2"/>).
    /// A run is a segment of one column of a Gram tile: c₂₂ is the column input's variance, c₁₁ the row inputs'.
    /// </remarks>
    /// <param name="kind">The nonlinearity.</param>
    /// <param name="a">Slope for x &lt; 0 (ABRelu family).</param>
    /// <param name="b">Slope for x &gt; 0 (ABRelu family).</param>
    /// <param name="c11">Variances of the first inputs of the pairs (at least <paramref name="k"/>.Length values).</param>
    /// <param name="c22">The variance of the second input, shared by the run.</param>
    /// <param name="k">In: covariances c₁₂. Out: T.</param>
    /// <param name="theta">In: the NTK entries Θ. Out: Ṫ·Θ. Empty to skip the NTK (then Ṫ is not evaluated).</param>
    /// <exception cref="ArgumentException"><paramref name="c11"/> is shorter than <paramref name="k"/>, or
    /// <paramref name="theta"/> is neither empty nor as long as <paramref name="k"/>.</exception>
    public static void UpdateRun(ActivationKind kind, double a, double b, ReadOnlySpan<double> c11, double c22,
        Span<double> k, Span<double> theta)
    {
        if (c11.Length < k.Length)
            throw new ArgumentException($"c11 holds {c11.Length} values but the run has {k.Length}.", nameof(c11));
        if (!theta.IsEmpty && theta.Length != k.Length)
            throw new ArgumentException($"theta holds {theta.Length} values but the run has {k.Length}.", nameof(theta));
        switch (kind)
        {
            case ActivationKind.ABRelu:
                ABReluRun(a, b, c11, c22, k, theta);
                break;
            case ActivationKind.Erf:
                ErfRun(c11, c22, k, theta);
                break;
            default:
                // Identity: T = c₁₂, Ṫ = 1.
                break;
        }
    }

    /// <summary>
    /// The kernel update of a nonlinearity over a run of entries with per-entry variances on both sides (the spatial
    /// engine: positions of one pair): <c>k[i] ← T(c11[i], k[i], c22[i])</c>, <c>theta[i] ← Ṫ(…)·theta[i]</c>.
    /// Same formulas and vector bodies as <see cref="UpdateRun(ActivationKind, double, double, ReadOnlySpan{double}, double, Span{double}, Span{double})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A variance span is shorter than <paramref name="k"/>, or
    /// <paramref name="theta"/> is neither empty nor as long as <paramref name="k"/>.</exception>
    public static void UpdateRun(ActivationKind kind, double a, double b, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22,
        Span<double> k, Span<double> theta)
    {
        if (c22.Length < k.Length)
            throw new ArgumentException($"c22 holds {c22.Length} values but the run has {k.Length}.", nameof(c22));
        if (c11.Length < k.Length)
            throw new ArgumentException($"c11 holds {c11.Length} values but the run has {k.Length}.", nameof(c11));
        if (!theta.IsEmpty && theta.Length != k.Length)
            throw new ArgumentException($"theta holds {theta.Length} values but the run has {k.Length}.", nameof(theta));
        int n = k.Length, done = 0;
        ref double rc11 = ref MemoryMarshal.GetReference(c11);
        ref double rc22 = ref MemoryMarshal.GetReference(c22);
        ref double rk = ref MemoryMarshal.GetReference(k);
        ref double rt = ref MemoryMarshal.GetReference(theta);
        bool ntk = !theta.IsEmpty;
        switch (kind)
        {
            case ActivationKind.ABRelu:
                if (Vector512.IsHardwareAccelerated)
                    done = ABReluVector<Simd512, Vector512<double>>(a, b, ref rc11, ref rc22, true, ref rk, ref rt, n, ntk);
                else if (Vector256.IsHardwareAccelerated)
                    done = ABReluVector<Simd256, Vector256<double>>(a, b, ref rc11, ref rc22, true, ref rk, ref rt, n, ntk);
                for (int i = done; i < n; i++)
                {
                    ABRelu(a, b, c11[i], k[i], c22[i], out double tv, out double td);
                    k[i] = tv;
                    if (ntk) theta[i] *= td;
                }
                break;
            case ActivationKind.Erf:
                if (Vector512.IsHardwareAccelerated)
                    done = ErfVector<Simd512, Vector512<double>>(ref rc11, ref rc22, true, ref rk, ref rt, n, ntk);
                else if (Vector256.IsHardwareAccelerated)
                    done = ErfVector<Simd256, Vector256<double>>(ref rc11, ref rc22, true, ref rk, ref rt, n, ntk);
                for (int i = done; i < n; i++)
                {
                    Erf(c11[i], k[i], c22[i], out double tv, out double td);
                    k[i] = tv;
                    if (ntk) theta[i] *= td;
                }
                break;
            default:
                break;
        }
    }

    private static void ABReluRun(double a, double b, ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta)
    {
        int n = k.Length, done = 0;
        ref double rc11 = ref MemoryMarshal.GetReference(c11);
        ref double rk = ref MemoryMarshal.GetReference(k);
        ref double rt = ref MemoryMarshal.GetReference(theta);
        bool ntk = !theta.IsEmpty;
        if (Vector512.IsHardwareAccelerated)
            done = ABReluVector<Simd512, Vector512<double>>(a, b, ref rc11, ref c22, false, ref rk, ref rt, n, ntk);
        else if (Vector256.IsHardwareAccelerated)
            done = ABReluVector<Simd256, Vector256<double>>(a, b, ref rc11, ref c22, false, ref rk, ref rt, n, ntk);
        for (int i = done; i < n; i++)
        {
            ABRelu(a, b, c11[i], k[i], c22, out double tv, out double td);
            k[i] = tv;
            if (ntk) theta[i] *= td;
        }
    }

    private static void ErfRun(ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta)
    {
        int n = k.Length, done = 0;
        ref double rc11 = ref MemoryMarshal.GetReference(c11);
        ref double rk = ref MemoryMarshal.GetReference(k);
        ref double rt = ref MemoryMarshal.GetReference(theta);
        bool ntk = !theta.IsEmpty;
        if (Vector512.IsHardwareAccelerated)
            done = ErfVector<Simd512, Vector512<double>>(ref rc11, ref c22, false, ref rk, ref rt, n, ntk);
        else if (Vector256.IsHardwareAccelerated)
            done = ErfVector<Simd256, Vector256<double>>(ref rc11, ref c22, false, ref rk, ref rt, n, ntk);
        for (int i = done; i < n; i++)
        {
            Erf(c11[i], k[i], c22, out double tv, out double td);
            k[i] = tv;
            if (ntk) theta[i] *= td;
        }
    }

    /// <summary>The vector body of the ABRelu run; returns how many leading entries it processed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ABReluVector<TOps, TV>(double a, double b, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double amb = a - b;
        TV vAmb2 = TOps.Broadcast(amb * amb), vAb = TOps.Broadcast(a * b), vC22 = TOps.Broadcast(c22);
        TV vInv2Pi = TOps.Broadcast(InvTwoPi), zero = TOps.Broadcast(0.0), vFloor = TOps.Broadcast(SinSquaredFloor);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
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

    /// <summary>The vector body of the Erf run; returns how many leading entries it processed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ErfVector<TOps, TV>(ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        TV one = TOps.Broadcast(1.0), two = TOps.Broadcast(2.0), four = TOps.Broadcast(4.0), zero = TOps.Broadcast(0.0);
        TV vRow2 = TOps.Broadcast(1.0 + 2.0 * c22);
        TV vTwoOverPi = TOps.Broadcast(TwoOverPi), vFourOverPi = TOps.Broadcast(FourOverPi);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV row2 = c22PerEntry ? TOps.Add(one, TOps.Multiply(two, TOps.Load(ref c22, o))) : vRow2;
            TV d = TOps.Multiply(TOps.Add(one, TOps.Multiply(two, x11)), row2);
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
