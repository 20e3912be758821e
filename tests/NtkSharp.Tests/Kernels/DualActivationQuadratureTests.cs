using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>
/// Every nonlinearity's dual T and derivative dual Ṫ (through the layer objects, so that their slopes are checked too)
/// against quadrature of the Gaussian expectations (see <see cref="GaussianExpectations"/> for how the kinks are
/// handled), to 1e-8 relative to the scale √(c₁₁c₂₂), over correlations from −(1 − 10⁻¹²) to 1 − 10⁻¹² and unequal
/// variances.
/// </summary>
public class DualActivationQuadratureTests
{
    private const double Tolerance = 1e-8;

    public static readonly string[] Activations =
        ["Relu", "LeakyRelu(0.1)", "LeakyRelu(-0.3)", "ABRelu(-0.5, 2)", "ABRelu(0.3, -1.2)", "ABRelu(0.7, 0.7)", "ABRelu(2, 0)", "Abs", "Identity", "Erf"];

    // (c11, rho, c22): unequal variances, both signs, |ρ| up to 1 − 1e-12.
    public static readonly (double C11, double Rho, double C22)[] Covariances =
    [
        (1.0, 0.0, 1.0), (1.0, 0.3, 1.0), (2.0, -0.7, 0.5), (0.3, 0.95, 1.7), (0.05, -0.2, 3.0),
        (1.7, 0.999999, 0.4), (1.7, -0.999999, 0.4), (0.8, 1 - 1e-12, 1.3), (0.8, -(1 - 1e-12), 1.3), (1.1, 1.0, 1.1),
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var a in Activations)
        {
            for (int c = 0; c < Covariances.Length; c++) data.Add(a, c);
        }
        return data;
    }

    /// <summary>The layer's dual parameters (Identity has no activation layer: its dual is the Identity kind).</summary>
    internal static (ActivationKind Kind, double A, double B) Dual(string name)
    {
        if (name == "Identity") return (ActivationKind.Identity, 0, 0);
        var layer = Make(name);
        return (layer.Kind, layer.A, layer.B);
    }

    internal static Activation Make(string name) => name switch
    {
        "Relu" => Stax.Relu(),
        "LeakyRelu(0.1)" => Stax.LeakyRelu(0.1),
        "LeakyRelu(-0.3)" => Stax.LeakyRelu(-0.3),
        "ABRelu(-0.5, 2)" => Stax.ABRelu(-0.5, 2),
        "ABRelu(0.3, -1.2)" => Stax.ABRelu(0.3, -1.2),
        "ABRelu(0.7, 0.7)" => Stax.ABRelu(0.7, 0.7),
        "ABRelu(2, 0)" => Stax.ABRelu(2, 0),
        "Abs" => Stax.Abs(),
        "Erf" => Stax.Erf(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The pointwise slopes of the piecewise-linear activations, written here independently of the layer classes.</summary>
    private static (double A, double B) Slopes(string name) => name switch
    {
        "Relu" => (0, 1),
        "LeakyRelu(0.1)" => (0.1, 1),
        "LeakyRelu(-0.3)" => (-0.3, 1),
        "ABRelu(-0.5, 2)" => (-0.5, 2),
        "ABRelu(0.3, -1.2)" => (0.3, -1.2),
        "ABRelu(0.7, 0.7)" => (0.7, 0.7),
        "ABRelu(2, 0)" => (2, 0),
        "Abs" => (-1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_Activation_MatchesGaussianQuadrature(string activation, int covariance)
    {
        var (c11, rho, c22) = Covariances[covariance];
        double c12 = rho * Math.Sqrt(c11 * c22);
        var (kind, a, b) = Dual(activation);
        DualActivations.Evaluate(kind, a, b, c11, c12, c22, out double t, out double td);

        (double T, double TDot) reference = activation switch
        {
            "Erf" => GaussianExpectations.ErfHermite(c11, c12, c22),
            "Identity" => GaussianExpectations.IdentityHermite(c11, c12, c22),
            _ => GaussianExpectations.ABReluPolar(Slopes(activation).A, Slopes(activation).B, c11, c12, c22),
        };
        double scale = Math.Sqrt(c11 * c22);
        Assert.False(double.IsNaN(t) || double.IsNaN(td));
        Assert.True(Math.Abs(t - reference.T) <= Tolerance * scale, $"T = {t:R}, quadrature {reference.T:R}");
        Assert.True(Math.Abs(td - reference.TDot) <= Tolerance * Math.Max(1, Math.Abs(reference.TDot)), $"Ṫ = {td:R}, quadrature {reference.TDot:R}");
    }

    /// <summary>A second, differently derived quadrature (conditional closed form in z₂, Hermite/Laguerre in z₁) for the
    /// ABRelu family away from |ρ| = 1, so that the polar rule is not the only witness.</summary>
    [Theory]
    [InlineData(0, 1, 1.0, 0.3, 1.0)]
    [InlineData(0.1, 1, 2.0, -0.7, 0.5)]
    [InlineData(-1, 1, 0.3, 0.6, 1.7)]
    [InlineData(-0.5, 2, 0.05, -0.2, 3.0)]
    [InlineData(0.3, -1.2, 1.5, 0.0, 0.7)]
    public void ABRelu_ModerateCorrelation_MatchesConditionalQuadrature(double a, double b, double c11, double rho, double c22)
    {
        double c12 = rho * Math.Sqrt(c11 * c22);
        DualActivations.ABRelu(a, b, c11, c12, c22, out double t, out double td);
        var (rt, rtd) = GaussianExpectations.ABReluConditional(a, b, c11, c12, c22);
        double scale = Math.Sqrt(c11 * c22);
        Assert.True(Math.Abs(t - rt) <= Tolerance * scale, $"T = {t:R}, quadrature {rt:R}");
        Assert.True(Math.Abs(td - rtd) <= Tolerance, $"Ṫ = {td:R}, quadrature {rtd:R}");
    }

    /// <summary>The quadrature rules themselves: Gauss–Hermite moments E[z²] = 1, E[z⁴] = 3, and the polar rule on
    /// the Identity-like ABRelu(1, 1) whose T is exactly c₁₂ — so that a broken reference cannot pass silently.</summary>
    [Fact]
    public void Quadrature_KnownMoments_AreReproduced()
    {
        var (z, w) = GaussQuadrature.Hermite(120);
        double m2 = 0, m4 = 0, m0 = 0;
        for (int i = 0; i < z.Length; i++)
        {
            m0 += w[i];
            m2 += w[i] * z[i] * z[i];
            m4 += w[i] * Math.Pow(z[i], 4);
        }
        Assert.Equal(1.0, m0, 1e-13);
        Assert.Equal(1.0, m2, 1e-13);
        Assert.Equal(3.0, m4, 1e-12);
        var (t, td) = GaussianExpectations.ABReluPolar(1, 1, 1.3, -0.4, 0.9);
        Assert.Equal(-0.4, t, 1e-14);
        Assert.Equal(1.0, td, 1e-14);
    }
}
