using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;

namespace NtkSharp.Finite.Ensembles;

/// <summary>
/// "How many members, how wide, how many steps until the ensemble mean is the analytic answer?": trains ensembles
/// over a grid of widths and sizes and measures the distance of their mean to the infinite-width discrete-time
/// mean Θ(x, X)Θ⁻¹(I − (I − ηΘ/n)^k)Y of <see cref="GradientDescentMse"/>.
/// </summary>
/// <remarks>The distance mixes Monte Carlo noise, which falls as 1/√M (the standard error column), and the finite-width
/// bias of the mean, O(1/width) (Lee et al. 2019; Dyer &amp; Gur-Ari 2020), which no ensemble size removes.</remarks>
public static class Convergence
{
    /// <summary>Runs the study.</summary>
    /// <param name="architecture">The architecture for a given hidden width.</param>
    /// <param name="xTrain">Training inputs.</param>
    /// <param name="yTrain">Training targets (N × K).</param>
    /// <param name="xTest">Test inputs.</param>
    /// <param name="options">Widths, sizes, learning rate, steps, seed.</param>
    /// <param name="progress">Receives (cells done, cells).</param>
    /// <param name="cancellationToken">Stops the study.</param>
    /// <exception cref="ArgumentException">Empty grids, non-positive widths or sizes, all sizes 1, invalid inputs.</exception>
    /// <exception cref="EnsembleDivergedException">The learning rate makes training diverge.</exception>
    public static ConvergenceResult Run(Func<int, Layer> architecture, Tensor xTrain, Matrix<double> yTrain, Tensor xTest,
        ConvergenceOptions options, IProgress<EnsembleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(yTrain);
        if (options.Widths.Count == 0 || options.Widths.Any(w => w < 1)) throw new ArgumentException("Give at least one positive width.", nameof(options));
        if (options.EnsembleSizes.Count == 0 || options.EnsembleSizes.Any(m => m < 1)) throw new ArgumentException("Give at least one positive ensemble size.", nameof(options));
        if (options.EnsembleSizes.Max() < 2)
            throw new ArgumentException("The largest ensemble size must be at least 2 to estimate the Monte Carlo standard error.", nameof(options));
        if (options.Steps < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "Steps must be non-negative.");
        var points = new List<ConvergencePoint>();
        var analyticTime = new Dictionary<int, TimeSpan>();
        var analyticRms = new Dictionary<int, double>();
        var sizes = options.EnsembleSizes.Order().ToArray();
        long cells = (long)options.Widths.Count * sizes.Length, done = 0;
        var kernelOptions = new KernelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        foreach (int width in options.Widths)
        {
            var layer = architecture(width);
            var clock = Stopwatch.StartNew();
            var kf = new KernelFunction(layer);
            var train = kf.Compute(xTrain, null, KernelOutputs.Ntk, kernelOptions, cancellationToken: cancellationToken);
            var testTrain = kf.Compute(xTest, xTrain, KernelOutputs.Ntk, kernelOptions, cancellationToken: cancellationToken);
            var gd = new GradientDescentMse(train.Ntk!, yTrain, new GradientDescentOptions { LearningRate = options.LearningRate });
            var exact = gd.TestMeansAfterSteps([options.Steps], testTrain.Ntk!)[0];
            analyticTime[width] = clock.Elapsed;
            analyticRms[width] = Math.Sqrt(exact.Enumerate().Select(v => v * v).Average());
            var results = new ConvergencePoint[sizes.Length];
            double pooledVariance = double.NaN;
            for (int i = sizes.Length - 1; i >= 0; i--)
            {
                var r = Ensemble.Train(layer, xTrain, yTrain, xTest, new EnsembleOptions
                {
                    Members = sizes[i],
                    LearningRate = options.LearningRate,
                    Checkpoints = [options.Steps],
                    Seed = options.Seed,
                    RecordNtk = false,
                    MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
                }, null, cancellationToken);
                var diff = r.Mean(0) - exact;
                double distance = Math.Sqrt(diff.Enumerate().Select(v => v * v).Average());
                double variance = sizes[i] > 1 ? r.Variance(0).Enumerate().Average() : pooledVariance;
                if (double.IsNaN(pooledVariance)) pooledVariance = variance;
                double se = double.IsNaN(variance) ? double.NaN : Math.Sqrt(variance / sizes[i]);
                results[i] = new ConvergencePoint(width, sizes[i], distance, se, r.Elapsed);
                progress?.Report(new EnsembleProgress(++done, cells));
            }
            points.AddRange(results);
        }
        return new ConvergenceResult(points, analyticTime, analyticRms, options.Steps, options.LearningRate);
    }
}
