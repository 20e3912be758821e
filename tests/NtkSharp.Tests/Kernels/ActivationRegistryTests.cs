using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Gpu;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>The activation registry: φ and E[φ(u)] of the built-in activations against closed forms and numerical
/// integration; an activation with no device body runs on the CPU engine, fails on the GPU engines with the common
/// message, and a divergent dual raises an error naming the layer and the variance.</summary>
public class ActivationRegistryTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    public static TheoryData<string> Activations => ["Relu()", "LeakyRelu(0.2)", "ABRelu(-0.4, 1.3)", "Abs()", "Erf()"];

    private static double Reference(string text, double x) => text switch
    {
        "Relu()" => Math.Max(x, 0),
        "LeakyRelu(0.2)" => x >= 0 ? x : 0.2 * x,
        "ABRelu(-0.4, 1.3)" => -0.4 * Math.Min(x, 0) + 1.3 * Math.Max(x, 0),
        "Abs()" => Math.Abs(x),
        _ => MathNet.Numerics.SpecialFunctions.Erf(x),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Phi_BuiltInActivation_MatchesDefinition(string text)
    {
        var layer = (Activation)Layer.Parse(text);
        foreach (double x in new[] { -3.1, -0.7, -1e-3, 0.0, 2e-4, 0.9, 2.6 })
        {
            double expected = Reference(text, x), actual = layer.Phi(x);
            Assert.True(Math.Abs(actual - expected) <= 1e-15 * Math.Max(1, Math.Abs(expected)), $"{text} at {x}: {actual} vs {expected}");
            double h = 1e-6, slope = (Reference(text, x + h) - Reference(text, x - h)) / (2 * h);
            if (Math.Abs(x) > 1e-3)
                Assert.True(Math.Abs(layer.PhiDerivative(x) - slope) <= 1e-7, $"{text} φ′({x}): {layer.PhiDerivative(x)} vs {slope}");
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Mean_BuiltInActivation_MatchesNumericalIntegral(string text)
    {
        var layer = (Activation)Layer.Parse(text);
        foreach (double variance in new[] { 1e-4, 0.37, 2.5, 40.0 })
        {
            double sigma = Math.Sqrt(variance);
            // Simpson's rule for ∫ φ(σz)·e^(−z²/2)/√(2π) dz over |z| ≤ 12 (the kink at 0 falls on a node).
            const int intervals = 24000;
            double h = 24.0 / intervals, sum = 0;
            for (int i = 0; i <= intervals; i++)
            {
                double z = -12 + i * h;
                double f = Reference(text, sigma * z) * Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
                sum += f * (i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2);
            }
            double expected = sum * h / 3, actual = layer.Family.Mean(layer.Spec, variance);
            Assert.True(Math.Abs(actual - expected) <= 1e-10 * Math.Max(sigma, 1e-3), $"{text}, σ² = {variance}: E[φ] = {actual} vs {expected}");
        }
    }

    [Fact]
    public void Compute_HostActivation_RunsOnCpuAndFailsOnGpuWithLayerPath()
    {
        var host = new HostCube(double.PositiveInfinity);
        var net = Stax.Serial(Stax.Dense(16, 1.2, 0.1), host, Stax.Dense(1));
        var x = GpuEngineParityTests.Inputs(5, 3, 7);
        var k = new KernelFunction(net).Compute(x);
        // Reference: for φ(x) = x³ and u ~ N(0, c), E[φ(u)φ(v)] = 9c₁₁c₂₂c₁₂ + 6c₁₂³ (Isserlis).
        var gram = GpuEngineParityTests.Inputs(5, 3, 7);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                double Dot(int a, int b)
                {
                    double s = 0;
                    for (int f = 0; f < 3; f++) s += gram.Data[a * 3 + f] * gram.Data[b * 3 + f];
                    return 1.44 * s / 3 + 0.01;
                }
                double c11 = Dot(i, i), c12 = Dot(i, j), c22 = Dot(j, j);
                double expected = 9 * c11 * c22 * c12 + 6 * c12 * c12 * c12;
                Assert.True(Math.Abs(k.Nngp![i, j] - expected) <= 1e-12 * Math.Abs(expected) + 1e-15, $"K[{i},{j}] = {k.Nngp[i, j]} vs {expected}");
            }
        }
        var e = Assert.Throws<NotSupportedException>(() => new KernelFunction(net, fixture.Context).Compute(x));
        Assert.Contains("HostCube at [1] has no device body", e.Message, StringComparison.Ordinal);
        var images = new Tensor(new double[2 * 4 * 4 * 1].Select((_, i) => Math.Sin(i)).ToArray(), 2, 4, 4, 1);
        var conv = Stax.Serial(Stax.Conv(4, (3, 3), padding: Padding.Same), host, Stax.Flatten(), Stax.Dense(1));
        Assert.Equal(2, new KernelFunction(conv).Compute(images).Nngp!.RowCount);
        e = Assert.Throws<NotSupportedException>(() => new KernelFunction(conv, fixture.Context).Compute(images));
        Assert.Contains("HostCube at [1] has no device body", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_VarianceBeyondFiniteDual_ThrowsNamingLayerAndVariance()
    {
        var net = Stax.Serial(Stax.Dense(8, 1.0, 0.0), new HostCube(0.5), Stax.Dense(1));
        var x = new Tensor([1.0, 1.0, 0.1, 0.1], 2, 2); // input variances 1 and 0.01
        var e = Assert.Throws<ArithmeticException>(() => new KernelFunction(net).Compute(x));
        Assert.Contains("HostCube at [1]", e.Message, StringComparison.Ordinal);
        Assert.Contains("variance of 1 ", e.Message, StringComparison.Ordinal);
    }

    /// <summary>φ(x) = x³ through a host family (no device body), with a made-up divergence bound for the test.</summary>
    private sealed record HostCube(double MaxVariance) : Activation
    {
        private static readonly ActivationSpec Registered = ActivationRegistry.RegisterHost(new CubeFamily());

        internal override ActivationSpec Spec => Registered with { P0 = MaxVariance };

        public override string Name => "HostCube";

        public override string ToString() => "HostCube()";
    }

    private sealed class CubeFamily : ActivationFamily<CubeBody>
    {
        public override ActivationKind Kind => ActivationKind.Host;

        public override bool HasDeviceBody => false;

        public override double Mean(in ActivationSpec s, double variance) => 0.0;

        public override double MaxVariance(in ActivationSpec s) => s.P0;
    }

    private readonly struct CubeBody : IActivationBody
    {
        public double Value(in ActivationSpec s, double x) => x * x * x;

        public double Derivative(in ActivationSpec s, double x) => 3 * x * x;

        public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        {
            t = 9 * c11 * c22 * c12 + 6 * c12 * c12 * c12;
            tDot = 9 * (c11 * c22 + 2 * c12 * c12);
        }
    }
}
