using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Monomial: φ(x) = xⁿ (neural-tangents' <c>Monomial(degree)</c>); closed-form dual of <see cref="MonomialDual"/>.</summary>
/// <remarks>Degree 0 is the constant 1. The expectations overflow double precision beyond <see cref="MonomialDual.MaxVariance"/>; the engines raise an error naming the layer and the variance.</remarks>
public sealed record Monomial : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ MonomialDual.MaxDegree.</param>
    public Monomial(int degree = 2)
    {
        if (degree is < 0 or > MonomialDual.MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "Monomial's degree must lie in [0, MonomialDual.MaxDegree].");
        Degree = degree;
    }

    /// <summary>The degree n.</summary>
    public int Degree { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Monomial, N: Degree);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [Degree];

    /// <inheritdoc />
    public override string Name => "Monomial";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Monomial", [], ("degree", Degree, 2));
}

public static partial class Stax
{
    /// <summary>φ(x) = xⁿ (neural-tangents' <c>Monomial(degree)</c>).</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ MonomialDual.MaxDegree.</param>
    public static Monomial Monomial(int degree = 2) => new(degree);
}

/// <summary>The device body of <see cref="Monomial"/> (math in <see cref="MonomialDual"/>).</summary>
internal readonly struct MonomialBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => MonomialDual.Phi(s.N, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => MonomialDual.Derivative(s.N, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => MonomialDual.Dual(s.N, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Monomial"/>.</summary>
internal sealed class MonomialFamily : ActivationFamily<MonomialBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Monomial;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => MonomialDual.Mean(s.N, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => MonomialDual.MaxVariance(s.N);
}
