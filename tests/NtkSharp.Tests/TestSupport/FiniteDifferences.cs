using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using Xunit;

namespace NtkSharp.Tests.TestSupport;

/// <summary>Hand-written backpropagation against central finite differences.</summary>
internal static class FiniteDifferences
{
    /// <summary>Asserts that the gradient of Σ f(x)∘c for a random Gaussian cotangent c (seed 99) matches central
    /// finite differences (h = 1e-5) in every parameter to 1e-6 relative; with <paramref name="dropoutKey"/> both
    /// through the Dropout masks of that key. Returns the gradient.</summary>
    public static Parameters AssertGradientMatches(FiniteNetwork net, Parameters p, Tensor x, int examples, long? dropoutKey = null)
    {
        var rng = new GaussianSampler(99);
        var c = Matrix<double>.Build.Dense(examples, net.OutputSize, (_, _) => rng.NextGaussian());
        var grad = net.Gradient(p, x, c, dropoutKey: dropoutKey);
        double Scalar(Parameters q) => net.Apply(q, x, dropoutKey: dropoutKey).PointwiseMultiply(c).Enumerate().Sum();
        const double h = 1e-5;
        for (int i = 0; i < net.ParameterCount; i++)
        {
            var plus = p.Clone();
            var minus = p.Clone();
            plus.Values[i] += h;
            minus.Values[i] -= h;
            double fd = (Scalar(plus) - Scalar(minus)) / (2 * h);
            Assert.True(Math.Abs(fd - grad.Values[i]) <= 1e-6 * (1 + Math.Abs(fd)),
                $"parameter {i}: backprop {grad.Values[i]:G10} vs finite difference {fd:G10}");
        }
        return grad;
    }
}
