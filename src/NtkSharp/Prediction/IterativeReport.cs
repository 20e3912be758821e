namespace NtkSharp.Prediction;

/// <summary>How a prediction was computed: the route and, for <see cref="PredictionSolver.Iterative"/>, the Krylov
/// process' size and its a-posteriori error estimate.</summary>
/// <param name="Solver">The route taken (<see cref="PredictionSolver.Eigen"/> or <see cref="PredictionSolver.Iterative"/>;
/// never <see cref="PredictionSolver.Auto"/>).</param>
/// <param name="Iterations">Block Lanczos iterations (one block product K·Q each); 0 on the eigen route.</param>
/// <param name="KrylovDimension">Dimension of the Krylov space used (block size × iterations, less deflated
/// directions); 0 on the eigen route.</param>
/// <param name="EstimatedRelativeError">max over times of ‖α_m − α_m'‖_K / ‖α_m‖_K, the change of the coefficient
/// block α_t = f_t(K)·(Y − f₀) in the kernel (RKHS) norm between the last two checkpoints m' &lt; m; it bounds the
/// test-mean change at x by √K(x,x)·‖α_m − α_m'‖_K. 0 when the Krylov space became invariant (exact) or on the
/// eigen route.</param>
/// <param name="Exact">True when the Krylov space became invariant, so the result is exact up to rounding.</param>
/// <param name="FellBack">True when <see cref="PredictionSolver.Auto"/> tried the iterative route, it did not
/// converge within its budget, and the eigen route was used instead.</param>
public sealed record IterativeReport(PredictionSolver Solver, int Iterations, int KrylovDimension,
    double EstimatedRelativeError, bool Exact, bool FellBack = false);

/// <summary>Progress of the iterative predictor after each block Lanczos iteration.</summary>
/// <param name="Iteration">Iterations done.</param>
/// <param name="KrylovDimension">Current Krylov space dimension.</param>
/// <param name="EstimatedRelativeError">The estimate at the latest checkpoint (+∞ before the second one).</param>
public readonly record struct IterativeProgress(int Iteration, int KrylovDimension, double EstimatedRelativeError);

/// <summary>The iterative predictor did not reach its tolerance within its iteration limit; no result is
/// returned.</summary>
public sealed class IterativeConvergenceException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public IterativeConvergenceException(string message, int iterations, double estimatedRelativeError)
        : base(message)
    {
        Iterations = iterations;
        EstimatedRelativeError = estimatedRelativeError;
    }

    /// <summary>Iterations done.</summary>
    public int Iterations { get; }

    /// <summary>The last error estimate (relative, kernel norm).</summary>
    public double EstimatedRelativeError { get; }
}
