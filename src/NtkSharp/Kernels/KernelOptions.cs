namespace NtkSharp.Kernels;

/// <summary>Tuning knobs of a kernel computation. The defaults suit most uses.</summary>
public sealed record KernelOptions
{
    /// <summary>Default options.</summary>
    public static KernelOptions Default { get; } = new();

    /// <summary>Threads to use (null: all cores).</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Memory the engine may use for intermediate tiles, in bytes (default 2 GiB). Results are not counted.</summary>
    public long MemoryBudgetBytes { get; init; } = 2L << 30;

    /// <summary>Storage format of the GPU engine's device intermediates and transfers (default
    /// <see cref="KernelPrecision.Float64"/>). <see cref="KernelPrecision.Float32"/> trades 1e-7 to 1e-6 relative accuracy
    /// (see <see cref="KernelPrecision"/>) for half the device memory traffic and transfers; the CPU engine ignores it
    /// and always computes in double precision.</summary>
    public KernelPrecision Precision { get; init; } = KernelPrecision.Float64;

    internal ParallelOptions ParallelOptions(CancellationToken ct) => new()
    {
        CancellationToken = ct,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism ?? Environment.ProcessorCount,
    };
}
