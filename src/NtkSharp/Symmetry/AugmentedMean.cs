using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Prediction;

namespace NtkSharp.Symmetry;

/// <summary>
/// The infinite-width mean of a deep ensemble trained by full-batch gradient descent on the MSE loss, optionally on
/// group-augmented data: μ_t(x) = Θ(x, X) Θ(X, X)⁻¹ (I − e^{−ηΘ(X, X)t/n}) Y with n = Y.size of the regression's own
/// targets (neural-tangents' normalisation), and the discrete-time mean after k steps.
/// </summary>
/// <remarks>
/// <para>With <see cref="AugmentationMode.Explicit"/> X, Y are the |G|·N augmented pairs and n = |G|·N·K; with
/// <see cref="AugmentationMode.GroupAveraged"/> the kernel is Θᴳ on the N original pairs and n = N·K. Both give the
/// same μ_t for the same η and t (proof on <see cref="GroupAveragedKernel"/>). Gerken &amp; Kessel (ICML 2024) prove that
/// this mean is exactly G-equivariant, μ_t(ρ_X(g)x) = ρ_Y(g)μ_t(x), for all t and all x, on and off the data, when
/// the kernel is G-symmetric.</para>
/// <para>The closed form is evaluated by <see cref="GradientDescentMse"/> (one eigendecomposition per fit, reused for
/// every t; Cholesky at t = ∞).</para>
/// </remarks>
public sealed class AugmentedMean
{
    private readonly KernelFunction _kernel;
    private readonly Tensor _xReg;
    private readonly GradientDescentMse _solver;
    private readonly KernelOptions? _kernelOptions;
    private readonly int _outputs;

    private AugmentedMean(KernelFunction kernel, Tensor xReg, GradientDescentMse solver, SymmetryGroup? group, AugmentationMode mode,
        KernelOutputs which, KernelOptions? kernelOptions, int outputs, int regressionSize)
    {
        _kernel = kernel;
        _xReg = xReg;
        _solver = solver;
        Group = group;
        Mode = mode;
        Kernel = which;
        _kernelOptions = kernelOptions;
        _outputs = outputs;
        RegressionSize = regressionSize;
    }

    /// <summary>The group (null without augmentation).</summary>
    public SymmetryGroup? Group { get; }

    /// <summary>How the data was symmetrised.</summary>
    public AugmentationMode Mode { get; }

    /// <summary>The kernel that drives the dynamics (NTK: gradient descent on all layers; NNGP: on the readout only).</summary>
    public KernelOutputs Kernel { get; }

    /// <summary>The number of scalar unknowns of the regression: N·K, |G|·N·K (explicit) or N·K (group-averaged).</summary>
    public int RegressionSize { get; }

    /// <summary>The time normalisation n = Y.size of the regression's targets.</summary>
    public double Normalization => _solver.TimeNormalization;

    /// <summary>The learning rate η.</summary>
    public double LearningRate => _solver.Options.LearningRate;

    /// <summary>The largest stable learning rate 2n/λ_max of discrete gradient descent.</summary>
    public double MaxLearningRate => _solver.MaxLearningRate;

    /// <summary>The underlying closed-form predictor on the regression's own points.</summary>
    public GradientDescentMse Predictor => _solver;

    /// <summary>Fits the mean on the data, augmented over the whole <paramref name="group"/> as <paramref name="mode"/> says.</summary>
    /// <param name="kernel">The architecture's kernel function.</param>
    /// <param name="xTrain">Training inputs (N examples).</param>
    /// <param name="yTrain">Targets (N×K).</param>
    /// <param name="group">The group (may be null only with <see cref="AugmentationMode.None"/>).</param>
    /// <param name="mode">None, explicit augmentation or the group-averaged kernel.</param>
    /// <param name="options">Learning rate η, diagonal regularisation and eigenvalue tolerance of the predictor.</param>
    /// <param name="which">Ntk (default) or Nngp.</param>
    /// <param name="kernelOptions">Kernel options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ArgumentException">Mismatched shapes, non-finite values, a non-G-symmetric kernel for the
    /// group-averaged route, or a missing group.</exception>
    public static AugmentedMean Fit(KernelFunction kernel, Tensor xTrain, Matrix<double> yTrain, SymmetryGroup? group,
        AugmentationMode mode, GradientDescentOptions? options = null, KernelOutputs which = KernelOutputs.Ntk, KernelOptions? kernelOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        CheckCommon(xTrain, yTrain, which);
        if (mode != AugmentationMode.None && group is null) throw new ArgumentNullException(nameof(group), $"Augmentation mode {mode} needs a group.");
        switch (mode)
        {
            case AugmentationMode.None:
                return Plain(kernel, xTrain, yTrain, group, AugmentationMode.None, options, which, kernelOptions, cancellationToken);
            case AugmentationMode.Explicit:
                var aug = Augmentation.Augment(xTrain, yTrain, group!);
                return Plain(kernel, aug.X, aug.Y, group, AugmentationMode.Explicit, options, which, kernelOptions, cancellationToken);
            case AugmentationMode.GroupAveraged:
                group!.CheckOutputs(yTrain.ColumnCount, nameof(yTrain));
                var kg = GroupAveragedKernel.Compute(kernel, group, xTrain, null, which, kernelOptions, cancellationToken);
                var y = group.IsInvariant ? yTrain : Vec(yTrain);
                var solver = new GradientDescentMse(kg, y, options);
                return new AugmentedMean(kernel, xTrain, solver, group, mode, which, kernelOptions, yTrain.ColumnCount, yTrain.RowCount * yTrain.ColumnCount);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown augmentation mode.");
        }
    }

    /// <summary>Fits the mean on the data augmented by the listed elements only (a subgroup, or a subset that is not a
    /// subgroup as a control), by explicit augmentation.</summary>
    /// <exception cref="ArgumentException">Mismatched shapes or an element out of range.</exception>
    public static AugmentedMean FitOnElements(KernelFunction kernel, Tensor xTrain, Matrix<double> yTrain, SymmetryGroup group,
        IReadOnlyList<int> elements, GradientDescentOptions? options = null, KernelOutputs which = KernelOutputs.Ntk, KernelOptions? kernelOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        CheckCommon(xTrain, yTrain, which);
        var aug = Augmentation.Augment(xTrain, yTrain, group, elements);
        return Plain(kernel, aug.X, aug.Y, group, AugmentationMode.Explicit, options, which, kernelOptions, cancellationToken);
    }

    /// <summary>μ_t on <paramref name="xTest"/> (M×K each) for every time (t ≥ 0, ∞ allowed).</summary>
    /// <exception cref="ArgumentException">A negative or NaN time, or inputs of the wrong shape.</exception>
    public IReadOnlyList<Matrix<double>> Predict(Tensor xTest, IReadOnlyList<double> times, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(times);
        foreach (double t in times)
        {
            if (!(t >= 0)) throw new ArgumentException($"Times must be non-negative (∞ allowed); got {t}.", nameof(times));
        }
        var k = TestKernel(xTest, cancellationToken);
        return _solver.TestMeans(times, k).Select(Unvec).ToArray();
    }

    /// <summary>μ_t on <paramref name="xTest"/> at one time.</summary>
    public Matrix<double> Predict(Tensor xTest, double time, CancellationToken cancellationToken = default)
        => Predict(xTest, [time], cancellationToken)[0];

    /// <summary>The mean after k steps of full-batch gradient descent with learning rate η (the linearised network:
    /// f_k = Θ(x, X) Θ⁻¹ (I − (I − ηΘ/n)^k) Y) for every k ≥ 0.</summary>
    /// <exception cref="ArgumentException">A negative step count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">η exceeds <see cref="MaxLearningRate"/> (discrete descent diverges).</exception>
    public IReadOnlyList<Matrix<double>> PredictSteps(Tensor xTest, IReadOnlyList<int> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (int s in steps)
        {
            if (s < 0) throw new ArgumentException($"Step counts must be non-negative; got {s}.", nameof(steps));
        }
        var k = TestKernel(xTest, cancellationToken);
        return _solver.TestMeansAfterSteps(steps, k).Select(Unvec).ToArray();
    }

    /// <summary>This mean as a predictor over times, for <see cref="Equivariance.Measure(Func{Tensor, IReadOnlyList{Matrix{double}}}, IReadOnlyList{double}, SymmetryGroup, Tensor)"/>.</summary>
    public Func<Tensor, IReadOnlyList<Matrix<double>>> AtTimes(IReadOnlyList<double> times) => x => Predict(x, times);

    private Matrix<double> TestKernel(Tensor xTest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(xTest);
        xTest.EnsureExampleShape(_xReg, nameof(xTest), "the training inputs");
        xTest.EnsureFinite(nameof(xTest));
        if (Mode == AugmentationMode.GroupAveraged)
            return GroupAveragedKernel.Compute(_kernel, Group!, xTest, _xReg, Kernel, _kernelOptions, ct);
        return _kernel.Compute(xTest, _xReg, Kernel, _kernelOptions, null, ct).Get(Kernel);
    }

    private Matrix<double> Unvec(Matrix<double> m)
    {
        if (Mode != AugmentationMode.GroupAveraged || Group!.IsInvariant) return m;
        int rows = m.RowCount / _outputs;
        return Matrix<double>.Build.Dense(rows, _outputs, (i, a) => m[i * _outputs + a, 0]);
    }

    private static Matrix<double> Vec(Matrix<double> y)
    {
        int k = y.ColumnCount;
        return Matrix<double>.Build.Dense(y.RowCount * k, 1, (r, _) => y[r / k, r % k]);
    }

    private static AugmentedMean Plain(KernelFunction kernel, Tensor x, Matrix<double> y, SymmetryGroup? group, AugmentationMode mode,
        GradientDescentOptions? options, KernelOutputs which, KernelOptions? kernelOptions, CancellationToken ct)
    {
        var k = kernel.Compute(x, null, which, kernelOptions, null, ct).Get(which);
        var solver = new GradientDescentMse(k, y, options);
        return new AugmentedMean(kernel, x, solver, group, mode, which, kernelOptions, y.ColumnCount, y.RowCount * y.ColumnCount);
    }

    private static void CheckCommon(Tensor x, Matrix<double> y, KernelOutputs which)
    {
        x.EnsureFinite(nameof(x));
        if (y.RowCount != x.Count) throw new ArgumentException($"yTrain has {y.RowCount} rows but xTrain has {x.Count} examples.", nameof(y));
        if (y.Enumerate().Any(v => !double.IsFinite(v))) throw new ArgumentException("yTrain contains a non-finite value.", nameof(y));
        if (which is not (KernelOutputs.Ntk or KernelOutputs.Nngp)) throw new ArgumentOutOfRangeException(nameof(which), which, "Use Ntk or Nngp.");
    }
}
