using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Prediction;

/// <summary>
/// The Gaussian output distribution on test points of an infinite ensemble of infinitely wide networks trained by
/// gradient descent on the MSE, at any time (neural-tangents' <c>predict.gradient_descent_mse_ensemble</c>), and the
/// NNGP posterior (exact Bayesian inference, <c>predict.gp_inference</c>).
/// </summary>
/// <remarks>
/// <para>Let 𝒦 be the kernel that drives training (K for <see cref="EnsembleKernel.Nngp"/>, where only the readout
/// is trained; Θ for <see cref="EnsembleKernel.Ntk"/>), regularised as in <see cref="GradientDescentOptions"/>, and
/// Φ_t = 𝒦⁻¹(I − e^{−η𝒦t/n}) with n = Y.size = N·K (as neural-tangents). With the ensemble's outputs at
/// initialisation distributed as N(0, K) (Lee et al. 2019, arXiv:1902.06720, eqs. 14–16):</para>
/// <para>  mean μ_t(x) = 𝒦(x, X) Φ_t Y;</para>
/// <para>  NNGP: Σ_t = K(x, x) − K(x, X) K⁻¹(I − e^{−2ηKt/n}) K(X, x);</para>
/// <para>  NTK: Σ_t = K(x, x) + Θ(x, X) Φ_t K(X, X) Φ_t Θ(X, x) − (Θ(x, X) Φ_t K(X, x) + transpose),</para>
/// <para>where K(X, X) in the last formula is the unregularised NNGP train kernel, as in neural-tangents. The
/// covariance is over test points and shared by the K independent outputs. t = ∞ uses Cholesky solves (eigenbasis
/// fallback when the kernel is singular); the discrete-time forms replace e^{−η𝒦t/n} by (I − η𝒦/n)^k. The same
/// eigenvalue clamping as <see cref="GradientDescentMse"/> applies. Covariances are symmetrised.</para>
/// </remarks>
public sealed class GradientDescentMseEnsemble
{
    private readonly KernelSpectrum _nngp;
    private readonly KernelSpectrum? _ntk;
    private readonly Matrix<double> _nngpTrain;
    private readonly Matrix<double> _y;

    /// <summary>Prepares the ensemble for the train NNGP kernel, the train NTK (null for NNGP dynamics only) and
    /// targets Y (N×K).</summary>
    /// <exception cref="ArgumentException">Shapes differ, a kernel is not symmetric, or a value is not finite.</exception>
    public GradientDescentMseEnsemble(Matrix<double> nngpTrainTrain, Matrix<double>? ntkTrainTrain, Matrix<double> yTrain,
        GradientDescentOptions? options = null)
    {
        Options = options ?? GradientDescentOptions.Default;
        Options.Validate();
        ArgumentNullException.ThrowIfNull(nngpTrainTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        MatrixChecks.Square(nngpTrainTrain, nameof(nngpTrainTrain));
        MatrixChecks.Targets(yTrain, nngpTrainTrain.RowCount, nameof(yTrain), nameof(nngpTrainTrain));
        _nngp = new KernelSpectrum(nngpTrainTrain, nameof(nngpTrainTrain), Options);
        _nngpTrain = _nngp.Kernel - Matrix<double>.Build.DenseIdentity(nngpTrainTrain.RowCount) * _nngp.Regularization;
        if (ntkTrainTrain is not null)
        {
            MatrixChecks.Shape(ntkTrainTrain, nngpTrainTrain.RowCount, nngpTrainTrain.RowCount, nameof(ntkTrainTrain));
            _ntk = new KernelSpectrum(ntkTrainTrain, nameof(ntkTrainTrain), Options);
        }
        _y = yTrain.Clone();
    }

    /// <summary>Prepares the ensemble from train-train kernels (x2 not given); the NTK is used when present.</summary>
    public GradientDescentMseEnsemble(KernelResult trainTrain, Matrix<double> yTrain, GradientDescentOptions? options = null)
        : this(GradientDescentMse.TrainKernel(trainTrain, KernelOutputs.Nngp), trainTrain.HasNtk ? trainTrain.Ntk : null, yTrain, options)
    {
    }

    /// <summary>The options in use.</summary>
    public GradientDescentOptions Options { get; }

    /// <summary>N.</summary>
    public int TrainCount => _y.RowCount;

    /// <summary>K.</summary>
    public int OutputCount => _y.ColumnCount;

    /// <summary>n = N·K, the time normalisation.</summary>
    public int TimeNormalization => _y.RowCount * _y.ColumnCount;

    /// <summary>2n/λ_max of the (regularised) kernel driving <paramref name="kernel"/> dynamics.</summary>
    public double MaxLearningRate(EnsembleKernel kernel)
    {
        double l = Spectrum(kernel).MaxEigenvalue;
        return l > 0 ? 2.0 * TimeNormalization / l : double.PositiveInfinity;
    }

    /// <summary>The ensemble's mean (and covariance when <paramref name="nngpTestTest"/> is given) at time
    /// <paramref name="time"/> ∈ [0, ∞].</summary>
    public GaussianPrediction Predict(EnsembleKernel kernel, double time, Matrix<double> nngpTestTrain,
        Matrix<double>? ntkTestTrain = null, Matrix<double>? nngpTestTest = null) =>
        Predict(kernel, [time], nngpTestTrain, ntkTestTrain, nngpTestTest)[0];

    /// <summary>The ensemble's mean and covariance at each of <paramref name="times"/>.</summary>
    /// <param name="kernel">NNGP (readout-only) or NTK (all layers) training.</param>
    /// <param name="times">Times t ≥ 0, +∞ allowed.</param>
    /// <param name="nngpTestTrain">K(x, X), M×N.</param>
    /// <param name="ntkTestTrain">Θ(x, X), M×N; required for <see cref="EnsembleKernel.Ntk"/>.</param>
    /// <param name="nngpTestTest">K(x, x), M×M; the covariance is computed only when given.</param>
    /// <param name="cancellationToken">Checked between times.</param>
    /// <exception cref="ArgumentException">Shapes differ, a kernel is missing or not symmetric, a value is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or NaN.</exception>
    public IReadOnlyList<GaussianPrediction> Predict(EnsembleKernel kernel, IReadOnlyList<double> times,
        Matrix<double> nngpTestTrain, Matrix<double>? ntkTestTrain = null, Matrix<double>? nngpTestTest = null,
        CancellationToken cancellationToken = default) =>
        Run(kernel, Spectral.Times(times, nameof(times)), nngpTestTrain, ntkTestTrain, nngpTestTest, cancellationToken);

    /// <summary>As <see cref="Predict(EnsembleKernel, IReadOnlyList{double}, Matrix{double}, Matrix{double}?, Matrix{double}?, CancellationToken)"/>
    /// with kernels computed as kernel(xTest, xTrain) and kernel(xTest) (null: mean only).</summary>
    public IReadOnlyList<GaussianPrediction> Predict(EnsembleKernel kernel, IReadOnlyList<double> times,
        KernelResult testTrain, KernelResult? testTest = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(testTrain);
        if (testTest is not null && !testTest.IsSymmetric)
            throw new ArgumentException("testTest must be the test-test kernel (computed with x2 = null).", nameof(testTest));
        return Predict(kernel, times, testTrain.Get(KernelOutputs.Nngp), kernel == EnsembleKernel.Ntk ? testTrain.Get(KernelOutputs.Ntk) : null,
            testTest?.Get(KernelOutputs.Nngp), cancellationToken);
    }

    /// <summary>The distribution after k discrete full-batch steps, for each k in <paramref name="steps"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or η exceeds <see cref="MaxLearningRate"/>.</exception>
    public IReadOnlyList<GaussianPrediction> PredictAfterSteps(EnsembleKernel kernel, IReadOnlyList<int> steps,
        Matrix<double> nngpTestTrain, Matrix<double>? ntkTestTrain = null, Matrix<double>? nngpTestTest = null,
        CancellationToken cancellationToken = default)
    {
        var s = Spectral.Steps(steps, nameof(steps));
        if (s.Any(x => !x.IsZero) && Options.LearningRate > MaxLearningRate(kernel) * (1 + 1e-12))
            throw new ArgumentOutOfRangeException(nameof(Options.LearningRate), Options.LearningRate,
                $"The learning rate exceeds the maximal stable rate 2n/λ_max = {MaxLearningRate(kernel):G6}; discrete gradient descent diverges.");
        return Run(kernel, s, nngpTestTrain, ntkTestTrain, nngpTestTest, cancellationToken);
    }

    /// <summary>The NNGP posterior (exact Bayesian inference with the NNGP prior and noise variance equal to the
    /// diagonal regulariser): mean K(x, X)K⁻¹Y and covariance K(x, x) − K(x, X)K⁻¹K(X, x); equal to the NNGP
    /// ensemble at t = ∞.</summary>
    public GaussianPrediction NngpPosterior(Matrix<double> nngpTestTrain, Matrix<double>? nngpTestTest = null) =>
        Predict(EnsembleKernel.Nngp, double.PositiveInfinity, nngpTestTrain, null, nngpTestTest);

    /// <summary>For tests: use the eigenbasis even at t = ∞.</summary>
    internal bool ForceEigenRoute { get; set; }

    private KernelSpectrum Spectrum(EnsembleKernel kernel) => kernel switch
    {
        EnsembleKernel.Nngp => _nngp,
        EnsembleKernel.Ntk => _ntk ?? throw new InvalidOperationException("This ensemble was created without a train NTK; NTK dynamics need one."),
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Unknown ensemble kernel."),
    };

    private IReadOnlyList<GaussianPrediction> Run(EnsembleKernel kernel, Schedule[] schedules, Matrix<double> kTd,
        Matrix<double>? thetaTd, Matrix<double>? kTt, CancellationToken ct)
    {
        var spec = Spectrum(kernel);
        ArgumentNullException.ThrowIfNull(kTd, "nngpTestTrain");
        int m = kTd.RowCount;
        MatrixChecks.Shape(kTd, m, TrainCount, "nngpTestTrain");
        MatrixChecks.Finite(kTd, "nngpTestTrain");
        if (kernel == EnsembleKernel.Ntk)
        {
            if (thetaTd is null) throw new ArgumentException("NTK dynamics need the test-train NTK.", "ntkTestTrain");
            MatrixChecks.Shape(thetaTd, m, TrainCount, "ntkTestTrain");
            MatrixChecks.Finite(thetaTd, "ntkTestTrain");
        }
        if (kTt is not null)
        {
            MatrixChecks.Shape(kTt, m, m, "nngpTestTest");
            MatrixChecks.Symmetric(kTt, "nngpTestTest");
        }
        var dyn = kernel == EnsembleKernel.Ntk ? thetaTd! : kTd;
        double h = Options.LearningRate / TimeNormalization;
        var results = new GaussianPrediction[schedules.Length];
        Matrix<double>? p = null, c = null, w = null, z = null;
        for (int i = 0; i < schedules.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            var s = schedules[i];
            Matrix<double> mean;
            Matrix<double>? cov = null;
            if (s.IsZero)
            {
                mean = Matrix<double>.Build.Dense(m, OutputCount);
                cov = kTt?.Clone();
            }
            else if (s.IsInfinite && !ForceEigenRoute && spec.Cholesky is { } chol)
            {
                var t1 = chol.Solve(dyn.Transpose());
                mean = DenseOps.Multiply(t1, _y, transposeA: true);
                if (kTt is not null)
                {
                    if (kernel == EnsembleKernel.Nngp) cov = kTt - DenseOps.Multiply(kTd, t1);
                    else
                    {
                        var cross = DenseOps.Multiply(t1, kTd, transposeA: true, transposeB: true);
                        cov = kTt + DenseOps.Multiply(t1, DenseOps.Multiply(_nngpTrain, t1), transposeA: true) - cross - cross.Transpose();
                    }
                }
            }
            else
            {
                var v = spec.Eigen.EigenVectors;
                p ??= DenseOps.Multiply(dyn, v);
                c ??= DenseOps.Multiply(v, _y, transposeA: true);
                var phi = Spectral.Map(spec.Clamped, l => s.Phi(l, h));
                var a = Spectral.ScaleColumns(p, phi);
                mean = DenseOps.Multiply(a, c);
                if (kTt is not null)
                {
                    if (kernel == EnsembleKernel.Nngp)
                    {
                        var q = Spectral.ScaleColumns(p, Spectral.Map(spec.Clamped, l => Math.Sqrt(s.Phi(l, h, 2))));
                        cov = kTt - DenseOps.Multiply(q, q, transposeB: true);
                    }
                    else
                    {
                        w ??= DenseOps.Multiply(v, DenseOps.Multiply(_nngpTrain, v), transposeA: true);
                        z ??= DenseOps.Multiply(v, kTd, transposeA: true, transposeB: true);
                        var cross = DenseOps.Multiply(a, z);
                        cov = kTt + DenseOps.Multiply(DenseOps.Multiply(a, w), a, transposeB: true) - cross - cross.Transpose();
                    }
                }
            }
            results[i] = new GaussianPrediction(s.Time, mean, cov is null ? null : Spectral.Symmetrize(cov));
        }
        return results;
    }
}
