using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Kernels;
using NtkSharp.IO;
using NtkSharp.LinearAlgebra;
using NtkSharp.LinearAlgebra.Native;
using NtkSharp.Prediction.Iterative;

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
/// <para>Computation (<see cref="GradientDescentOptions.Solver"/>): either one symmetric eigendecomposition
/// Θ = VΛVᵀ, computed on first need and reused for every time and test set (t = ∞ alone uses a Cholesky solve,
/// falling back to the eigenbasis (pseudo-inverse) when Θ is not numerically positive definite), or one block
/// Lanczos process for all times (<see cref="PredictionSolver.Iterative"/>, products with Θ only, which may be a
/// memory-mapped file); t = 0 returns f₀ without either. Eigenvalues |λ| ≤ τ = ε_λ·λ_max
/// (<see cref="GradientDescentOptions.EigenvalueTolerance"/>, default N·2⁻⁵²) are set to 0, on which
/// (1 − e^{−ηλt/n})/λ takes its limit ηt/n (and 0 at t = ∞); λ &lt; −τ throws (indefinite kernel).</para>
/// </remarks>
public sealed class GradientDescentMse
{
    private readonly KernelSpectrum? _spectrum;
    private readonly IKernelOperator _operator;
    private readonly Matrix<double> _y;
    private readonly Lazy<Matrix<double>> _projectedY;
    private readonly double _mappedRegularization;

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
        _operator = new DenseKernelOperator(MatrixChecks.Dense(_spectrum.Kernel), _spectrum.Order);
        _y = yTrain.Clone();
        _projectedY = new Lazy<Matrix<double>>(() => DenseOps.Multiply(Eigen.EigenVectors, _y, transposeA: true));
    }

    /// <summary>Prepares the dynamics for a memory-mapped train NTK (see <see cref="MappedNpyMatrix"/>; float64 or
    /// float32 storage, float64 arithmetic), which is never loaded into memory: only the iterative route applies
    /// (<see cref="PredictionSolver.Auto"/> takes it). One blocked pass checks that the file is square, finite and
    /// symmetric. The mapping must stay open while this object is used.</summary>
    /// <exception cref="ArgumentException">Shapes differ, the kernel is not symmetric or not finite, or
    /// <paramref name="options"/> ask for the eigen solver.</exception>
    public GradientDescentMse(MappedNpyMatrix ntkTrainTrain, Matrix<double> yTrain, GradientDescentOptions? options = null)
    {
        Options = options ?? GradientDescentOptions.Default;
        Options.Validate();
        ArgumentNullException.ThrowIfNull(ntkTrainTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        if (Options.Solver == PredictionSolver.Eigen)
            throw new ArgumentException("The eigen solver needs the train kernel in memory; a memory-mapped kernel takes the iterative solver (Solver = Iterative or Auto).", nameof(options));
        MatrixChecks.Targets(yTrain, ntkTrainTrain.Rows, nameof(yTrain), nameof(ntkTrainTrain));
        double trace = MappedKernelOperator.CheckAndTrace(ntkTrainTrain, nameof(ntkTrainTrain), CancellationToken.None);
        int n = ntkTrainTrain.Rows;
        _mappedRegularization = Options.RegularizationIsAbsolute ? Options.DiagonalRegularization : Options.DiagonalRegularization * trace / n;
        _operator = new MappedKernelOperator(ntkTrainTrain, _mappedRegularization);
        _y = yTrain.Clone();
        _projectedY = new Lazy<Matrix<double>>(() => throw new InvalidOperationException("No eigendecomposition of a memory-mapped kernel."));
    }

    private GradientDescentMse(KernelSpectrum spectrum, Matrix<double> yTrain, GradientDescentOptions options)
    {
        Options = options;
        _spectrum = spectrum;
        _operator = new DenseKernelOperator(MatrixChecks.Dense(spectrum.Kernel), spectrum.Order);
        _y = yTrain;
        _projectedY = new Lazy<Matrix<double>>(() => DenseOps.Multiply(Eigen.EigenVectors, _y, transposeA: true));
    }

    /// <summary>Takes ownership of a C-order (row-major) N×N kernel as read from a .npy file, without a transposed
    /// copy: the file's lower triangle is mirrored in place (the same matrix the public constructor builds).</summary>
    internal static GradientDescentMse FromRowMajor(double[] rowMajorKernel, int n, Matrix<double> yTrain, GradientDescentOptions? options = null)
    {
        var o = options ?? GradientDescentOptions.Default;
        o.Validate();
        MatrixChecks.Targets(yTrain, n, nameof(yTrain), "ntkTrainTrain");
        return new GradientDescentMse(new KernelSpectrum(rowMajorKernel, n, true, "ntkTrainTrain", o), yTrain.Clone(), o);
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
    public double Regularization => _spectrum?.Regularization ?? _mappedRegularization;

    /// <summary>The regularised train kernel's eigendecomposition (computed on first access).</summary>
    /// <exception cref="InvalidOperationException">The kernel is memory-mapped.</exception>
    public SymmetricEigen Eigen => Spectrum.Eigen;

    /// <summary>The route <see cref="GradientDescentOptions.Solver"/> resolves to for this kernel (Auto resolved
    /// by N and whether the kernel is memory-mapped; a fallback from iterative to eigen is reported per call).</summary>
    public PredictionSolver Solver => _spectrum is null ? PredictionSolver.Iterative : Options.Solver switch
    {
        PredictionSolver.Eigen => PredictionSolver.Eigen,
        PredictionSolver.Iterative => PredictionSolver.Iterative,
        _ => TrainCount >= Options.AutoIterativeThreshold ? PredictionSolver.Iterative : PredictionSolver.Eigen,
    };

    private KernelSpectrum Spectrum => _spectrum ?? throw new InvalidOperationException("The train kernel is memory-mapped: it has no eigendecomposition (use the iterative solver).");

    /// <summary>The largest learning rate for which discrete gradient descent converges, 2n/λ_max of the
    /// regularised kernel (neural-tangents' <c>max_learning_rate</c> without momentum); +∞ for a zero kernel.
    /// λ_max is the top eigenvalue on the eigen route and the converged top Ritz value of a Lanczos process on the
    /// iterative route (no eigendecomposition).</summary>
    public double MaxLearningRate
    {
        get
        {
            double l = Solver == PredictionSolver.Eigen ? Spectrum.MaxEigenvalue : _largestRitz ??= BlockLanczos.LargestEigenvalue(_operator, CancellationToken.None);
            return l > 0 ? 2.0 * TimeNormalization / l : double.PositiveInfinity;
        }
    }

    private double? _largestRitz;

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

    /// <summary>The train outputs at each of <paramref name="times"/> (one eigendecomposition or one Krylov process
    /// for all).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or NaN.</exception>
    /// <exception cref="IterativeConvergenceException">The iterative route did not converge.</exception>
    public IReadOnlyList<Matrix<double>> TrainMeans(IReadOnlyList<double> times, Matrix<double>? initialTrain = null) =>
        Compute(Spectral.Times(times, nameof(times)), initialTrain, null, null, true, null, default).Train!;

    /// <summary>The test outputs f_t(x) (M×K) at time <paramref name="time"/>.</summary>
    /// <param name="time">Training time t ≥ 0; +∞ for the converged network (kernel regression).</param>
    /// <param name="ntkTestTrain">Θ(x, X), M×N.</param>
    /// <param name="initialTrain">f₀(X), N×K; zero when null.</param>
    /// <param name="initialTest">f₀(x), M×K; zero when null.</param>
    public Matrix<double> TestMean(double time, Matrix<double> ntkTestTrain, Matrix<double>? initialTrain = null,
        Matrix<double>? initialTest = null) => TestMeans([time], ntkTestTrain, initialTrain, initialTest)[0];

    /// <summary>The test outputs at each of <paramref name="times"/>: the coefficient blocks
    /// α_t = Θ⁻¹(I − e^{−ηΘt/n})(Y − f₀(X)) (N×K each) are formed for all times, then one M×N·N×(T·K) product
    /// (or, when T·K ≥ M on the eigen route, Θ(x, X)·V once).</summary>
    /// <exception cref="ArgumentException">Shapes differ or values are not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or NaN.</exception>
    /// <exception cref="IterativeConvergenceException">The iterative route did not converge.</exception>
    public IReadOnlyList<Matrix<double>> TestMeans(IReadOnlyList<double> times, Matrix<double> ntkTestTrain,
        Matrix<double>? initialTrain = null, Matrix<double>? initialTest = null) =>
        Compute(Spectral.Times(times, nameof(times)), initialTrain, ntkTestTrain, initialTest, false, null, default).Test!;

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
    public IReadOnlyList<Matrix<double>> TrainMeansAfterSteps(IReadOnlyList<int> steps, Matrix<double>? initialTrain = null) =>
        Compute(Spectral.Steps(steps, nameof(steps)), initialTrain, null, null, true, null, default).Train!;

    /// <summary>The test outputs after k full-batch steps of the linearised network:
    /// f_k(x) = f₀(x) + Θ(x, X) Θ⁻¹ (I − (I − ηΘ/n)^k)(Y − f₀(X)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or η exceeds <see cref="MaxLearningRate"/>.</exception>
    public IReadOnlyList<Matrix<double>> TestMeansAfterSteps(IReadOnlyList<int> steps, Matrix<double> ntkTestTrain,
        Matrix<double>? initialTrain = null, Matrix<double>? initialTest = null) =>
        Compute(Spectral.Steps(steps, nameof(steps)), initialTrain, ntkTestTrain, initialTest, false, null, default).Test!;

    /// <summary>Train and test means (f₀ = 0) at each of <paramref name="times"/> from one eigendecomposition or one
    /// Krylov process, with how they were computed.</summary>
    /// <param name="times">Times t ≥ 0 (+∞ allowed).</param>
    /// <param name="ntkTestTrain">Θ(x, X), M×N.</param>
    /// <param name="progress">Iterative progress (one report per block Lanczos iteration).</param>
    /// <param name="cancellationToken">Cancels between iterations (and between row panels of a mapped kernel).</param>
    /// <exception cref="IterativeConvergenceException">The iterative route did not converge.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public MeanPrediction PredictMeans(IReadOnlyList<double> times, Matrix<double> ntkTestTrain,
        IProgress<IterativeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (train, test, report) = Compute(Spectral.Times(times, nameof(times)), null, ntkTestTrain, null, true, progress, cancellationToken);
        return new MeanPrediction(train!, test!, report);
    }

    /// <summary>Train and test means (f₀ = 0) after each of <paramref name="steps"/> full-batch steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or η exceeds <see cref="MaxLearningRate"/>.</exception>
    /// <exception cref="IterativeConvergenceException">The iterative route did not converge.</exception>
    public MeanPrediction PredictMeansAfterSteps(IReadOnlyList<int> steps, Matrix<double> ntkTestTrain,
        IProgress<IterativeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (train, test, report) = Compute(Spectral.Steps(steps, nameof(steps)), null, ntkTestTrain, null, true, progress, cancellationToken);
        return new MeanPrediction(train!, test!, report);
    }

    /// <summary>For tests: use the eigenbasis even at t = ∞.</summary>
    internal bool ForceEigenRoute { get; set; }

    private double H => Options.LearningRate / TimeNormalization;

    private void CheckDiscreteRate(Schedule[] s, double lambdaMax)
    {
        if (!s.Any(x => x.Discrete && !x.IsZero)) return;
        double max = lambdaMax > 0 ? 2.0 * TimeNormalization / lambdaMax : double.PositiveInfinity;
        if (Options.LearningRate > max * (1 + 1e-12))
            throw new ArgumentOutOfRangeException(nameof(Options.LearningRate), Options.LearningRate,
                $"The learning rate exceeds the maximal stable rate 2n/λ_max = {max:G6}; discrete gradient descent diverges.");
    }

    private (Matrix<double>[]? Train, Matrix<double>[]? Test, IterativeReport Report) Compute(Schedule[] schedules,
        Matrix<double>? f0, Matrix<double>? ktd, Matrix<double>? f0Test, bool wantTrain,
        IProgress<IterativeProgress>? progress, CancellationToken cancellationToken)
    {
        if (f0 is not null)
        {
            MatrixChecks.Shape(f0, TrainCount, OutputCount, "initialTrain");
            MatrixChecks.Finite(f0, "initialTrain");
        }
        if (ktd is not null)
        {
            if (ktd.ColumnCount != TrainCount)
                throw new ArgumentException($"ntkTestTrain must have one column per train point ({TrainCount}); it is {ktd.RowCount}×{ktd.ColumnCount}.", "ntkTestTrain");
            MatrixChecks.Finite(ktd, "ntkTestTrain");
            if (f0Test is not null)
            {
                MatrixChecks.Shape(f0Test, ktd.RowCount, OutputCount, "initialTest");
                MatrixChecks.Finite(f0Test, "initialTest");
            }
        }
        else if (!wantTrain) throw new ArgumentNullException("ntkTestTrain");
        var residual = f0 is null ? _y : _y - f0;
        var route = Solver;
        if (route == PredictionSolver.Iterative && !schedules.All(x => x.IsZero))
        {
            bool mayFallBack = Options.Solver == PredictionSolver.Auto && _spectrum is not null;
            int limit = Options.KrylovLimit(TrainCount);
            if (mayFallBack) limit = Math.Min(limit, Math.Max(64, TrainCount / 8));
            try
            {
                return Iterative(schedules, residual, f0, ktd, f0Test, wantTrain, limit, progress, cancellationToken);
            }
            catch (IterativeConvergenceException) when (mayFallBack)
            {
                var r = EigenRoute(schedules, residual, f0, ktd, f0Test, wantTrain);
                return (r.Train, r.Test, r.Report with { FellBack = true });
            }
        }
        return EigenRoute(schedules, residual, f0, ktd, f0Test, wantTrain);
    }

    private unsafe (Matrix<double>[]? Train, Matrix<double>[]? Test, IterativeReport Report) Iterative(Schedule[] schedules,
        Matrix<double> residual, Matrix<double>? f0, Matrix<double>? ktd, Matrix<double>? f0Test, bool wantTrain, int limit,
        IProgress<IterativeProgress>? progress, CancellationToken cancellationToken)
    {
        int n = TrainCount, k = OutputCount, ns = schedules.Length;
        var r = LargeArrays.Copy(MatrixChecks.Dense(residual));
        double eps = Options.EigenvalueTolerance ?? n * Math.Pow(2, -52);
        var res = BlockLanczos.Solve(_operator, r, k, schedules, H, eps, Options.IterativeTolerance, limit,
            "ntkTrainTrain", progress, cancellationToken);
        CheckDiscreteRate(schedules, res.MaxRitz);
        var report = new IterativeReport(PredictionSolver.Iterative, res.Iterations, res.Dimension, res.Estimate, res.Exact);
        Matrix<double>[]? train = null, test = null;
        long block = (long)n * k;
        if (wantTrain)
        {
            var kAlpha = LargeArrays.Allocate(block * ns);
            fixed (double* pa = res.Alphas, pk = kAlpha) _operator.Multiply(pa, k * ns, pk, cancellationToken);
            train = new Matrix<double>[ns];
            for (int s = 0; s < ns; s++)
            {
                var m = Slice(kAlpha, s * block, n, k);
                train[s] = f0 is null ? m : f0 + m;
            }
        }
        if (ktd is not null)
        {
            var all = DenseOps.Multiply(ktd, new DenseMatrix(n, k * ns, res.Alphas));
            test = SplitColumns(all, ns, k, f0Test);
        }
        return (train, test, report);
    }

    private (Matrix<double>[]? Train, Matrix<double>[]? Test, IterativeReport Report) EigenRoute(Schedule[] schedules,
        Matrix<double> residual, Matrix<double>? f0, Matrix<double>? ktd, Matrix<double>? f0Test, bool wantTrain)
    {
        var spectrum = Spectrum;
        int n = TrainCount, k = OutputCount, ns = schedules.Length;
        // t = ∞ takes the Cholesky solve only when no finite time needs the eigenbasis anyway (one factorisation).
        bool anyFinite = schedules.Any(x => !x.IsZero && !x.IsInfinite);
        bool cholesky = !ForceEigenRoute && !anyFinite && schedules.Any(x => x.IsInfinite) && spectrum.Cholesky is not null;
        var eigenIdx = Enumerable.Range(0, ns).Where(i => !schedules[i].IsZero && !(cholesky && schedules[i].IsInfinite)).ToArray();
        if (eigenIdx.Length > 0) CheckDiscreteRate(schedules, spectrum.MaxEigenvalue);
        Matrix<double>? projected = null;
        if (eigenIdx.Length > 0)
            projected = f0 is null ? _projectedY.Value : DenseOps.Multiply(Eigen.EigenVectors, residual, transposeA: true);
        double h = H;
        Matrix<double>[]? train = null, test = null;
        if (wantTrain)
        {
            train = new Matrix<double>[ns];
            if (eigenIdx.Length > 0)
            {
                var z = StackScaled(schedules, eigenIdx, projected!, (s, l) => s.OneMinusDecay(l, h));
                var all = DenseOps.Multiply(Eigen.EigenVectors, z);
                for (int e = 0; e < eigenIdx.Length; e++)
                {
                    var m = Slice(MatrixChecks.Dense(all), (long)e * n * k, n, k);
                    train[eigenIdx[e]] = f0 is null ? m : f0 + m;
                }
            }
            for (int i = 0; i < ns; i++)
            {
                if (schedules[i].IsZero) train[i] = f0?.Clone() ?? Matrix<double>.Build.Dense(n, k);
                else if (cholesky && schedules[i].IsInfinite) train[i] = _y.Clone();
            }
        }
        if (ktd is not null)
        {
            int m = ktd.RowCount;
            test = new Matrix<double>[ns];
            if (eigenIdx.Length > 0)
            {
                var z = StackScaled(schedules, eigenIdx, projected!, (s, l) => s.Phi(l, h));
                // α-route: Θ(x,X)·(V·Z), 2N²TK + 2MNTK flops; V-route: (Θ(x,X)·V)·Z, 2MN² + 2MNTK.
                var all = (long)eigenIdx.Length * k < m
                    ? DenseOps.Multiply(ktd, DenseOps.Multiply(Eigen.EigenVectors, z))
                    : DenseOps.Multiply(DenseOps.Multiply(ktd, Eigen.EigenVectors), z);
                var parts = SplitColumns(all, eigenIdx.Length, k, f0Test);
                for (int e = 0; e < eigenIdx.Length; e++) test[eigenIdx[e]] = parts[e];
            }
            for (int i = 0; i < ns; i++)
            {
                if (schedules[i].IsZero) test[i] = f0Test?.Clone() ?? Matrix<double>.Build.Dense(m, k);
                else if (cholesky && schedules[i].IsInfinite)
                {
                    var delta = DenseOps.Multiply(ktd, spectrum.Cholesky!.Solve(residual));
                    test[i] = f0Test is null ? delta : f0Test + delta;
                }
            }
        }
        return (train, test, new IterativeReport(PredictionSolver.Eigen, 0, 0, 0, false));
    }

    /// <summary>[diag(f_{s₁}(λ))·P, diag(f_{s₂}(λ))·P, …] (N×(T·K)) over the clamped eigenvalues.</summary>
    private Matrix<double> StackScaled(Schedule[] schedules, int[] idx, Matrix<double> projected, Func<Schedule, double, double> f)
    {
        int n = TrainCount, k = OutputCount;
        var p = MatrixChecks.Dense(projected);
        var z = LargeArrays.Allocate((long)n * k * idx.Length);
        var lambdas = Spectrum.Clamped;
        for (int e = 0; e < idx.Length; e++)
        {
            var s = schedules[idx[e]];
            var scale = Spectral.Map(lambdas, l => f(s, l));
            long o = (long)e * n * k;
            for (int c = 0; c < k; c++)
            {
                for (int i = 0; i < n; i++) z[o + i + (long)c * n] = scale[i] * p[i + (long)c * n];
            }
        }
        return new DenseMatrix(n, k * idx.Length, z);
    }

    private static Matrix<double> Slice(double[] data, long offset, int rows, int cols)
    {
        var a = new double[(long)rows * cols];
        Array.Copy(data, offset, a, 0, a.LongLength);
        return new DenseMatrix(rows, cols, a);
    }

    private static Matrix<double>[] SplitColumns(Matrix<double> all, int parts, int k, Matrix<double>? add)
    {
        int m = all.RowCount;
        var d = MatrixChecks.Dense(all);
        var r = new Matrix<double>[parts];
        for (int e = 0; e < parts; e++)
        {
            var part = Slice(d, (long)e * m * k, m, k);
            r[e] = add is null ? part : add + part;
        }
        return r;
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
