using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NtkSharp.Kernels;

/// <summary>
/// SIMD evaluation of <see cref="DualActivations"/> over spans of entries (the spatial engine's hot loop): the same
/// formulas, with atan2 computed by a vectorised Cephes rational approximation of atan on [0, 1]
/// (Moshier, "Methods and programs for mathematical functions", 1989; relative error ≈ 2·10⁻¹⁶). The scalar tail uses
/// <see cref="DualActivations.Evaluate"/>.
/// </summary>
internal static class VectorDuals
{
    private const double InvTwoPi = 0.15915494309189533576888376337251;
    private const double TwoOverPi = 0.63661977236758134307553505349006;
    private const double FourOverPi = 1.2732395447351626861510701069801;
    private const double PiOver2 = 1.5707963267948966192313216916398;
    private const double PiOver4 = 0.78539816339744830961566084581988;
    private const double MoreBits = 6.123233995736765886130E-17;

    /// <summary>For every entry e: (k[e], t[e]) ← (T, Ṫ·t[e]) of the pair with variances v1[e], v2[e] and covariance
    /// k[e]. <paramref name="t"/> may be empty (NNGP only).</summary>
    public static void Apply(ActivationKind kind, double a, double b, Span<double> k, Span<double> t,
        ReadOnlySpan<double> v1, ReadOnlySpan<double> v2)
    {
        int n = k.Length, i = 0;
        bool ntk = !t.IsEmpty;
        if (Vector.IsHardwareAccelerated && kind != ActivationKind.Identity && n >= Vector<double>.Count)
        {
            var vk = MemoryMarshal.Cast<double, Vector<double>>(k);
            var vt = ntk ? MemoryMarshal.Cast<double, Vector<double>>(t[..n]) : default;
            var w1 = MemoryMarshal.Cast<double, Vector<double>>(v1[..n]);
            var w2 = MemoryMarshal.Cast<double, Vector<double>>(v2[..n]);
            if (kind == ActivationKind.ABRelu)
            {
                double amb = a - b;
                var amb2 = new Vector<double>(amb * amb * InvTwoPi);
                var ab = new Vector<double>(a * b);
                for (int v = 0; v < vk.Length; v++)
                {
                    var c12 = vk[v];
                    var s2 = w1[v] * w2[v] - c12 * c12;
                    var s = Vector.SquareRoot(Vector.Max(s2, Vector<double>.Zero));
                    var piMinusTheta = new Vector<double>(Math.PI) - Atan2(s, c12);
                    vk[v] = amb2 * (s + piMinusTheta * c12) + ab * c12;
                    if (ntk) vt[v] *= amb2 * piMinusTheta + ab;
                }
            }
            else
            {
                var one = Vector<double>.One;
                var two = new Vector<double>(2.0);
                for (int v = 0; v < vk.Length; v++)
                {
                    var c12 = vk[v];
                    var d = (one + two * w1[v]) * (one + two * w2[v]);
                    var r = Vector.SquareRoot(Vector.Max(d - new Vector<double>(4.0) * c12 * c12, Vector<double>.Zero));
                    vk[v] = new Vector<double>(TwoOverPi) * Atan2(two * c12, r);
                    if (ntk) vt[v] *= new Vector<double>(FourOverPi) / r;
                }
            }
            i = vk.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            DualActivations.Evaluate(kind, a, b, v1[i], k[i], v2[i], out double tv, out double td);
            k[i] = tv;
            if (ntk) t[i] *= td;
        }
    }

    /// <summary>atan2(y, x) ∈ [−π, π] per lane (atan2(0, 0) = 0, as <see cref="Math.Atan2"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Atan2(Vector<double> y, Vector<double> x)
    {
        var ax = Vector.Abs(x);
        var ay = Vector.Abs(y);
        var swap = Vector.GreaterThan(ay, ax);
        var num = Vector.ConditionalSelect(swap, ax, ay);
        var den = Vector.ConditionalSelect(swap, ay, ax);
        var zero = Vector<double>.Zero;
        var t = Vector.ConditionalSelect(Vector.Equals(den, zero), zero, num / Vector.ConditionalSelect(Vector.Equals(den, zero), Vector<double>.One, den));
        var phi = AtanUnit(t);
        phi = Vector.ConditionalSelect(swap, new Vector<double>(PiOver2) - phi, phi);
        phi = Vector.ConditionalSelect(Vector.LessThan(x, zero), new Vector<double>(Math.PI) - phi, phi);
        return Vector.ConditionalSelect(Vector.LessThan(y, zero), -phi, phi);
    }

    /// <summary>atan(t) for t ∈ [0, 1]: Cephes' reduction t &gt; 0.66 → π/4 + atan((t − 1)/(t + 1)) and its
    /// degree-4/5 rational approximation in t².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> AtanUnit(Vector<double> t)
    {
        var big = Vector.GreaterThan(t, new Vector<double>(0.66));
        var one = Vector<double>.One;
        var x = Vector.ConditionalSelect(big, (t - one) / (t + one), t);
        var y0 = Vector.ConditionalSelect(big, new Vector<double>(PiOver4), Vector<double>.Zero);
        var more = Vector.ConditionalSelect(big, new Vector<double>(0.5 * MoreBits), Vector<double>.Zero);
        var z = x * x;
        var p = new Vector<double>(-8.750608600031904122785E-1);
        p = p * z + new Vector<double>(-1.615753718733365076637E1);
        p = p * z + new Vector<double>(-7.500855792314704667340E1);
        p = p * z + new Vector<double>(-1.228866684490136173410E2);
        p = p * z + new Vector<double>(-6.485021904942025371773E1);
        var q = z + new Vector<double>(2.485846490142306297962E1);
        q = q * z + new Vector<double>(1.650270098316988542046E2);
        q = q * z + new Vector<double>(4.328810604912902668951E2);
        q = q * z + new Vector<double>(4.853903996359136964868E2);
        q = q * z + new Vector<double>(1.945506571482613964425E2);
        return y0 + (x + x * z * p / q + more);
    }
}
