using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Tests.Kernels;

/// <summary>
/// Gauss quadrature rules built with the Golub–Welsch algorithm (1969): the nodes are the eigenvalues of the symmetric
/// tridiagonal Jacobi matrix of the weight's three-term recurrence, the weights μ₀·v₀ᵢ² come from the first components
/// of its normalised eigenvectors. Independent of everything in NtkSharp.
/// </summary>
internal static class GaussQuadrature
{
    /// <summary>Probabilists' Gauss–Hermite: ∫ f(z) e^{−z²/2}/√(2π) dz ≈ Σ wᵢ f(zᵢ) (recurrence αₖ = 0, βₖ = k, μ₀ = 1).</summary>
    public static (double[] Nodes, double[] Weights) Hermite(int n) => GolubWelsch(n, _ => 0.0, k => Math.Sqrt(k));

    /// <summary>Gauss–Laguerre: ∫₀^∞ f(t) e^{−t} dt ≈ Σ wᵢ f(tᵢ) (αₖ = 2k + 1, βₖ = k², μ₀ = 1).</summary>
    public static (double[] Nodes, double[] Weights) Laguerre(int n) => GolubWelsch(n, k => 2.0 * k + 1.0, k => k);

    /// <summary>Gauss–Legendre on [−1, 1] (αₖ = 0, βₖ = k²/(4k² − 1), μ₀ = 2).</summary>
    public static (double[] Nodes, double[] Weights) Legendre(int n)
    {
        var (x, w) = GolubWelsch(n, _ => 0.0, k => k / Math.Sqrt(4.0 * k * k - 1.0));
        for (int i = 0; i < n; i++) w[i] *= 2.0;
        return (x, w);
    }

    /// <summary>∫ₐᵇ f with <paramref name="rule"/> (a Gauss–Legendre rule) mapped onto [a, b].</summary>
    public static double Integrate((double[] Nodes, double[] Weights) rule, double a, double b, Func<double, double> f)
    {
        double half = 0.5 * (b - a), mid = 0.5 * (a + b), sum = 0;
        for (int i = 0; i < rule.Nodes.Length; i++) sum += rule.Weights[i] * f(mid + half * rule.Nodes[i]);
        return half * sum;
    }

    private static (double[] Nodes, double[] Weights) GolubWelsch(int n, Func<int, double> alpha, Func<int, double> offDiagonal)
    {
        var j = Matrix<double>.Build.Dense(n, n);
        for (int k = 0; k < n; k++)
        {
            j[k, k] = alpha(k);
            if (k + 1 < n)
            {
                double b = offDiagonal(k + 1);
                j[k, k + 1] = b;
                j[k + 1, k] = b;
            }
        }
        var evd = j.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var nodes = new double[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            nodes[i] = evd.EigenValues[i].Real;
            double v0 = evd.EigenVectors[0, i];
            weights[i] = v0 * v0;
        }
        return (nodes, weights);
    }
}
