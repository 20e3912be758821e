namespace NtkSharp.Kernels;

/// <summary>Tuning knobs of a kernel computation. The defaults suit most uses.</summary>
public sealed record KernelOptions
{
    /// <summary>Default options.</summary>
    public static KernelOptions Default { get; } = new();

    /// <summary>Threads to use (null: all cores).</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Memory the engine may use for intermediate tiles and workspaces, in bytes; results are not counted.
    /// Null (the default) lets the engine choose: 2 GiB (<see cref="DefaultMemoryBudgetBytes"/>) on the CPU engine and
    /// for the GPU engine's fully-connected tiles (their page-locked host staging arrays are as large), half the device
    /// memory for the GPU engine's convolutional workspaces (device memory only; a 28×28 pooled CNN needs about 1,000
    /// pairs of 15 MB in flight to fill an H100).</summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>The budget used where <see cref="MemoryBudgetBytes"/> is null and the engine has no larger default: 2 GiB.</summary>
    public const long DefaultMemoryBudgetBytes = 2L << 30;

    /// <summary>Storage format of the GPU engine's device intermediates and transfers (default
    /// <see cref="KernelPrecision.Float64"/>). <see cref="KernelPrecision.Float32"/> trades 1e-7 to 1e-6 relative accuracy
    /// (see <see cref="KernelPrecision"/>) for half the device memory traffic and transfers; the CPU engine ignores it
    /// and always computes in double precision.</summary>
    public KernelPrecision Precision { get; init; } = KernelPrecision.Float64;

    /// <summary><see cref="MemoryBudgetBytes"/>, or <paramref name="engineDefault"/> when it is null.</summary>
    internal long BudgetOr(long engineDefault = DefaultMemoryBudgetBytes) => MemoryBudgetBytes ?? engineDefault;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="parameterName"/> for an undefined
    /// precision, a non-positive thread count or a non-positive memory budget.</summary>
    internal void Validate(string parameterName)
    {
        if (!Enum.IsDefined(Precision))
            throw new ArgumentOutOfRangeException(parameterName, Precision, "KernelOptions.Precision must be Float64 or Float32.");
        if (MaxDegreeOfParallelism is { } t && t < 1)
            throw new ArgumentOutOfRangeException(parameterName, t, "KernelOptions.MaxDegreeOfParallelism must be at least 1 (or null for all cores).");
        if (MemoryBudgetBytes is { } b && b <= 0)
            throw new ArgumentOutOfRangeException(parameterName, b, "KernelOptions.MemoryBudgetBytes must be positive (or null for the engine's default).");
    }

    internal ParallelOptions ParallelOptions(CancellationToken ct) => new()
    {
        CancellationToken = ct,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism ?? Environment.ProcessorCount,
    };
}
