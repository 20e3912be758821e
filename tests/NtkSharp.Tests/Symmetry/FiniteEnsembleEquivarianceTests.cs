using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Layers;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

/// <summary>Finite deep ensembles on augmented data: members are not equivariant, the ensemble mean becomes equivariant
/// as members are added, at the Monte Carlo rate 1/√M.</summary>
public class FiniteEnsembleEquivarianceTests
{
    [Fact]
    public void EnsembleMean_AugmentedTraining_ErrorFallsAsInverseSqrtMembers()
    {
        var layer = Stax.Serial(Stax.Dense(32, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.5, bStd: 0.1));
        var g = Groups.C4([2]);
        var x = new Tensor([1.0, 0.2, -0.3, 0.8, 0.5, -0.9], 3, 2);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0 }, { 0.5 }, { 1.5 } });
        var aug = Augmentation.Augment(x, y, g);
        var test = new Tensor([0.3, 0.4, -1.2, 0.1, 0.7, 0.7, 0.0, -0.5], 4, 2);
        const int members = 256;
        var trained = Ensemble.Train(layer, aug.X, aug.Y, g.OrbitInputs(test), new EnsembleOptions
        {
            Members = members, LearningRate = 0.5, Checkpoints = [50], Seed = 11, RecordNtk = false,
        });
        double ErrorOf(int size)
        {
            // Mean over disjoint ensembles of `size` members of the largest |mean(ρ(g)x) − mean(x)|: a difference of
            // Monte Carlo means with zero expectation (the initialisation law is rotation invariant), so ∝ 1/√M.
            int groups = members / size;
            double sum = 0;
            for (int e = 0; e < groups; e++)
            {
                var mean = Matrix<double>.Build.Dense(4 * 4, 1);
                for (int m = e * size; m < (e + 1) * size; m++) mean += trained.MemberOutput(0, m);
                sum += Equivariance.FromOrbitPredictions(g, mean / size, 4).MaxAbsoluteError;
            }
            return sum / groups;
        }
        int[] sizes = [1, 4, 16, 64];
        double[] errors = sizes.Select(ErrorOf).ToArray();
        Assert.True(errors[0] > 1e-2, $"a single member should not be equivariant: {errors[0]:E2}");
        Assert.True(Enumerable.Range(0, members).Average(m => Equivariance.FromOrbitPredictions(g, trained.MemberOutput(0, m), 4).MeanRelativeError) > 1e-2);
        // Monte Carlo: log error against log M has slope −1/2 (least-squares fit over the four sizes).
        double[] lx = sizes.Select(m => Math.Log(m)).ToArray(), ly = errors.Select(e => Math.Log(e)).ToArray();
        double mx = lx.Average(), my = ly.Average();
        double slope = lx.Zip(ly, (a, b) => (a - mx) * (b - my)).Sum() / lx.Sum(a => (a - mx) * (a - mx));
        Assert.InRange(slope, -0.65, -0.35);
        Assert.True(errors[^1] < errors[0] / 4, string.Join(", ", errors));
    }

    [Fact]
    public void Measure_AcceptsAnEnsembleAsPredictor()
    {
        var layer = Stax.Serial(Stax.Dense(16, wStd: 1.5), Stax.Relu(), Stax.Dense(1, wStd: 1.5));
        var g = Groups.C4([2]);
        var x = new Tensor([1.0, 0.2, -0.3, 0.8], 2, 2);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0 }, { 0.5 } });
        var aug = Augmentation.Augment(x, y, g);
        var options = new EnsembleOptions { Members = 4, LearningRate = 0.5, Checkpoints = [20], Seed = 3, RecordNtk = false };
        // The same seed gives the same members whatever the test inputs, so a predictor can retrain on demand.
        var report = Equivariance.Measure(t => Ensemble.Train(layer, aug.X, aug.Y, t, options).Mean(0), g, new Tensor([0.3, 0.4], 1, 2));
        Assert.Equal(4, report.GroupOrder);
        Assert.True(report.MaxRelativeError > 1e-6);
        Assert.True(report.MaxRelativeError < 10);
    }
}
