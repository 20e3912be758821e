namespace NtkSharp.Finite.Ensembles;

/// <summary>
/// Gradient descent diverged: a member's training loss grew past the divergence threshold or stopped being finite
/// (typically the learning rate exceeds the stability limit 2n/λ_max(Θ) of the linearised dynamics, neural-tangents'
/// <c>max_learning_rate</c>). No NaN outputs are ever returned.
/// </summary>
public sealed class EnsembleDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public EnsembleDivergedException(int member, int step, double loss, double learningRate, double estimatedMaxLearningRate)
        : this(member, step, loss, learningRate, estimatedMaxLearningRate, null)
    {
    }

    /// <summary>Creates the exception with the <paramref name="cause"/> when it is not the learning rate (overflowing
    /// inputs or weights: then <paramref name="estimatedMaxLearningRate"/> is NaN).</summary>
    public EnsembleDivergedException(int member, int step, double loss, double learningRate, double estimatedMaxLearningRate, string? cause)
        : base(cause is null
            ? $"Training diverged: member {member} reached loss {loss:G4} at step {step} with learning rate {learningRate:G6}. " +
              $"The stability limit estimated from this member's empirical NTK at initialisation is 2n/λ_max ≈ {estimatedMaxLearningRate:G6}; use a smaller learning rate."
            : $"Training diverged: member {member} reached loss {loss:G4} at step {step}: {cause}")
    {
        Member = member;
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
        EstimatedMaxLearningRate = estimatedMaxLearningRate;
    }

    /// <summary>The member that diverged first (lowest index among those detected).</summary>
    public int Member { get; }

    /// <summary>The step at which divergence was detected.</summary>
    public int Step { get; }

    /// <summary>The loss at that step (possibly ∞ or NaN).</summary>
    public double Loss { get; }

    /// <summary>The learning rate used.</summary>
    public double LearningRate { get; }

    /// <summary>2n/λ_max(Θ̂) of the member's empirical NTK on the training inputs at initialisation (n = Y.size).</summary>
    public double EstimatedMaxLearningRate { get; }
}
