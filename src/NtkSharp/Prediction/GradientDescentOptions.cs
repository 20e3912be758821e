namespace NtkSharp.Prediction;

/// <summary>Settings of the gradient-descent predictors (<see cref="GradientDescentMse"/>,
/// <see cref="GradientDescentMseEnsemble"/>), mirroring neural-tangents' <c>gradient_descent_mse</c> arguments.</summary>
public sealed record GradientDescentOptions
{
    /// <summary>The default options: η = 1, no regularisation, relative scale, default eigenvalue tolerance.</summary>
    public static GradientDescentOptions Default { get; } = new();

    /// <summary>The learning rate η &gt; 0 (default 1). Time enters only through η·t (continuous) or η per step (discrete).</summary>
    /// <remarks>The continuous-time predictions μ_t (<c>TestMeans</c>, <c>Predict</c>) are valid for every η &gt; 0, since
    /// only η·t matters. The discrete-step predictions (<c>TestMeansAfterSteps</c>, <c>PredictSteps</c>) and finite
    /// networks trained with the same η converge only for η &lt; <see cref="GradientDescentMse.MaxLearningRate"/> =
    /// 2n/λ_max(Θ) (n = Y.size) and throw above it. The default η = 1 is below that limit only when λ_max(Θ) &lt; 2n;
    /// λ_max grows with N and with the kernel's scale, so for discrete steps read <c>MaxLearningRate</c> after fitting
    /// and choose η as a fraction of it (e.g. ½·MaxLearningRate).</remarks>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>r ≥ 0 added to the diagonal of the train-train kernel: the kernel becomes K + r·(tr K / N)·I
    /// (neural-tangents' <c>diag_reg</c> with <c>diag_reg_absolute_scale=False</c>), or K + r·I when
    /// <see cref="RegularizationIsAbsolute"/>.</summary>
    public double DiagonalRegularization { get; init; }

    /// <summary>Whether <see cref="DiagonalRegularization"/> is absolute rather than relative to the mean trace.</summary>
    public bool RegularizationIsAbsolute { get; init; }

    /// <summary>The relative eigenvalue tolerance ε_λ: eigenvalues λ with |λ| ≤ ε_λ·λ_max are treated as exactly 0,
    /// and λ &lt; −ε_λ·λ_max makes the kernel indefinite (an error). Null means N·2⁻⁵² (numpy's default rank
    /// tolerance for an N×N matrix).</summary>
    public double? EigenvalueTolerance { get; init; }

    internal void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        if (!(DiagonalRegularization >= 0) || !double.IsFinite(DiagonalRegularization))
            throw new ArgumentOutOfRangeException(nameof(DiagonalRegularization), DiagonalRegularization, "The diagonal regularisation must be non-negative and finite.");
        if (EigenvalueTolerance is { } tol && (!(tol >= 0) || tol >= 1))
            throw new ArgumentOutOfRangeException(nameof(EigenvalueTolerance), tol, "The eigenvalue tolerance must lie in [0, 1).");
    }
}
