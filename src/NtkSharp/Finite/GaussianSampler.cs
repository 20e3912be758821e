using System.Runtime.CompilerServices;

namespace NtkSharp.Finite;

/// <summary>
/// The deterministic source of every random draw of the finite networks: xoshiro256** (Blackman &amp; Vigna 2018)
/// seeded through SplitMix64 from (seed, stream), with standard normals by the Box–Muller transform.
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
    private double _spare;
    private bool _hasSpare;

    /// <summary>Creates the sampler of stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    public GaussianSampler(ulong seed, ulong stream = 0)
    {
        ulong x = seed ^ (stream * 0x9E3779B97F4A7C15UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _spare = 0;
        _hasSpare = false;
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
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u1 = 1.0 - NextUniform();
        double u2 = NextUniform();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spare = r * sin;
        _hasSpare = true;
        return r * cos;
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(0, <paramref name="std"/>²) draws.</summary>
    public void FillGaussian(Span<double> destination, double std)
    {
        int i = 0;
        if (_hasSpare && destination.Length > 0)
        {
            destination[i++] = std * NextGaussian();
        }
        for (; i + 1 < destination.Length; i += 2)
        {
            double u1 = 1.0 - NextUniform();
            double u2 = NextUniform();
            double r = std * Math.Sqrt(-2.0 * Math.Log(u1));
            var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
            destination[i] = r * cos;
            destination[i + 1] = r * sin;
        }
        if (i < destination.Length) destination[i] = std * NextGaussian();
    }
}
