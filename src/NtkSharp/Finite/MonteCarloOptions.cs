using NtkSharp.Kernels;

namespace NtkSharp.Finite;

/// <summary>Settings of <see cref="MonteCarloKernels.Estimate"/>.</summary>
public sealed record MonteCarloOptions
{
    /// <summary>Independent initialisations to average over (default 100).</summary>
    public int Samples { get; init; } = 100;

    /// <summary>Base seed: sample i is initialised from stream i of this seed (default 0).</summary>
    public long Seed { get; init; }

    /// <summary>Which kernels to estimate (default both).</summary>
    public KernelOutputs Outputs { get; init; } = KernelOutputs.Both;

    /// <summary>Threads to use (null: all cores). The result does not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
