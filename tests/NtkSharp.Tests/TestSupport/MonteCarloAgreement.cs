using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.TestSupport;

/// <summary>The infinite-width kernels against Monte Carlo over finite networks built from the same layer objects:
/// |MC − exact| ≤ 4·SE + 3% of the kernel's scale (the finite-width bias is O(1/channels)).</summary>
internal static class MonteCarloAgreement
{
    /// <summary>Asserts that the exact NNGP and NTK of <paramref name="net"/> on <paramref name="x"/> agree with a
    /// Monte Carlo estimate from <paramref name="samples"/> finite networks drawn with <paramref name="seed"/>.</summary>
    public static void AssertAgrees(Layer net, Tensor x, long seed, int samples = 128)
    {
        var exact = new KernelFunction(net).Compute(x);
        var mc = MonteCarloKernels.Estimate(net, x, options: new MonteCarloOptions { Samples = samples, Seed = seed });
        Check(exact.Nngp!, mc.Nngp!, mc.NngpStandardError!, "NNGP");
        Check(exact.Ntk!, mc.Ntk!, mc.NtkStandardError!, "NTK");
    }

    private static void Check(Matrix<double> exact, Matrix<double> mc, Matrix<double> se, string what)
    {
        double scale = exact.Diagonal().Max();
        for (int i = 0; i < exact.RowCount; i++)
        {
            for (int j = 0; j < exact.ColumnCount; j++)
            {
                double diff = Math.Abs(mc[i, j] - exact[i, j]);
                Assert.True(diff <= 4 * se[i, j] + 0.03 * scale,
                    $"{what}[{i},{j}]: Monte Carlo {mc[i, j]:G6} ± {se[i, j]:G3}, exact {exact[i, j]:G6}");
            }
        }
    }
}
