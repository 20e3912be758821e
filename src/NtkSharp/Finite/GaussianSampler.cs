using System.Runtime.CompilerServices;

namespace NtkSharp.Finite;

/// <summary>
/// The deterministic source of every random draw of the finite networks: xoshiro256** (Blackman &amp; Vigna 2018)
/// seeded through SplitMix64 from (seed, stream), with standard normals by the ziggurat method.
/// </summary>
/// <remarks>
/// <para>Stream <c>s</c> of seed <c>k</c> starts from the SplitMix64 sequence of
/// <c>k ⊕ (s · 0x9E3779B97F4A7C15)</c>; distinct streams give independent-looking sequences, so the parameters of
/// ensemble member or Monte Carlo sample <c>i</c> are drawn from stream <c>i</c> of the base seed and do not depend
/// on the number of threads or on the order in which members run.</para>
/// <para>Box–Muller: with u₁ ∈ (0, 1], u₂ ∈ [0, 1) uniform (53-bit), z₁ = √(−2 ln u₁)·cos 2πu₂ and
/// z₂ = √(−2 ln u₁)·sin 2πu₂ are independent N(0, 1).</para>
/// </remarks>
public struct GaussianSampler
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates the sampler of stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    public GaussianSampler(ulong seed, ulong stream = 0)
    {
        ulong x = seed ^ (stream * 0x9E3779B97F4A7C15UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits (xoshiro256**).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextUniform() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive.");
        return (int)((NextUInt64() >> 11) % (ulong)count);
    }

    /// <summary>A standard normal draw N(0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextGaussian()
    {
        ulong u = NextUInt64();
        int iz = (int)(u & 127);
        double hz = (long)u >> 11;
        if (Math.Abs(hz) < Ziggurat.K[iz]) return hz * Ziggurat.W[iz];
        return Tail(hz, iz);
    }

    private double Tail(double hz, int iz)
    {
        while (true)
        {
            double x = hz * Ziggurat.W[iz];
            if (iz == 0)
            {
                double xt, y;
                do
                {
                    xt = -Math.Log(1.0 - NextUniform()) / Ziggurat.R;
                    y = -Math.Log(1.0 - NextUniform());
                }
                while (y + y < xt * xt);
                return hz > 0 ? Ziggurat.R + xt : -Ziggurat.R - xt;
            }
            if (Ziggurat.F[iz] + NextUniform() * (Ziggurat.F[iz - 1] - Ziggurat.F[iz]) < Math.Exp(-0.5 * x * x)) return x;
            ulong u = NextUInt64();
            iz = (int)(u & 127);
            hz = (long)u >> 11;
            if (Math.Abs(hz) < Ziggurat.K[iz]) return hz * Ziggurat.W[iz];
        }
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(0, <paramref name="std"/>²) draws.</summary>
    public void FillGaussian(Span<double> destination, double std)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = std * NextGaussian();
    }

    /// <summary>The 128-strip ziggurat tables for signed 53-bit integers (Marsaglia &amp; Tsang 2000).</summary>
    private static class Ziggurat
    {
        public const double R = 3.442619855899;
        public static readonly double[] K = new double[128];
        public static readonly double[] W = new double[128];
        public static readonly double[] F = new double[128];

        static Ziggurat()
        {
            const double m1 = 4503599627370496.0; // 2^52
            const double v = 9.91256303526217e-3;
            double dn = R, tn = dn;
            double q = v / Math.Exp(-0.5 * dn * dn);
            K[0] = dn / q * m1;
            K[1] = 0;
            W[0] = q / m1;
            W[127] = dn / m1;
            F[0] = 1.0;
            F[127] = Math.Exp(-0.5 * dn * dn);
            for (int i = 126; i >= 1; i--)
            {
                dn = Math.Sqrt(-2.0 * Math.Log(v / dn + Math.Exp(-0.5 * dn * dn)));
                K[i + 1] = dn / tn * m1;
                tn = dn;
                F[i] = Math.Exp(-0.5 * dn * dn);
                W[i] = dn / m1;
            }
        }
    }
}
