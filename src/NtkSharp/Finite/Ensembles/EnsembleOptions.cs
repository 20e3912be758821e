namespace NtkSharp.Finite.Ensembles;

/// <summary>Settings of <see cref="Ensemble"/>.Train (on the CPU or a GPU context).</summary>
public sealed record EnsembleOptions
{
    /// <summary>Number of independently initialised members M (default 10).</summary>
    public int Members { get; init; } = 10;

    /// <summary>The learning rate η of (stochastic) gradient descent on L = ½·mean((f − y)²) (default 1).</summary>
    /// <remarks>Training is stable only for η below 2n/λ_max of the members' empirical NTK, close at large width to the
    /// analytic <see cref="Prediction.GradientDescentMse.MaxLearningRate"/> = 2n/λ_max(Θ) (n = Y.size); the default 1
    /// exceeds it when λ_max(Θ) &gt; 2n, and then training stops with <see cref="EnsembleDivergedException"/> (which
    /// reports the limit). Choose η as a fraction of <c>MaxLearningRate</c>, e.g. ½·MaxLearningRate.</remarks>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>Steps after which the test outputs are recorded, e.g. [0, 1, 2, 3, 2000]; the ensemble trains for
    /// the largest. Must be distinct and non-negative (they are sorted).</summary>
    public IReadOnlyList<int> Checkpoints { get; init; } = [0];

    /// <summary>Base seed: member m is initialised from stream m of it (<see cref="GaussianSampler"/>).</summary>
    public long Seed { get; init; }

    /// <summary>Mini-batch size for SGD (null: full-batch gradient descent). Each epoch visits the training examples in
    /// a fresh per-member random order; a step's loss is ½·mean over the batch's targets.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Also compute member 0's empirical NTK on the training inputs before and after training (default true).</summary>
    public bool RecordNtk { get; init; } = true;

    /// <summary>Keep every member's parameters at every checkpoint (default true), so that the trained ensemble can be
    /// evaluated on new inputs (<see cref="EnsembleResult.Evaluate(Tensor, CancellationToken)"/>,
    /// <see cref="EnsembleResult.MeanPredictor(int)"/>). Costs checkpoints × members × parameters doubles; set false for
    /// large networks when only the outputs on the test inputs are needed.</summary>
    public bool KeepParameters { get; init; } = true;

    /// <summary>A member whose training loss exceeds this multiple of (its initial loss + 1) or stops being finite
    /// has diverged (default 10⁶).</summary>
    public double DivergenceFactor { get; init; } = 1e6;

    /// <summary>Threads of the CPU ensemble (null: all cores; a GPU context trains all members together and ignores
    /// it). Results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
