using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>Inputs, architectures and comparisons shared by the fully-connected kernel tests.</summary>
internal static class KernelTestData
{
    /// <summary>(n, d) standard-normal inputs from a fixed seed (Box–Muller).</summary>
    public static double[,] Gaussian(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                x[i, j] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        }
        return x;
    }

    /// <summary>Dense(64, w, b) → act, <paramref name="depth"/> times, then Dense(1).</summary>
    public static Layer Mlp(int depth, Func<Layer> activation, double wStd = 1.4, double bStd = 0.1,
        Parameterization parameterization = Parameterization.Ntk)
    {
        var layers = new List<Layer>();
        for (int l = 0; l < depth; l++)
        {
            layers.Add(Stax.Dense(64 + 16 * l, wStd, bStd, parameterization));
            layers.Add(activation());
        }
        layers.Add(Stax.Dense(1, wStd, bStd, parameterization));
        return Stax.Serial([.. layers]);
    }

    /// <summary>A residual network: Dense, then <paramref name="blocks"/> blocks
    /// FanOut(2) → Parallel(Serial(Relu, Dense), Identity) → FanInSum, then Relu, Dense(1).</summary>
    public static Layer Residual(int blocks, Func<Layer>? activation = null)
    {
        activation ??= Stax.Relu;
        var layers = new List<Layer> { Stax.Dense(128, 1.3, 0.05) };
        for (int b = 0; b < blocks; b++)
        {
            layers.Add(Stax.FanOut(2));
            layers.Add(Stax.Parallel(Stax.Serial(activation(), Stax.Dense(128, 1.2, 0.1)), Stax.Identity()));
            layers.Add(Stax.FanInSum());
        }
        layers.Add(activation());
        layers.Add(Stax.Dense(1, 1.1, 0.05));
        return Stax.Serial([.. layers]);
    }

    /// <summary>Asserts |a − b| ≤ rtol·max|b| entry-wise.</summary>
    public static void AssertClose(Matrix<double> expected, Matrix<double> actual, double rtol, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double scale = expected.Enumerate().Max(Math.Abs);
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                double e = expected[i, j], a = actual[i, j];
                Assert.False(double.IsNaN(a), $"{what}: NaN at ({i}, {j})");
                Assert.True(Math.Abs(e - a) <= rtol * scale, $"{what} at ({i}, {j}): expected {e:R}, got {a:R}");
            }
        }
    }
}
