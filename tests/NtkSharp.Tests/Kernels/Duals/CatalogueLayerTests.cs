using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>Architecture text of the catalogue (the issue's syntax, round trips, Elementwise's refusal), the finite
/// forward/backward against central differences, and the divergence errors of Gaussian and Exp.</summary>
public class CatalogueLayerTests
{
    public static TheoryData<int> IssueSyntaxIndices() => [.. Enumerable.Range(0, CatalogueLayers.IssueSyntax.Length)];

    [Theory]
    [MemberData(nameof(IssueSyntaxIndices))]
    public void Parse_IssueSyntax_BuildsLayerAndRoundTrips(int index)
    {
        var (text, layer) = CatalogueLayers.IssueSyntax[index];
        var parsed = Layer.Parse(text);
        Assert.Equal(layer, parsed);
        Assert.Equal(layer, Layer.Parse(layer.ToString()));
        var net = Stax.Serial(Stax.Dense(3), layer, Stax.Dense(1));
        Assert.Equal(net, Layer.Parse(net.ToString()));
        Assert.Contains(layer.Name, Layer.KnownLayerNames);
    }

    [Fact]
    public void Parse_NonDefaultParameters_RoundTrip()
    {
        foreach (var layer in CatalogueLayers.Device.Concat(CatalogueLayers.Quadrature))
        {
            var back = Layer.Parse(layer.ToString());
            Assert.True(layer.Equals(back), $"{layer} read back as {back}");
        }
        Assert.Equal(new Polynomial(1, 2), Layer.Parse("Polynomial(1, 2)"));
        Assert.Equal(new Polynomial(1, 2), Layer.Parse("Polynomial([1, 2])"));
        Assert.Equal(new Erf(0.5, 1, 0), Layer.Parse("Erf(0.5)"));
        Assert.Equal(new Erf(1, 2, 0), Layer.Parse("Erf(b: 2)"));
    }

    [Fact]
    public void Parse_ElementwiseText_SaysItCannotRoundTrip()
    {
        var layer = Stax.Elementwise(Math.Sin, Math.Cos, "sin");
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse(Stax.Serial(Stax.Dense(2), layer).ToString()));
        Assert.Contains("C# delegate", e.Message, StringComparison.Ordinal);
        Assert.Contains("Stax.Elementwise", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardBackward_EveryLayer_MatchesCentralDifferences()
    {
        var layers = CatalogueLayers.Device.Concat(CatalogueLayers.Quadrature).Append(Stax.Elementwise(x => Math.Sin(x) + 0.3 * x));
        double[] z = [-2.1, -0.7, -0.05, 0.3, 0.9, 1.7];
        foreach (var layer in layers)
        {
            var family = layer.Family;
            var y = new double[z.Length];
            var gz = new double[z.Length];
            var gy = new double[z.Length];
            for (int i = 0; i < z.Length; i++) gy[i] = 1.0 + 0.1 * i;
            family.Forward(layer.Spec, z, y);
            family.Backward(layer.Spec, z, gy, gz);
            for (int i = 0; i < z.Length; i++)
            {
                double h = 1e-5;
                double fd = (layer.Phi(z[i] + h) - layer.Phi(z[i] - h)) / (2 * h);
                Assert.Equal(layer.Phi(z[i]), y[i]);
                double err = Math.Abs(gz[i] - fd * gy[i]);
                Assert.True(err <= 1e-7 * Math.Max(1, Math.Abs(fd * gy[i])), $"{layer} at {z[i]}: backward {gz[i]:R}, central difference {fd * gy[i]:R}");
            }
        }
    }

    [Fact]
    public void Compute_GaussianBeyondItsVariance_ThrowsNamingLayerAndVariance()
    {
        // Input rows have K(x, x) = |x|²/d = 1, so the Dense output has variance 4 > 1/(4·0.5) = 0.5.
        var net = Stax.Serial(Stax.Dense(8, wStd: 2.0), Stax.Gaussian(1, 0.5), Stax.Dense(1));
        var x = new Tensor([1.0, 1.0, -1.0, 1.0], 2, 2);
        var e = Assert.ThrowsAny<ArithmeticException>(() => new KernelFunction(net).Compute(x));
        Assert.Contains("Gaussian", e.Message, StringComparison.Ordinal);
        Assert.Contains("variance of 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("0.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ExpOverflowing_ThrowsNamingLayer()
    {
        var net = Stax.Serial(Stax.Dense(8, wStd: 1.0), Stax.Exp(1, 30), Stax.Dense(1));
        var x = new Tensor([1.0, 1.0, -1.0, 1.0], 2, 2);
        var e = Assert.ThrowsAny<ArithmeticException>(() => new KernelFunction(net).Compute(x));
        Assert.Contains("Exp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_GaussianBelowItsVariance_IsFinite()
    {
        var net = Stax.Serial(Stax.Dense(8, wStd: 0.5), Stax.Gaussian(1, 0.5), Stax.Dense(1));
        var x = new Tensor([1.0, 1.0, -1.0, 1.0], 2, 2);
        var r = new KernelFunction(net).Compute(x);
        Assert.All(r.Nngp!.ToArray().Cast<double>(), v => Assert.True(double.IsFinite(v)));
    }
}
