using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

/// <summary>
/// Finite deep ensembles of the sample's MLP at several widths (NTK parameterisation), trained by full-batch gradient
/// descent on the p4m-augmented Ising data, compared with the infinite-width mean after the same number of steps.
/// </summary>
internal static class IsingEnsembles
{
    /// <summary>Trains one ensemble per width and prints, for the ensemble mean after <paramref name="steps"/> steps:
    /// the max absolute equivariance error on the test orbits, the relative distance to μ_k and the test RMSE.</summary>
    public static void Run(Func<int, Layer> mlp, SymmetryGroup group, Tensor xTrain, Matrix<double> yTrain,
        (string Name, Tensor X, Matrix<double> Y)[] tests, int[] widths, int members, int steps)
    {
        var sw = Stopwatch.StartNew();
        var aug = Augmentation.Augment(xTrain, yTrain, group);
        // The analytic mean on the same augmented set; η at half the stability limit 2n/λ_max of discrete descent.
        var kf = new KernelFunction(mlp(widths[0]));
        double eta = Math.Min(1.0, 0.5 * AugmentedMean.Fit(kf, xTrain, yTrain, group, AugmentationMode.Explicit).MaxLearningRate);
        var analyticMean = AugmentedMean.Fit(kf, xTrain, yTrain, group, AugmentationMode.Explicit, new GradientDescentOptions { LearningRate = eta });

        // Evaluation inputs: the full p4m orbit of every test input (row g·N + i of a block holds f(ρ(g)xᵢ)).
        var orbits = tests.Select(t => group.OrbitInputs(t.X)).ToArray();
        var all = new Tensor(orbits.SelectMany(o => o.Data).ToArray(), [orbits.Sum(o => o.Count), .. xTrain.ExampleShape]);
        int[] checkpoints = [steps];
        var mu = analyticMean.PredictSteps(all, checkpoints)[0];
        Console.WriteLine($"Finite deep ensembles of the MLP (NTK parameterisation): {members} members per width, {steps} full-batch gradient-descent steps");
        Console.WriteLine($"(η = {eta:G3}, loss ½·mean((f − y)²)) on {xTrain.Count} configurations × |G| = {aug.X.Count} augmented points; μ_k = analytic mean after");
        Console.WriteLine($"the same k = {steps} steps (GradientDescentMse.TestMeansAfterSteps). Equivariance: max |f(gx) − f(x)| over the {group.Name} orbit");
        Console.WriteLine("(absolute, the energy per spin is near 0 at T = 6); RMSE against the true energy per spin on the test inputs themselves.");
        Console.WriteLine();
        Console.WriteLine("   width   | max abs. equivariance error (mean)     | 1 member: in-dist. | ‖mean − μ_k‖/‖μ_k‖ | test RMSE (mean)                 | train s");
        Console.WriteLine("           | " + string.Concat(tests.Select(t => t.Name.PadRight(13))) + "|                    |                    | " + string.Concat(tests.Select(t => t.Name.PadRight(11))) + "|");
        foreach (int width in widths)
        {
            var clock = Stopwatch.StartNew();
            var trained = Ensemble.Train(mlp(width), aug.X, aug.Y, all, new EnsembleOptions
            {
                Members = members,
                LearningRate = eta,
                Checkpoints = checkpoints,
                Seed = 2024,
                RecordNtk = false,
            });
            double seconds = clock.Elapsed.TotalSeconds;
            var mean = trained.Mean(checkpoints.Length - 1);
            var single = Metrics(group, tests, orbits, trained.MemberOutput(checkpoints.Length - 1, 0));
            var m = Metrics(group, tests, orbits, mean);
            double dist = (mean - mu).FrobeniusNorm() / mu.FrobeniusNorm();
            Console.WriteLine("   " + width.ToString().PadRight(8) + "| " + string.Concat(m.Select(r => r.Equivariance.ToString("0.0E+00").PadRight(13)))
                + "| " + single[0].Equivariance.ToString("0.0E+00").PadRight(19) + "| " + dist.ToString("0.0E+00").PadRight(19)
                + "| " + string.Concat(m.Select(r => r.Rmse.ToString("0.0000").PadRight(11))) + "| " + seconds.ToString("F1"));
        }
        var a = Metrics(group, tests, orbits, mu);
        Console.WriteLine("   " + "∞ (μ_k)".PadRight(8) + "| " + string.Concat(a.Select(r => r.Equivariance.ToString("0.0E+00").PadRight(13)))
            + "| " + "".PadRight(19) + "| " + "0".PadRight(19) + "| " + string.Concat(a.Select(r => r.Rmse.ToString("0.0000").PadRight(11))) + "|");
        Console.WriteLine($"   ({sw.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine();
    }

    private static (double Equivariance, double Rmse)[] Metrics(SymmetryGroup group, (string Name, Tensor X, Matrix<double> Y)[] tests, Tensor[] orbits, Matrix<double> predictions)
    {
        var result = new (double, double)[tests.Length];
        int offset = 0;
        for (int s = 0; s < tests.Length; s++)
        {
            int n = tests[s].X.Count;
            var block = predictions.SubMatrix(offset, orbits[s].Count, 0, 1);
            var report = Equivariance.FromOrbitPredictions(group, block, n);
            // Rows 0…n−1 of the block are the identity element's, i.e. the test inputs themselves.
            var err = block.SubMatrix(group.Identity * n, n, 0, 1) - tests[s].Y;
            result[s] = (report.MaxAbsoluteError, Math.Sqrt(err.PointwisePower(2).Enumerate().Average()));
            offset += orbits[s].Count;
        }
        return result;
    }
}
