using NtkSharp.Layers;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>Every catalogue layer, in the architecture text of issue 12 and as objects.</summary>
internal static class CatalogueLayers
{
    /// <summary>The issue's syntax (defaults spelled out) and the layer it must build.</summary>
    public static readonly (string Text, Activation Layer)[] IssueSyntax =
    [
        ("Gelu()", new Gelu()),
        ("Erf(a: 1, b: 1, c: 0)", new Erf()),
        ("Sin(a: 1, b: 1, c: 0)", new Sin(1, 1, 0)),
        ("Cos(a: 1, b: 1, c: 0)", new Cos(1, 1, 0)),
        ("Rbf(gamma: 1)", new Rbf(1)),
        ("Gaussian(a: 2, b: -1)", new Gaussian(2, -1)),
        ("Exp(a: 1, b: 1)", new Exp(1, 1)),
        ("SigmoidLike()", new SigmoidLike()),
        ("Monomial(degree: 2)", new Monomial(2)),
        ("RectifiedMonomial(degree: 2)", new RectifiedMonomial(2)),
        ("Polynomial(coefficients: [1, 2, 3])", new Polynomial(1, 2, 3)),
        ("Hermite(degree: 3)", new Hermite(3)),
        ("Tanh()", new Tanh()),
        ("Sigmoid()", new Sigmoid()),
        ("Softplus()", new Softplus()),
        ("Silu()", new Silu()),
    ];

    /// <summary>Non-default parameters of every layer with a closed-form dual.</summary>
    public static readonly Activation[] Device =
    [
        new Gelu(), new Erf(0.8, 1.5, 0.3), new SigmoidLike(), new Sin(1.2, 0.9, 0.4), new Cos(0.7, 1.3, -0.2), new Rbf(0.6),
        new Gaussian(2, -1), new Gaussian(1, 0.1), new Exp(0.5, 0.6), new Monomial(3), new RectifiedMonomial(0),
        new RectifiedMonomial(2), new Polynomial(0.2, -0.5, 0.3), new Hermite(3),
    ];

    /// <summary>The quadrature layers (Mehler series with quadrature coefficients, on both engines).</summary>
    public static readonly Activation[] Quadrature = [new Tanh(), new Sigmoid(), new Softplus(), new Silu()];
}
