namespace NtkSharp.Finite.Ensembles;

/// <summary>
/// The mini-batch order of one ensemble member: each epoch visits the training examples in a fresh Fisher–Yates
/// permutation drawn from stream <c>member</c> of <c>seed ^ 0xD1B54A32D192ED03</c>, and a batch that would run past the
/// end of the epoch starts a new one. The CPU trainer and the GPU ensemble (which builds per-member index tables on the
/// host) both draw their batches from here, so they see the same examples at every step.
/// </summary>
internal struct EpochShuffle
{
    private readonly int[] _order;
    private readonly int _count;
    private GaussianSampler _rng;
    private int _position;

    /// <summary>Starts member <paramref name="member"/>'s sequence over <paramref name="count"/> examples, permuting
    /// them in <paramref name="order"/> (at least <paramref name="count"/> long, reused by the caller).</summary>
    public EpochShuffle(long seed, int member, int count, int[] order)
    {
        _order = order;
        _count = count;
        _rng = new GaussianSampler(unchecked((ulong)seed ^ 0xD1B54A32D192ED03UL), (ulong)member);
        _position = count;
    }

    /// <summary>The example indices of the next batch of <paramref name="batch"/> (valid until the next call).</summary>
    public ReadOnlySpan<int> Next(int batch)
    {
        if (_position + batch > _count)
        {
            for (int i = 0; i < _count; i++) _order[i] = i;
            for (int i = _count - 1; i > 0; i--)
            {
                int j = _rng.NextInt(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
            _position = 0;
        }
        var indices = _order.AsSpan(_position, batch);
        _position += batch;
        return indices;
    }
}
