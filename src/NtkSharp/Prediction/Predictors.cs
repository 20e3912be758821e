using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Prediction;

/// <summary>Conveniences that compute kernels and fit predictors in one call.</summary>
public static class Predictors
{
    /// <summary>Computes the train-train NTK of <paramref name="network"/> on <paramref name="xTrain"/> and prepares
    /// the gradient-descent mean (see <see cref="GradientDescentMse"/>) for repeated predictions.</summary>
    /// <param name="network">The architecture.</param>
    /// <param name="xTrain">Training inputs, N examples.</param>
    /// <param name="yTrain">Targets, N×K.</param>
    /// <param name="options">Learning rate, regularisation, tolerance.</param>
    /// <param name="kernelOptions">Kernel engine options.</param>
    /// <param name="progress">Kernel progress.</param>
    /// <param name="cancellationToken">Cancels the kernel computation.</param>
    /// <exception cref="ArgumentException">Shapes differ or values are not finite.</exception>
    public static MeanPredictor FitMeanPredictor(Layer network, Tensor xTrain, Matrix<double> yTrain,
        GradientDescentOptions? options = null, KernelOptions? kernelOptions = null,
        IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        if (yTrain.RowCount != xTrain.Count)
            throw new ArgumentException($"yTrain has {yTrain.RowCount} rows but xTrain has {xTrain.Count} examples.", nameof(yTrain));
        return Fit(network, xTrain, yTrain, options, kernelOptions, progress, cancellationToken);
    }

    /// <summary>As <see cref="FitMeanPredictor(Layer, Tensor, Matrix{double}, GradientDescentOptions?, KernelOptions?, IProgress{KernelProgress}?, CancellationToken)"/>
    /// for one output per example (K = 1): <paramref name="yTrain"/>[i] is the target of example i.</summary>
    /// <param name="network">The architecture.</param>
    /// <param name="xTrain">Training inputs, N examples.</param>
    /// <param name="yTrain">Targets, N values.</param>
    /// <param name="options">Learning rate, regularisation, tolerance.</param>
    /// <param name="kernelOptions">Kernel engine options.</param>
    /// <param name="progress">Kernel progress.</param>
    /// <param name="cancellationToken">Cancels the kernel computation.</param>
    /// <exception cref="ArgumentException">Lengths differ or values are not finite.</exception>
    public static MeanPredictor FitMeanPredictor(Layer network, Tensor xTrain, Vector<double> yTrain,
        GradientDescentOptions? options = null, KernelOptions? kernelOptions = null,
        IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yTrain);
        return FitMeanPredictor(network, xTrain, yTrain.ToArray(), options, kernelOptions, progress, cancellationToken);
    }

    /// <summary>As <see cref="FitMeanPredictor(Layer, Tensor, Matrix{double}, GradientDescentOptions?, KernelOptions?, IProgress{KernelProgress}?, CancellationToken)"/>
    /// for one output per example (K = 1): <paramref name="yTrain"/>[i] is the target of example i.</summary>
    /// <param name="network">The architecture.</param>
    /// <param name="xTrain">Training inputs, N examples.</param>
    /// <param name="yTrain">Targets, N values.</param>
    /// <param name="options">Learning rate, regularisation, tolerance.</param>
    /// <param name="kernelOptions">Kernel engine options.</param>
    /// <param name="progress">Kernel progress.</param>
    /// <param name="cancellationToken">Cancels the kernel computation.</param>
    /// <exception cref="ArgumentException">Lengths differ or values are not finite.</exception>
    public static MeanPredictor FitMeanPredictor(Layer network, Tensor xTrain, double[] yTrain,
        GradientDescentOptions? options = null, KernelOptions? kernelOptions = null,
        IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        if (yTrain.Length != xTrain.Count)
            throw new ArgumentException($"yTrain has {yTrain.Length} values but xTrain has {xTrain.Count} examples (one target per example; pass an N×K Matrix for K outputs).", nameof(yTrain));
        return Fit(network, xTrain, Matrix<double>.Build.DenseOfColumnArrays(yTrain), options, kernelOptions, progress, cancellationToken);
    }

    private static MeanPredictor Fit(Layer network, Tensor xTrain, Matrix<double> yTrain, GradientDescentOptions? options,
        KernelOptions? kernelOptions, IProgress<KernelProgress>? progress, CancellationToken cancellationToken)
    {
        xTrain.EnsureFinite(nameof(xTrain));
        var kernel = new KernelFunction(network);
        var kdd = kernel.Compute(xTrain, null, KernelOutputs.Ntk, kernelOptions, progress, cancellationToken);
        return new MeanPredictor(kernel, xTrain, new GradientDescentMse(kdd, yTrain, options), kernelOptions);
    }
}
