using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>RectifiedMonomial: φ(x) = max(x, 0)ⁿ (neural-tangents' <c>RectifiedMonomial(degree)</c>); closed-form dual of <see cref="RectifiedMonomialDual"/>.</summary>
/// <remarks>The arc-cosine kernel of degree n (Cho and Saul 2009). Degree 0 is the Heaviside step with φ(0) = 0 (φ = 1 for x &gt; 0 only); degree 1 is ReLU; φ′(0) = 0.</remarks>
public sealed record RectifiedMonomial : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ RectifiedMonomialDual.MaxDegree.</param>
    public RectifiedMonomial(int degree = 2)
    {
        if (degree is < 0 or > RectifiedMonomialDual.MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "RectifiedMonomial's degree must lie in [0, RectifiedMonomialDual.MaxDegree].");
        Degree = degree;
    }

    /// <summary>The degree n.</summary>
    public int Degree { get; }

    internal override ActivationSpec Spec => new(ActivationKind.RectifiedMonomial, N: Degree);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [Degree];

    /// <inheritdoc />
    public override string Name => "RectifiedMonomial";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("RectifiedMonomial", [], ("degree", Degree, 2));
}

public static partial class Stax
{
    /// <summary>φ(x) = max(x, 0)ⁿ (neural-tangents' <c>RectifiedMonomial(degree)</c>).</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ RectifiedMonomialDual.MaxDegree.</param>
    public static RectifiedMonomial RectifiedMonomial(int degree = 2) => new(degree);
}

/// <summary>The device body of <see cref="RectifiedMonomial"/> (math in <see cref="RectifiedMonomialDual"/>).</summary>
internal readonly struct RectifiedMonomialBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => RectifiedMonomialDual.Phi(s.N, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => RectifiedMonomialDual.Derivative(s.N, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => RectifiedMonomialDual.Dual(s.N, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="RectifiedMonomial"/>.</summary>
internal sealed class RectifiedMonomialFamily : ActivationFamily<RectifiedMonomialBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.RectifiedMonomial;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => RectifiedMonomialDual.Mean(s.N, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => RectifiedMonomialDual.MaxVariance(s.N);
}
