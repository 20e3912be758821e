using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;

namespace NtkSharp.Prediction;

/// <summary>
/// The gradient-descent mean of an architecture fitted to a training set: the train-train NTK and its
/// factorisation are computed once (by <see cref="Predictors.FitMeanPredictor(Layers.Layer, Tensor, Matrix{double}, GradientDescentOptions?, KernelOptions?, IProgress{KernelProgress}?, CancellationToken)"/>), each prediction computes only
/// the test-train NTK.
/// </summary>
public sealed class MeanPredictor
{
    internal MeanPredictor(KernelFunction kernel, Tensor trainInputs, GradientDescentMse dynamics, KernelOptions? kernelOptions)
    {
        Kernel = kernel;
        TrainInputs = trainInputs;
        Dynamics = dynamics;
        KernelOptions = kernelOptions;
    }

    /// <summary>The architecture's kernel function.</summary>
    public KernelFunction Kernel { get; }

    /// <summary>The training inputs X.</summary>
    public Tensor TrainInputs { get; }

    /// <summary>The closed-form dynamics on the train NTK (its eigendecomposition and Cholesky factor are cached
    /// there).</summary>
    public GradientDescentMse Dynamics { get; }

    /// <summary>The kernel options used for every kernel evaluation.</summary>
    public KernelOptions? KernelOptions { get; }

    /// <summary>The ensemble mean μ_t(x) = Θ(x, X)Θ⁻¹(I − e^{−ηΘt/n})Y on <paramref name="xTest"/> at each time.</summary>
    /// <exception cref="ArgumentException">The test inputs do not match the train inputs' shape or are not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or NaN.</exception>
    /// <exception cref="OperationCanceledException">Cancelled during the kernel computation.</exception>
    public IReadOnlyList<Matrix<double>> Predict(Tensor xTest, IReadOnlyList<double> times,
        IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xTest);
        ArgumentNullException.ThrowIfNull(times);
        xTest.EnsureFinite(nameof(xTest));
        xTest.EnsureExampleShape(TrainInputs, nameof(xTest), "the xTrain examples the predictor was fitted on");
        var ktd = Kernel.Compute(xTest, TrainInputs, KernelOutputs.Ntk, KernelOptions, progress, cancellationToken);
        return Dynamics.TestMeans(times, ktd);
    }

    /// <summary>The ensemble mean on <paramref name="xTest"/> at one time (+∞: kernel regression with the NTK).</summary>
    public Matrix<double> Predict(Tensor xTest, double time, CancellationToken cancellationToken = default) =>
        Predict(xTest, [time], null, cancellationToken)[0];
}
