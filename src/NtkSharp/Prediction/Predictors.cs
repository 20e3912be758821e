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
        var kernel = new KernelFunction(network);
        var kdd = kernel.Compute(xTrain, null, KernelOutputs.Ntk, kernelOptions, progress, cancellationToken);
        return new MeanPredictor(kernel, xTrain, new GradientDescentMse(kdd, yTrain, options), kernelOptions);
    }
}
