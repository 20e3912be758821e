using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

/// <summary>The symmetrised KL divergence of class probabilities along an orbit, against a direct formula, zero for an
/// exactly invariant predictor, and on infinite-width means and finite ensembles.</summary>
public class OrbitDivergenceTests
{
    /// <summary>KL(p‖q) + KL(q‖p) written out naively: p = e^u / Σ e^u, Σ p log(p/q) + Σ q log(q/p).</summary>
    private static double Direct(double[] u, double[] v)
    {
        var p = u.Select(Math.Exp).ToArray();
        var q = v.Select(Math.Exp).ToArray();
        double sp = p.Sum(), sq = q.Sum();
        double d = 0;
        for (int c = 0; c < u.Length; c++)
        {
            double pc = p[c] / sp, qc = q[c] / sq;
            d += pc * Math.Log(pc / qc) + qc * Math.Log(qc / pc);
        }
        return d;
    }

    private static void AssertMatchesDirect(EquivarianceReport r, Matrix<double> orbit, SymmetryGroup g, int n)
    {
        double max = 0, sum = 0;
        for (int i = 0; i < n; i++)
        {
            var u = orbit.Row(g.Identity * n + i).ToArray();
            for (int e = 0; e < g.Order; e++)
            {
                var v = orbit.Row(e * n + i).ToArray();
                double d = Direct(u, v);
                Assert.True(Math.Abs(r.SymmetrizedKl![i, e] - d) <= 1e-12 * Math.Max(1, d), $"input {i}, element {e}: {r.SymmetrizedKl[i, e]:R} vs direct {d:R}");
                max = Math.Max(max, d);
                if (e != g.Identity) sum += d;
            }
        }
        Assert.Equal(max, r.MaxSymmetrizedKl, 12);
        Assert.Equal(sum / (n * (g.Order - 1)), r.MeanSymmetrizedKl, 12);
    }

    [Fact]
    public void FromOrbitPredictions_NonInvariantLogits_DivergenceEqualsDirectFormula()
    {
        var g = Groups.C4([2]);
        var w = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0, -2.0 }, { 0.5, 0.3 }, { -1.5, 0.7 } });
        var x = new Tensor([0.3, 0.8, -1.1, 0.4, 2.0, -0.5], 3, 2);
        var orbit = g.OrbitInputs(x).ToMatrix() * w.Transpose();
        var r = Equivariance.FromOrbitPredictions(g, orbit, 3);
        Assert.True(r.MaxSymmetrizedKl > 0.1, $"max {r.MaxSymmetrizedKl}");
        AssertMatchesDirect(r, orbit, g, 3);
        Assert.Equal(0.0, r.SymmetrizedKl![0, 0]);
    }

    [Fact]
    public void Measure_ExactlyInvariantPredictor_DivergenceExactlyZero()
    {
        // |x|² is exactly invariant under the four 90° rotation matrices (entries 0, ±1).
        var r = Equivariance.Measure(t => Matrix<double>.Build.Dense(t.Count, 3, (i, c) =>
        {
            double s = t.Data[2 * i] * t.Data[2 * i] + t.Data[2 * i + 1] * t.Data[2 * i + 1];
            return Math.Sin((c + 1) * s);
        }), Groups.C4([2]), new Tensor([0.3, 0.8, -1.1, 0.4], 2, 2));
        Assert.Equal(0.0, r.MaxSymmetrizedKl);
        Assert.Equal(0.0, r.MeanSymmetrizedKl);
    }

    [Fact]
    public void FromOrbitPredictions_SingleOutput_NoDivergence()
    {
        var g = Groups.C4([2]);
        var r = Equivariance.FromOrbitPredictions(g, Matrix<double>.Build.Dense(4, 1, (i, _) => i), 1);
        Assert.Null(r.SymmetrizedKl);
        Assert.True(double.IsNaN(r.MeanSymmetrizedKl));
    }

    [Fact]
    public void Measure_InfiniteWidthMeanAndFiniteEnsemble_DivergenceTinyForMeanPositiveForEnsemble()
    {
        var layer = Stax.Serial(Stax.Dense(32, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(3, wStd: 1.5, bStd: 0.1));
        var g = Groups.C4([2]);
        var x = new Tensor([1.0, 0.2, -0.3, 0.8, 0.5, -0.9], 3, 2);
        var y = Matrix<double>.Build.DenseIdentity(3);
        var test = new Tensor([0.3, 0.4, -1.2, 0.1], 2, 2);
        var mean = AugmentedMean.Fit(new KernelFunction(layer), x, y, g, AugmentationMode.Explicit);
        var infinite = Equivariance.Measure(mean.AtTimes([1.0]), [1.0], g, test)[0];
        Assert.True(infinite.MaxSymmetrizedKl < 1e-20, $"infinite-width mean: max symmetrised KL {infinite.MaxSymmetrizedKl:E2}");

        var aug = Augmentation.Augment(x, y, g);
        var options = new EnsembleOptions { Members = 4, LearningRate = 0.5, Checkpoints = [20], Seed = 3, RecordNtk = false };
        var orbit = g.OrbitInputs(test);
        var ensembleMean = Ensemble.Train(layer, aug.X, aug.Y, orbit, options).Mean(0);
        var finite = Equivariance.FromOrbitPredictions(g, ensembleMean, 2);
        Assert.True(finite.MaxSymmetrizedKl > 1e-8, $"finite ensemble: max symmetrised KL {finite.MaxSymmetrizedKl:E2}");
        AssertMatchesDirect(finite, ensembleMean, g, 2);
    }
}
