namespace NtkSharp.Prediction;

/// <summary>How <see cref="GradientDescentMse"/> evaluates f_t(Θ)·Y with f_t(λ) = (1 − e^{−ηλt/n})/λ.</summary>
public enum PredictionSolver
{
    /// <summary><see cref="Iterative"/> when the train kernel is memory-mapped or N ≥
    /// <see cref="GradientDescentOptions.AutoIterativeThreshold"/> (default 2,000), else <see cref="Eigen"/>;
    /// if the iterative route does not converge within min(its limit, max(64, N/8)) Krylov directions on an
    /// in-memory kernel, it falls back to <see cref="Eigen"/> (reported in <see cref="IterativeReport.FellBack"/>).</summary>
    Auto,

    /// <summary>One dense eigendecomposition Θ = VΛVᵀ (LAPACK <c>dsyevd</c>), O(N³).</summary>
    Eigen,

    /// <summary>One block Lanczos process with full reorthogonalisation on Θ started from Y for all times
    /// (Krylov subspace approximation of matrix functions), O(N²·K) per iteration; needs only products with Θ,
    /// so the kernel may be memory-mapped.</summary>
    Iterative,
}
