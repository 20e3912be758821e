using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>
/// Structural identities of the arc-cosine family, on whole networks' NNGP and NTK Gram matrices:
/// ABRelu(0, 1) = Relu, LeakyRelu(α) = ABRelu(α, 1), Abs = ABRelu(−1, 1), ABRelu(a, a) = a·Identity.
/// </summary>
public class ActivationIdentityTests
{
    private static readonly double[,] X = KernelTestData.Gaussian(23, 9, 42);
    private static readonly double[,] X2 = KernelTestData.Gaussian(17, 9, 43);

    private static KernelResult Kernels(Layer net, bool withX2) =>
        withX2 ? new KernelFunction(net).Compute(X, X2) : new KernelFunction(net).Compute(X);

    private static void AssertSameKernels(Layer expected, Layer actual, double rtol)
    {
        foreach (bool withX2 in new[] { false, true })
        {
            var e = Kernels(expected, withX2);
            var a = Kernels(actual, withX2);
            KernelTestData.AssertClose(e.Nngp!, a.Nngp!, rtol, $"NNGP (x2 given: {withX2})");
            KernelTestData.AssertClose(e.Ntk!, a.Ntk!, rtol, $"NTK (x2 given: {withX2})");
        }
    }

    [Fact]
    public void Compute_ABRelu01_EqualsRelu()
        => AssertSameKernels(KernelTestData.Mlp(4, Stax.Relu), KernelTestData.Mlp(4, () => Stax.ABRelu(0, 1)), 1e-15);

    [Theory]
    [InlineData(0.1)]
    [InlineData(-0.4)]
    [InlineData(2.5)]
    public void Compute_LeakyRelu_EqualsABReluAlphaOne(double alpha)
        => AssertSameKernels(KernelTestData.Mlp(3, () => Stax.LeakyRelu(alpha)), KernelTestData.Mlp(3, () => Stax.ABRelu(alpha, 1)), 1e-15);

    [Fact]
    public void Compute_Abs_EqualsABReluMinusOneOne()
        => AssertSameKernels(KernelTestData.Residual(2, Stax.Abs), KernelTestData.Residual(2, () => Stax.ABRelu(-1, 1)), 1e-15);

    /// <summary>ABRelu(a, a)(x) = a·x: a network with it equals the network with Identity in its place and the next
    /// Dense layer's σ_w multiplied by |a| (K' = a²K and Θ' = a²Θ are absorbed by σ_w²).</summary>
    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void Compute_ABReluAA_EqualsScaledIdentity(double a)
    {
        var withAct = Stax.Serial(Stax.Dense(50, 1.2, 0.3), Stax.ABRelu(a, a), Stax.Dense(40, 0.9, 0.2), Stax.Relu(), Stax.Dense(1, 1.1, 0.1));
        var withIdentity = Stax.Serial(Stax.Dense(50, 1.2, 0.3), Stax.Identity(), Stax.Dense(40, 0.9 * Math.Abs(a), 0.2), Stax.Relu(), Stax.Dense(1, 1.1, 0.1));
        AssertSameKernels(withIdentity, withAct, 1e-13);
    }

    /// <summary>Per entry: ABRelu(a, a) gives T = a²c₁₂ and Ṫ = a² for every correlation (both branches of atan2).</summary>
    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void ABRelu_EqualSlopes_IsScaledIdentity(double a)
    {
        foreach (double rho in new[] { -1.0, -0.999999, -0.3, 0.0, 0.4, 1 - 1e-12, 1.0 })
        {
            double c11 = 1.3, c22 = 0.6, c12 = rho * Math.Sqrt(c11 * c22);
            DualActivations.ABRelu(a, a, c11, c12, c22, out double t, out double td);
            Assert.Equal(a * a * c12, t, 1e-15);
            Assert.Equal(a * a, td, 1e-15);
        }
    }
}
