namespace NtkSharp.Finite.Ensembles;

/// <summary>Settings of <see cref="Convergence.Run"/>.</summary>
public sealed record ConvergenceOptions
{
    /// <summary>Hidden widths to try (passed to the architecture factory), e.g. 64, 128, …, 2048.</summary>
    public IReadOnlyList<int> Widths { get; init; } = [64, 256, 1024];

    /// <summary>Ensemble sizes to try, e.g. 1, 10, 100, 1000.</summary>
    public IReadOnlyList<int> EnsembleSizes { get; init; } = [1, 10, 100];

    /// <summary>Learning rate η of full-batch gradient descent.</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>Number of gradient steps k (the distance is measured after k steps).</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Base seed; every (width, size) run uses it, so smaller ensembles are the first members of larger ones.</summary>
    public long Seed { get; init; }

    /// <summary>Threads (null: all cores).</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
