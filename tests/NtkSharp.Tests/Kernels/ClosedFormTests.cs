using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>One-hidden-layer networks against their kernels derived by hand, in the arccos/arcsin forms of the papers
/// (not the atan2 forms of the engine).</summary>
public class ClosedFormTests
{
    private static readonly double[,] X = KernelTestData.Gaussian(6, 5, 17);
    private static readonly double[,] X2 = KernelTestData.Gaussian(4, 5, 18);

    private static double Dot(double[,] a, int i, double[,] b, int j)
    {
        double s = 0;
        for (int c = 0; c < a.GetLength(1); c++) s += a[i, c] * b[j, c];
        return s;
    }

    /// <summary>
    /// Standard parameterisation, Serial(Dense(n, w₁, b₁, Standard), Relu(), Dense(1, w₂, b₂, Standard)) on d inputs.
    /// With z = W x + b, W ~ N(0, w²/fanIn), b ~ N(0, b²), trained parameters W, b (Sohl-Dickstein et al. 2020):
    /// layer 1: K₁ = w₁²·x·x'/d + b₁², Θ₁ = ∂z·∂z' = x·x' + 1; ReLU (Cho &amp; Saul 2009, arccos form):
    /// K₂ = √(K₁K₁')/(2π)·(sin θ + (π − θ) cos θ), Ṫ = (π − θ)/(2π), θ = arccos(K₁₂/√(K₁K₁')), Θ₂ = Ṫ·Θ₁;
    /// readout of fan-in n: K₃ = w₂²K₂ + b₂², Θ₃ = ∂f/∂W₂·∂f'/∂W₂ + ∂f/∂b₂·∂f'/∂b₂ + (∂f/∂h)ᵀΘ₂(∂f'/∂h')
    /// = n·K₂ + 1 + w₂²·Θ₂ (the hidden features' inner product is n·K₂; the backpropagated factor is w₂²).
    /// </summary>
    [Theory]
    [InlineData(1.0, 0.0, 1.0, 0.0, 300)]
    [InlineData(1.5, 0.1, 0.8, 0.2, 1000)]
    public void Compute_StandardParameterisationOneHiddenRelu_MatchesHandDerivation(double w1, double b1, double w2, double b2, int width)
    {
        int d = X.GetLength(1);
        var net = Stax.Serial(Stax.Dense(width, w1, b1, Parameterization.Standard), Stax.Relu(), Stax.Dense(1, w2, b2, Parameterization.Standard));
        var r = new KernelFunction(net).Compute(X, X2);
        for (int i = 0; i < X.GetLength(0); i++)
        {
            for (int j = 0; j < X2.GetLength(0); j++)
            {
                double k11 = w1 * w1 * Dot(X, i, X, i) / d + b1 * b1;
                double k22 = w1 * w1 * Dot(X2, j, X2, j) / d + b1 * b1;
                double k12 = w1 * w1 * Dot(X, i, X2, j) / d + b1 * b1;
                double t1 = Dot(X, i, X2, j) + (b1 > 0 ? 1 : 0);
                double norm = Math.Sqrt(k11 * k22), cos = k12 / norm, th = Math.Acos(cos);
                double k2 = norm / (2 * Math.PI) * (Math.Sin(th) + (Math.PI - th) * cos);
                double t2 = (Math.PI - th) / (2 * Math.PI) * t1;
                double k3 = w2 * w2 * k2 + b2 * b2;
                double t3 = width * k2 + (b2 > 0 ? 1 : 0) + w2 * w2 * t2;
                Assert.Equal(k3, r.Nngp![i, j], 1e-12 * Math.Abs(k3));
                Assert.Equal(t3, r.Ntk![i, j], 1e-12 * Math.Abs(t3));
            }
        }
    }

    /// <summary>
    /// Erf, NTK parameterisation: Serial(Dense(n, w₁, b₁), Erf(), Dense(1, w₂, b₂)). Williams (1997):
    /// E[erf(u)erf(v)] = (2/π)·arcsin(2K₁₂/√((1 + 2K₁₁)(1 + 2K₂₂))), and
    /// E[erf'(u)erf'(v)] = (4/π)/√((1 + 2K₁₁)(1 + 2K₂₂) − 4K₁₂²) (differentiate the arcsine in K₁₂).
    /// </summary>
    [Fact]
    public void Compute_OneHiddenErf_MatchesWilliamsArcsine()
    {
        const double w1 = 1.3, b1 = 0.4, w2 = 0.9, b2 = 0.1;
        int d = X.GetLength(1);
        var net = Stax.Serial(Stax.Dense(256, w1, b1), Stax.Erf(), Stax.Dense(1, w2, b2));
        var r = new KernelFunction(net).Compute(X);
        for (int i = 0; i < X.GetLength(0); i++)
        {
            for (int j = 0; j < X.GetLength(0); j++)
            {
                double k11 = w1 * w1 * Dot(X, i, X, i) / d + b1 * b1;
                double k22 = w1 * w1 * Dot(X, j, X, j) / d + b1 * b1;
                double k12 = w1 * w1 * Dot(X, i, X, j) / d + b1 * b1;
                double t1 = k12;
                double den = (1 + 2 * k11) * (1 + 2 * k22);
                double k2 = 2 / Math.PI * Math.Asin(2 * k12 / Math.Sqrt(den));
                double tdot = 4 / Math.PI / Math.Sqrt(den - 4 * k12 * k12);
                double k3 = w2 * w2 * k2 + b2 * b2;
                double t3 = k3 + w2 * w2 * tdot * t1;
                Assert.Equal(k3, r.Nngp![i, j], 1e-13);
                Assert.Equal(t3, r.Ntk![i, j], 1e-13);
            }
        }
    }
}
