using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>
/// The closed-form gradient-descent mean of a kernel regression through one symmetric eigendecomposition
/// Θ(X, X) = V Λ Vᵀ: μ_t(x) = Θ(x, X) V φ_t(Λ) Vᵀ Y with φ_t(λ) = (1 − e^{−ηλt/n})/λ (continuous time) or
/// φ_k(λ) = (1 − (1 − ηλ/n)^k)/λ (k discrete steps), n the normalisation (Y.size in neural-tangents).
/// </summary>
/// <remarks>
/// φ is entire in λ (φ → ηt/n as λ → 0), so the finite-time mean is defined for singular kernels; eigenvalues below
/// the tolerance N·ε·λ_max are treated as exact zeros (and clamped at 0 when slightly negative from rounding). At
/// t = ∞ φ(λ) = 1/λ on the others and 0 on the zero modes: for a positive semi-definite kernel the zero modes of
/// Θ(X, X) are annihilated by Θ(x, X) too, so this pseudo-inverse is the exact limit t → ∞.
/// </remarks>
internal sealed class SpectralMean
{
    private readonly Vector<double> _lambda;
    private readonly Matrix<double> _v;
    private readonly Matrix<double> _vty;
    private readonly double _tol;

    public SpectralMean(Matrix<double> kTrain, Matrix<double> y, double learningRate, double normalization, CancellationToken ct = default)
    {
        if (kTrain.RowCount != kTrain.ColumnCount || kTrain.RowCount != y.RowCount)
            throw new ArgumentException($"The train kernel is {kTrain.RowCount}×{kTrain.ColumnCount} for {y.RowCount} targets.", nameof(kTrain));
        ct.ThrowIfCancellationRequested();
        var sym = (kTrain + kTrain.Transpose()) * 0.5;
        var evd = sym.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        _lambda = evd.EigenValues.Map(c => c.Real);
        _v = evd.EigenVectors;
        double max = _lambda.Enumerate().Max(Math.Abs);
        _tol = kTrain.RowCount * 2.220446049250313e-16 * max;
        _vty = _v.TransposeThisAndMultiply(y);
        LearningRate = learningRate;
        Normalization = normalization;
    }

    public double LearningRate { get; }

    public double Normalization { get; }

    /// <summary>μ_t on the test points whose kernel against the training points is <paramref name="kTest"/>.</summary>
    public Matrix<double>[] PredictTimes(Matrix<double> kTest, IReadOnlyList<double> times)
    {
        var kv = kTest * _v;
        var result = new Matrix<double>[times.Count];
        for (int ti = 0; ti < times.Count; ti++)
        {
            double t = times[ti];
            double c = LearningRate * t / Normalization;
            result[ti] = Apply(kv, lam =>
            {
                if (double.IsPositiveInfinity(t)) return lam > _tol ? 1.0 / lam : 0.0;
                if (lam <= _tol) return c;
                return -Accurate.ExpM1(-c * lam) / lam;
            });
        }
        return result;
    }

    /// <summary>The mean after k steps of full-batch gradient descent of the linearised network.</summary>
    public Matrix<double>[] PredictSteps(Matrix<double> kTest, IReadOnlyList<int> steps)
    {
        var kv = kTest * _v;
        var result = new Matrix<double>[steps.Count];
        double c = LearningRate / Normalization;
        for (int si = 0; si < steps.Count; si++)
        {
            int k = steps[si];
            result[si] = Apply(kv, lam =>
            {
                if (lam <= _tol) return k * c;
                // 1 − (1 − cλ)^k = −expm1(k·log1p(−cλ)) when cλ < 1; direct power otherwise.
                double q = c * lam;
                double num = q < 1 ? -Accurate.ExpM1(k * Accurate.Log1P(-q)) : 1 - Math.Pow(1 - q, k);
                return num / lam;
            });
        }
        return result;
    }

    /// <summary>The largest eigenvalue of the train kernel.</summary>
    public double MaxEigenvalue => _lambda.Maximum();

    private Matrix<double> Apply(Matrix<double> kv, Func<double, double> phi)
    {
        var scaled = _vty.Clone();
        for (int r = 0; r < scaled.RowCount; r++)
        {
            double f = phi(Math.Max(_lambda[r], 0.0));
            for (int c = 0; c < scaled.ColumnCount; c++) scaled[r, c] *= f;
        }
        return kv * scaled;
    }
}
