using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Exp: φ(x) = a·exp(b·x) (neural-tangents' <c>Exp(a, b)</c>); closed-form dual of
/// <see cref="ExpDual"/>.</summary>
/// <remarks>T = a²·exp(b²(c₁₁ + c₂₂ + 2c₁₂)/2) overflows double precision once b²·variance nears 354: the engines raise an error naming the layer and the variance instead.</remarks>
public sealed record Exp : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public Exp(double a = 1.0, double b = 1.0)
    {
        LayerChecks.Finite(a, nameof(a));
        LayerChecks.Finite(b, nameof(b));
        AScale = a;
        BScale = b;
    }

    /// <summary>The output scale a.</summary>
    public double AScale { get; }

    /// <summary>The exponent scale b.</summary>
    public double BScale { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Exp, AScale, BScale);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [AScale, BScale];

    /// <inheritdoc />
    public override string Name => "Exp";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Exp", [], ("a", AScale, 1.0), ("b", BScale, 1.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = a·exp(b·x) (neural-tangents' <c>Exp</c>).</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public static Exp Exp(double a = 1.0, double b = 1.0) => new(a, b);
}

/// <summary>The device body of <see cref="Exp"/> (math in <see cref="ExpDual"/>).</summary>
internal readonly struct ExpBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => ExpDual.Phi(s.P0, s.P1, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => ExpDual.Derivative(s.P0, s.P1, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => ExpDual.Dual(s.P0, s.P1, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Exp"/>.</summary>
internal sealed class ExpFamily : ActivationFamily<ExpBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Exp;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => ExpDual.Mean(s.P0, s.P1, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => ExpDual.MaxVariance(s.P0, s.P1);
}
