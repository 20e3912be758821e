using ILGPU;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// Who works on one pair in <see cref="GpuSpatialKernels"/>, and where the pair's workspace lies: the interpreter's
/// loops over a tensor's entries run p = <see cref="Lane"/>, Lane + <see cref="Count"/>, …; element q of the pair's
/// workspace is at <see cref="At"/>(q). Implemented by structs, so ILGPU specialises the interpreter per kind.
/// </summary>
internal interface ISpatialLanes
{
    /// <summary>This thread's index among the threads of the pair.</summary>
    int Lane { get; }

    /// <summary>Threads working on the pair.</summary>
    int Count { get; }

    /// <summary>The workspace address of element <paramref name="q"/> of the pair's workspace.</summary>
    long At(long q);

    /// <summary>Waits until every thread of the pair has finished the previous pass (its writes are visible).</summary>
    void Sync();

    /// <summary>Σ over the pair's threads of <paramref name="partial"/>, returned to every thread.</summary>
    double Reduce(double partial);
}

/// <summary>One thread per pair, workspaces interleaved: element q of launch entry e at q·stride + e, so that the
/// threads of a warp (consecutive e) access consecutive addresses.</summary>
internal readonly struct ThreadLanes(int entry, long stride) : ISpatialLanes
{
    private readonly int _entry = entry;
    private readonly long _stride = stride;

    public int Lane => 0;

    public int Count => 1;

    public long At(long q) => q * _stride + _entry;

    public void Sync()
    {
    }

    public double Reduce(double partial) => partial;
}

/// <summary>One thread group per pair: a contiguous workspace slice at <c>offset</c>, entries strided across the
/// group's threads, group barriers, and a shared-memory tree reduction (deterministic for a given group size).</summary>
internal readonly struct GroupLanes(ArrayView<double> shared, long offset) : ISpatialLanes
{
    private readonly ArrayView<double> _shared = shared;
    private readonly long _offset = offset;

    public int Lane => Group.IdxX;

    public int Count => Group.DimX;

    public long At(long q) => _offset + q;

    public void Sync() => Group.Barrier();

    public double Reduce(double partial)
    {
        int lane = Group.IdxX, n = Group.DimX;
        _shared[lane] = partial;
        Group.Barrier();
        int half = 1;
        while (half * 2 < n) half *= 2;
        for (; half > 0; half /= 2)
        {
            if (lane < half && lane + half < n) _shared[lane] += _shared[lane + half];
            Group.Barrier();
        }
        double sum = _shared[0];
        Group.Barrier(); // nobody overwrites entry 0 (next reduction) before every thread has read it
        return sum;
    }
}

/// <summary>
/// One lane's view of its pair's workspace in <see cref="GpuSpatialKernels"/>: the lanes (<see cref="ISpatialLanes"/>)
/// and the storage format of the workspace tensors (<see cref="ITileStorage{T}"/>). Reads widen element q to double,
/// writes round a double to the format, so the interpreter computes in double whatever the workspace holds.
/// Implemented by <see cref="SpatialWorkspace{T, TStorage, TLanes}"/>, a struct, so ILGPU specialises the interpreter
/// per format and kind of lanes.
/// </summary>
internal interface ISpatialWorkspace : ISpatialLanes
{
    /// <summary>Element <paramref name="q"/> of the pair's workspace, widened on read and rounded on write.</summary>
    double this[long q] { get; set; }
}

/// <summary>The workspace <paramref name="ws"/> stored as <typeparamref name="T"/> (<typeparamref name="TStorage"/>),
/// addressed and shared by <paramref name="lanes"/>.</summary>
/// <typeparam name="T">The stored element type (double or float).</typeparam>
/// <typeparam name="TStorage">The storage format.</typeparam>
/// <typeparam name="TLanes">Who works on the pair.</typeparam>
internal readonly struct SpatialWorkspace<T, TStorage, TLanes>(ArrayView<T> ws, TLanes lanes) : ISpatialWorkspace
    where T : unmanaged
    where TStorage : struct, ITileStorage<T>
    where TLanes : struct, ISpatialLanes
{
    private readonly ArrayView<T> _ws = ws;
    private readonly TLanes _lanes = lanes;

    public int Lane => _lanes.Lane;

    public int Count => _lanes.Count;

    public double this[long q]
    {
        get
        {
            TStorage storage = default;
            return storage.Widen(_ws[_lanes.At(q)]);
        }
        set
        {
            TStorage storage = default;
            _ws[_lanes.At(q)] = storage.Narrow(value);
        }
    }

    public long At(long q) => _lanes.At(q);

    public void Sync() => _lanes.Sync();

    public double Reduce(double partial) => _lanes.Reduce(partial);
}
