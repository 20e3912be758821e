using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Prediction;

/// <summary>
/// The outputs of a linearised (equivalently, infinitely wide) network trained by full-batch gradient descent on
/// the mean squared error, in closed form at any time (neural-tangents' <c>predict.gradient_descent_mse</c>).
/// </summary>
/// <remarks>
/// <para>With train kernel Θ = Θ(X, X) (plus the diagonal regulariser), targets Y (N×K), initial outputs f₀ on the
/// train and test points, the loss L = ‖f(X) − Y‖²/(2n) and learning rate η, gradient flow
/// df/dt = −(η/n)·Θ·(f − Y) gives (Lee et al. 2019, "Wide neural networks of any depth evolve as linear models under
/// gradient descent", arXiv:1902.06720, eqs. 8–11):</para>
/// <para>  f_t(X) = Y + e^{−ηΘt/n}(f₀(X) − Y),</para>
/// <para>  f_t(x) = f₀(x) + Θ(x, X) Θ⁻¹ (I − e^{−ηΘt/n}) (Y − f₀(X)),</para>
/// <para>and k discrete steps f ← f − (η/n)Θ(f − Y) give the same with e^{−ηΘt/n} replaced by (I − ηΘ/n)^k.</para>
/// <para>Time normalisation: <b>n = Y.size = N·K</b>, the total number of train outputs, exactly as neural-tangents
/// (its <c>y_train.size</c>); only η·t matters. The K output columns share the N×N kernel (neural-tangents'
/// default <c>trace_axes=(-1,)</c>).</para>
/// <para>Computation: one symmetric eigendecomposition Θ = VΛVᵀ, computed on first need and reused for every time
/// and test set; t = 0 returns f₀ without it; t = ∞ uses a Cholesky solve and falls back to the eigenbasis
/// (pseudo-inverse) when Θ is not numerically positive definite. Eigenvalues |λ| ≤ τ = ε_λ·λ_max
/// (<see cref="GradientDescentOptions.EigenvalueTolerance"/>, default N·2⁻⁵²) are set to 0, on which
/// (1 − e^{−ηλt/n})/λ takes its limit ηt/n (and 0 at t = ∞); λ &lt; −τ throws (indefinite kernel).</para>
/// </remarks>
public sealed class GradientDescentMse
{
    private readonly KernelSpectrum _spectrum;
    private readonly Matrix<double> _y;
    private readonly Lazy<Matrix<double>> _projectedY;

    /// <summary>Prepares the dynamics for the train NTK <paramref name="ntkTrainTrain"/> (N×N) and targets
    /// <paramref name="yTrain"/> (N×K).</summary>
    /// <exception cref="ArgumentException">Shapes differ, the kernel is not symmetric, or a value is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public GradientDescentMse(Matrix<double> ntkTrainTrain, Matrix<double> yTrain, GradientDescentOptions? options = null)
    {
        Options = options ?? GradientDescentOptions.Default;
        Options.Validate();
        ArgumentNullException.ThrowIfNull(ntkTrainTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        MatrixChecks.Square(ntkTrainTrain, nameof(ntkTrainTrain));
        MatrixChecks.Targets(yTrain, ntkTrainTrain.RowCount, nameof(yTrain), nameof(ntkTrainTrain));
        _spectrum = new KernelSpectrum(ntkTrainTrain, nameof(ntkTrainTrain), Options);
        _y = yTrain.Clone();
        _projectedY = new Lazy<Matrix<double>>(() => DenseOps.Multiply(_spectrum.Eigen.EigenVectors, _y, transposeA: true));
    }

    /// <summary>Prepares the dynamics for a vector of targets (K = 1).</summary>
    public GradientDescentMse(Matrix<double> ntkTrainTrain, Vector<double> yTrain, GradientDescentOptions? options = null)
        : this(ntkTrainTrain, (yTrain ?? throw new ArgumentNullException(nameof(yTrain))).ToColumnMatrix(), options)
    {
    }

    /// <summary>Prepares the dynamics from the train-train kernels of <see cref="KernelFunction.Compute(Tensor, Tensor?, KernelOutputs, KernelOptions?, IProgress{KernelProgress}?, CancellationToken)"/>
    /// (x2 not given), using its NTK.</summary>
    public GradientDescentMse(KernelResult trainTrain, Matrix<double> yTrain, GradientDescentOptions? options = null)
        : this(TrainKernel(trainTrain, KernelOutputs.Ntk), yTrain, options)
    {
    }

    /// <summary>The options in use.</summary>
    public GradientDescentOptions Options { get; }

    /// <summary>N, the number of train points.</summary>
    public int TrainCount => _y.RowCount;

    /// <summary>K, the number of outputs.</summary>
    public int OutputCount => _y.ColumnCount;

    /// <summary>n = N·K, the time normalisation (neural-tangents' <c>y_train.size</c>).</summary>
    public int TimeNormalization => _y.RowCount * _y.ColumnCount;

    /// <summary>The absolute amount added to the kernel diagonal.</summary>
    public double Regularization => _spectrum.Regularization;

    /// <summary>The regularised train kernel's eigendecomposition (computed on first access).</summary>
    public SymmetricEigen Eigen => _spectrum.Eigen;

    /// <summary>The largest learning rate for which discrete gradient descent converges, 2n/λ_max of the
    /// regularised kernel (neural-tangents' <c>max_learning_rate</c> without momentum); +∞ for a zero kernel.</summary>
    public double MaxLearningRate
    {
        get
        {
            double l = _spectrum.MaxEigenvalue;
            return l > 0 ? 2.0 * TimeNormalization / l : double.PositiveInfinity;
        }
    }

    /// <summary>2·<paramref name="yTrainSize"/>/λ_max(<paramref name="ntkTrainTrain"/>).</summary>
    public static double MaxLearningRateOf(Matrix<double> ntkTrainTrain, int yTrainSize)
    {
        if (yTrainSize <= 0) throw new ArgumentOutOfRangeException(nameof(yTrainSize), yTrainSize, "Must be positive.");
        double l = SymmetricEigen.Compute(ntkTrainTrain).EigenValues.Maximum();
        return l > 0 ? 2.0 * yTrainSize / l : double.PositiveInfinity;
    }

    /// <summary>The train outputs f_t(X) (N×K) at time <paramref name="time"/> ∈ [0, ∞].</summary>
    /// <param name="time">Training time t ≥ 0; +∞ for the converged network.</param>
    /// <param name="initialTrain">f₀(X), N×K; zero when null (the infinite ensemble's mean).</param>
    public Matrix<double> TrainMean(double time, Matrix<double>? initialTrain = null) => TrainMeans([time], initialTrain)[0];

    /// <summary>The train outputs at each of <paramref name="times"/> (one eigendecomposition for all).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or NaN.</exception>
    public IReadOnlyList<Matrix<double>> TrainMeans(IReadOnlyList<double> times, Matrix<double>? initialTrain = null) =>
        Train(Spectral.Times(times, nameof(times)), initialTrain);

    /// <summary>The test outputs f_t(x) (M×K) at time <paramref name="time"/>.</summary>
    /// <param name="time">Training time t ≥ 0; +∞ for the converged network (kernel regression).</param>
    /// <param name="ntkTestTrain">Θ(x, X), M×N.</param>
    /// <param name="initialTrain">f₀(X), N×K; zero when null.</param>
    /// <param name="initialTest">f₀(x), M×K; zero when null.</param>
    public Matrix<double> TestMean(double time, Matrix<double> ntkTestTrain, Matrix<double>? initialTrain = null,
        Matrix<double>? initialTest = null) => TestMeans([time], ntkTestTrain, initialTrain, initialTest)[0];

    /// <summary>The test outputs at each of <paramref name="times"/> (the M×N·N×N product Θ(x, X)·V is formed
    /// once for all times).</summary>
    /// <exception cref="ArgumentException">Shapes differ or values are not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or NaN.</exception>
    public IReadOnlyList<Matrix<double>> TestMeans(IReadOnlyList<double> times, Matrix<double> ntkTestTrain,
        Matrix<double>? initialTrain = null, Matrix<double>? initialTest = null) =>
        Test(Spectral.Times(times, nameof(times)), ntkTestTrain, initialTrain, initialTest);

    /// <summary>The test outputs for the NTK of a <see cref="KernelResult"/> computed as kernel(xTest, xTrain).</summary>
    public IReadOnlyList<Matrix<double>> TestMeans(IReadOnlyList<double> times, KernelResult testTrain,
        Matrix<double>? initialTrain = null, Matrix<double>? initialTest = null)
    {
        ArgumentNullException.ThrowIfNull(testTrain);
        return TestMeans(times, testTrain.Get(KernelOutputs.Ntk), initialTrain, initialTest);
    }

    /// <summary>The train outputs after k full-batch steps f ← f − (η/n)Θ(f − Y), for each k in
    /// <paramref name="steps"/>: f_k(X) = Y + (I − ηΘ/n)^k (f₀(X) − Y).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or η exceeds <see cref="MaxLearningRate"/>
    /// (the iteration diverges).</exception>
    public IReadOnlyList<Matrix<double>> TrainMeansAfterSteps(IReadOnlyList<int> steps, Matrix<double>? initialTrain = null)
    {
        var s = Spectral.Steps(steps, nameof(steps));
        CheckDiscreteRate(s);
        return Train(s, initialTrain);
    }

    /// <summary>The test outputs after k full-batch steps of the linearised network:
    /// f_k(x) = f₀(x) + Θ(x, X) Θ⁻¹ (I − (I − ηΘ/n)^k)(Y − f₀(X)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or η exceeds <see cref="MaxLearningRate"/>.</exception>
    public IReadOnlyList<Matrix<double>> TestMeansAfterSteps(IReadOnlyList<int> steps, Matrix<double> ntkTestTrain,
        Matrix<double>? initialTrain = null, Matrix<double>? initialTest = null)
    {
        var s = Spectral.Steps(steps, nameof(steps));
        CheckDiscreteRate(s);
        return Test(s, ntkTestTrain, initialTrain, initialTest);
    }

    /// <summary>For tests: use the eigenbasis even at t = ∞.</summary>
    internal bool ForceEigenRoute { get; set; }

    private void CheckDiscreteRate(Schedule[] s)
    {
        if (s.All(x => x.IsZero)) return;
        double max = MaxLearningRate;
        if (Options.LearningRate > max * (1 + 1e-12))
            throw new ArgumentOutOfRangeException(nameof(Options.LearningRate), Options.LearningRate,
                $"The learning rate exceeds the maximal stable rate 2n/λ_max = {max:G6}; discrete gradient descent diverges.");
    }

    private double H => Options.LearningRate / TimeNormalization;

    private bool UseCholesky(Schedule s) => s.IsInfinite && !ForceEigenRoute && _spectrum.Cholesky is not null;

    private IReadOnlyList<Matrix<double>> Train(Schedule[] schedules, Matrix<double>? f0)
    {
        if (f0 is not null)
        {
            MatrixChecks.Shape(f0, TrainCount, OutputCount, "initialTrain");
            MatrixChecks.Finite(f0, "initialTrain");
        }
        var results = new Matrix<double>[schedules.Length];
        Matrix<double>? projected = null;
        for (int i = 0; i < schedules.Length; i++)
        {
            var s = schedules[i];
            if (s.IsZero) results[i] = f0?.Clone() ?? Matrix<double>.Build.Dense(TrainCount, OutputCount);
            else if (UseCholesky(s)) results[i] = _y.Clone();
            else
            {
                projected ??= f0 is null ? _projectedY.Value : DenseOps.Multiply(Eigen.EigenVectors, _y - f0, transposeA: true);
                double h = H;
                var scaled = Spectral.ScaleRows(Spectral.Map(_spectrum.Clamped, l => s.OneMinusDecay(l, h)), projected);
                var delta = DenseOps.Multiply(Eigen.EigenVectors, scaled);
                results[i] = f0 is null ? delta : f0 + delta;
            }
        }
        return results;
    }

    private IReadOnlyList<Matrix<double>> Test(Schedule[] schedules, Matrix<double> ktd, Matrix<double>? f0, Matrix<double>? f0Test)
    {
        ArgumentNullException.ThrowIfNull(ktd, "ntkTestTrain");
        if (ktd.ColumnCount != TrainCount)
            throw new ArgumentException($"ntkTestTrain must have one column per train point ({TrainCount}); it is {ktd.RowCount}×{ktd.ColumnCount}.", "ntkTestTrain");
        MatrixChecks.Finite(ktd, "ntkTestTrain");
        int m = ktd.RowCount;
        if (f0 is not null)
        {
            MatrixChecks.Shape(f0, TrainCount, OutputCount, "initialTrain");
            MatrixChecks.Finite(f0, "initialTrain");
        }
        if (f0Test is not null)
        {
            MatrixChecks.Shape(f0Test, m, OutputCount, "initialTest");
            MatrixChecks.Finite(f0Test, "initialTest");
        }
        var residual = f0 is null ? _y : _y - f0;
        var results = new Matrix<double>[schedules.Length];
        Matrix<double>? projected = null, ktdV = null;
        for (int i = 0; i < schedules.Length; i++)
        {
            var s = schedules[i];
            Matrix<double> delta;
            if (s.IsZero) delta = Matrix<double>.Build.Dense(m, OutputCount);
            else if (UseCholesky(s)) delta = DenseOps.Multiply(ktd, _spectrum.Cholesky!.Solve(residual));
            else
            {
                projected ??= f0 is null ? _projectedY.Value : DenseOps.Multiply(Eigen.EigenVectors, residual, transposeA: true);
                ktdV ??= DenseOps.Multiply(ktd, Eigen.EigenVectors);
                double h = H;
                var scaled = Spectral.ScaleRows(Spectral.Map(_spectrum.Clamped, l => s.Phi(l, h)), projected);
                delta = DenseOps.Multiply(ktdV, scaled);
            }
            results[i] = f0Test is null ? delta : f0Test + delta;
        }
        return results;
    }

    /// <summary>The <paramref name="which"/> matrix of a train-train kernel result (computed with x2 = null).</summary>
    internal static Matrix<double> TrainKernel(KernelResult trainTrain, KernelOutputs which)
    {
        ArgumentNullException.ThrowIfNull(trainTrain);
        if (!trainTrain.IsSymmetric)
            throw new ArgumentException("trainTrain must be the train-train kernel (computed with x2 = null).", nameof(trainTrain));
        return trainTrain.Get(which);
    }
}
