namespace NtkSharp.Finite;

/// <summary>
/// The masks of <see cref="Layers.Dropout"/> in finite networks: a counter-based hash (the SplitMix64 finaliser of
/// Steele, Lea and Flood 2014, chained) of the forward pass's key, the op, and the element's index in the batch
/// (example · values per example + unit), so that any engine — the CPU ops and the GPU ensemble kernels — draws the same
/// mask without state, and a backward pass recomputes its forward pass's mask. Device-safe (integer arithmetic only).
/// </summary>
internal static class DropoutMask
{
    /// <summary>Phase of the keys of an ensemble's full-training-set passes (checkpoint losses and full-batch steps).</summary>
    public const ulong TrainPhase = 1;

    /// <summary>Phase of the keys of an ensemble's mini-batch steps.</summary>
    public const ulong BatchPhase = 2;

    /// <summary>Phase of the keys of Monte Carlo kernel samples.</summary>
    public const ulong MonteCarloPhase = 3;

    /// <summary>Phase of the keys given to <see cref="FiniteNetwork"/>'s methods.</summary>
    public const ulong CallPhase = 4;

    /// <summary>SplitMix64's output function: a bijection of 64-bit words with full avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>The key of one forward pass of a run: its seed, a counter (training step, Monte Carlo sample) and the
    /// kind of pass.</summary>
    public static ulong CallKey(long seed, long counter, ulong phase)
        => Mix(Mix(Mix(unchecked((ulong)seed)) ^ phase) ^ unchecked((ulong)counter));

    /// <summary>The key of member <paramref name="member"/> of an ensemble in the pass <paramref name="callKey"/>
    /// (member 0 for a single network).</summary>
    public static ulong MemberKey(ulong callKey, long member) => Mix(callKey ^ Mix(unchecked((ulong)member)));

    /// <summary>Whether element <paramref name="element"/> (example · size + unit) of op <paramref name="op"/> (its output
    /// register) is kept: u &lt; rate for u uniform on [0, 1) from the top 53 bits of the hash (always for rate = 1).</summary>
    public static bool Keep(ulong memberKey, int op, long element, double rate)
    {
        ulong h = Mix(Mix(memberKey ^ unchecked((ulong)op)) ^ unchecked((ulong)element));
        return (long)(h >> 11) * (1.0 / 9007199254740992.0) < rate;
    }
}
