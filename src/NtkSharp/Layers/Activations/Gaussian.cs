using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Gaussian: φ(x) = a·exp(b·x²) (neural-tangents' <c>Gaussian(a, b)</c>); closed-form dual of
/// <see cref="GaussianDual"/>.</summary>
/// <remarks>For b &gt; 0 the expectations diverge at input variance 1/(4b): every engine raises an error naming the layer and the variance (<see cref="ActivationFamily.MaxVariance"/>).</remarks>
public sealed record Gaussian : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public Gaussian(double a = 2.0, double b = -1.0)
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

    internal override ActivationSpec Spec => new(ActivationKind.Gaussian, AScale, BScale);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [AScale, BScale];

    /// <inheritdoc />
    public override string Name => "Gaussian";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Gaussian", [], ("a", AScale, 2.0), ("b", BScale, -1.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = a·exp(b·x²) (neural-tangents' <c>Gaussian</c>).</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public static Gaussian Gaussian(double a = 2.0, double b = -1.0) => new(a, b);
}

/// <summary>The device body of <see cref="Gaussian"/> (math in <see cref="GaussianDual"/>).</summary>
internal readonly struct GaussianBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => GaussianDual.Phi(s.P0, s.P1, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => GaussianDual.Derivative(s.P0, s.P1, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => GaussianDual.Dual(s.P0, s.P1, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Gaussian"/>.</summary>
internal sealed class GaussianFamily : ActivationFamily<GaussianBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Gaussian;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => GaussianDual.Mean(s.P0, s.P1, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => GaussianDual.MaxVariance(s.P1);
}
