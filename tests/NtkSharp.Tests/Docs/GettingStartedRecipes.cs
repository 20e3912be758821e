// recipe: usings
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;
using static NtkSharp.Layers.Stax;
// end recipe

namespace NtkSharp.Tests.Docs;

/// <summary>
/// The C# recipes of docs/getting-started.md. The code between "// recipe: NAME" and "// end recipe" is shown verbatim
/// in the page (<see cref="GettingStartedDocTests"/> fails when they differ) and run by <see cref="GettingStartedRecipeTests"/>.
/// </summary>
public static class GettingStartedRecipes
{
    /// <summary>An MLP's NTK, the closed-form predictor against the targets at several t and at ∞, and its test error.</summary>
    /// <returns>The training time, the RMS test error against the ground truth and the RMS training residual per time.</returns>
    public static (double[] Times, double[] TestError, double[] TrainResidual) Predictor()
    {
        // recipe: predictor
        // y = sin(3x) on 20 training points in [−1, 1]; the error is measured on 50 test points.
        var rng = new Random(0);
        double[] xs = Enumerable.Range(0, 20).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        double[] ts = Enumerable.Range(0, 50).Select(i => -1 + 2.0 * i / 49).ToArray();
        var xTrain = new Tensor(xs, 20, 1);              // 20 examples of dimension 1
        var xTest = new Tensor(ts, 50, 1);
        double[] yTrain = xs.Select(x => Math.Sin(3 * x)).ToArray();
        double[] yTest = ts.Select(x => Math.Sin(3 * x)).ToArray();

        var net = Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5, bStd: 0.05));
        KernelResult k = new KernelFunction(net).Compute(xTrain);      // NNGP and NTK on the training inputs
        Console.WriteLine($"Θ(x₀, x₀) = {k.Ntk[0, 0]:F4}, K(x₀, x₀) = {k.Nngp[0, 0]:F4}");

        // μ_t(x) = Θ(x, X) Θ⁻¹ (I − e^{−ηΘt/n}) Y, the mean of infinitely many wide networks trained by gradient descent.
        MeanPredictor predictor = Predictors.FitMeanPredictor(net, xTrain, yTrain);
        Console.WriteLine($"η = {predictor.Dynamics.Options.LearningRate}; discrete steps are stable below η_max = 2n/λ_max = {predictor.Dynamics.MaxLearningRate:F3}");
        double[] times = [0, 1, 10, 100, double.PositiveInfinity];
        IReadOnlyList<Matrix<double>> onTest = predictor.Predict(xTest, times);
        IReadOnlyList<Matrix<double>> onTrain = predictor.Predict(xTrain, times);
        double Rms(Matrix<double> f, double[] y) => Math.Sqrt(Enumerable.Range(0, y.Length).Average(i => Math.Pow(f[i, 0] - y[i], 2)));
        for (int i = 0; i < times.Length; i++)
            Console.WriteLine($"t = {(double.IsInfinity(times[i]) ? "∞" : times[i]),3}: test RMS error {Rms(onTest[i], yTest):F4}, train RMS residual {Rms(onTrain[i], yTrain):G3}");
        // end recipe
        return (times, onTest.Select(f => Rms(f, yTest)).ToArray(), onTrain.Select(f => Rms(f, yTrain)).ToArray());
    }

    /// <summary>A finite ensemble trained by gradient descent against the analytic mean after the same number of steps.</summary>
    /// <returns>The RMS distance between the ensemble mean and the analytic mean, and the RMS Monte Carlo standard error.</returns>
    public static (double Distance, double StandardError, double Scale) EnsembleVersusAnalytic()
    {
        // recipe: ensemble
        // 16 training and 8 test inputs x ~ N(0, I₃), y = sin(x₁ + x₂) + x₃/2.
        var rng = new Random(1);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var xTrain = new Tensor(Enumerable.Range(0, 16 * 3).Select(_ => Normal()).ToArray(), 16, 3);
        var xTest = new Tensor(Enumerable.Range(0, 8 * 3).Select(_ => Normal()).ToArray(), 8, 3);
        var yTrain = Matrix<double>.Build.Dense(16, 1, (i, _) =>
            Math.Sin(xTrain.Data[3 * i] + xTrain.Data[3 * i + 1]) + 0.5 * xTrain.Data[3 * i + 2]);

        var net = Serial(Dense(256, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5, bStd: 0.05));
        var kernel = new KernelFunction(net);
        Matrix<double> ntkTrain = kernel.Compute(xTrain, outputs: KernelOutputs.Ntk).Ntk;
        Matrix<double> ntkTest = kernel.Compute(xTest, xTrain, KernelOutputs.Ntk).Ntk;

        // Discrete gradient descent is stable for η < 2n/λ_max(Θ); take half of it and 100 full-batch steps.
        double eta = 0.5 * GradientDescentMse.MaxLearningRateOf(ntkTrain, yTrain.RowCount * yTrain.ColumnCount);
        const int steps = 100;
        var analytic = new GradientDescentMse(ntkTrain, yTrain, new GradientDescentOptions { LearningRate = eta });
        Matrix<double> exact = analytic.TestMeansAfterSteps([steps], ntkTest)[0];

        // 100 networks of width 256 from independent initialisations, trained by full-batch gradient descent.
        EnsembleResult ensemble = Ensemble.Train(net, xTrain, yTrain, xTest,
            new EnsembleOptions { Members = 100, LearningRate = eta, Checkpoints = [0, steps], Seed = 0 });
        Matrix<double> mean = ensemble.Mean(1), standardError = ensemble.StandardError(1);
        double distance = (mean - exact).FrobeniusNorm() / Math.Sqrt(8);
        double se = standardError.FrobeniusNorm() / Math.Sqrt(8);
        Console.WriteLine($"η = {eta:F3}: RMS |ensemble mean − analytic mean| = {distance:F4}, Monte Carlo standard error {se:F4}");
        Console.WriteLine($"training loss {ensemble.MeanTrainingLoss(0):F4} → {ensemble.MeanTrainingLoss(1):F4}");
        // end recipe
        return (distance, se, exact.FrobeniusNorm() / Math.Sqrt(8));
    }

    /// <summary>The equivariance of the augmented infinite-width mean and of a finite ensemble trained on the augmented data.</summary>
    /// <returns>The reports: analytic mean at t = 1 and ∞, the ensemble mean and one member.</returns>
    public static (EquivarianceReport AtOne, EquivarianceReport AtInfinity, EquivarianceReport Ensemble, EquivarianceReport Member) EquivarianceOfEnsembles()
    {
        // recipe: equivariance
        // An invariant target on ℝ², trained with the data rotated by 0°, 90°, 180° and 270° (C4 augmentation).
        var g = Groups.C4([2]);
        var xTrain = new Tensor([1.0, 0.2, -0.3, 0.8, 0.5, -0.9, 0.1, 0.4], 4, 2);
        var yTrain = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0 }, { 0.5 }, { 1.5 }, { -0.2 } });
        var probe = new Tensor([0.3, 0.4, -1.2, 0.1, 2.0, 2.0], 3, 2);   // off the training data
        var net = Serial(Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(1, wStd: 1.5, bStd: 0.1));

        // The infinite ensemble: exactly C4-invariant at every t, on every input (Gerken & Kessel, ICML 2024).
        var mean = AugmentedMean.Fit(new KernelFunction(net), xTrain, yTrain, g, AugmentationMode.Explicit);
        double[] times = [1, double.PositiveInfinity];
        IReadOnlyList<EquivarianceReport> exact = Equivariance.Measure(mean.AtTimes(times), times, g, probe);
        Console.WriteLine(exact[1]);

        // A finite ensemble trained on the same augmented data, measured directly on the probe inputs.
        // Half the largest stable learning rate 2n/λ_max of the augmented problem, 200 full-batch steps.
        var augmented = Augmentation.Augment(xTrain, yTrain, g);
        EnsembleResult ensemble = Ensemble.Train(net, augmented.X, augmented.Y, probe,
            new EnsembleOptions { Members = 64, LearningRate = 0.5 * mean.MaxLearningRate, Checkpoints = [200], Seed = 0 });
        EquivarianceReport ofMean = Equivariance.Measure(ensemble.MeanPredictor(0), g, probe);
        EquivarianceReport ofMember = Equivariance.Measure(ensemble.MemberPredictor(0, 0), g, probe);
        Console.WriteLine($"max relative error: analytic mean {exact[1].MaxRelativeError:G2}, " +
                          $"64-member ensemble {ofMean.MaxRelativeError:G2}, one member {ofMember.MaxRelativeError:G2}");
        // end recipe
        return (exact[0], exact[1], ofMean, ofMember);
    }
}
