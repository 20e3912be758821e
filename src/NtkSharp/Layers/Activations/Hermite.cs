using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Hermite: φ(x) = Heₙ(x)/√(n!), the normalised probabilists' Hermite polynomial (neural-tangents' <c>Hermite(degree)</c>); closed-form dual of <see cref="HermiteDual"/>.</summary>
/// <remarks>Exact for every input variance (neural-tangents assumes unit variance, where T = c₁₂ⁿ).</remarks>
public sealed record Hermite : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ MonomialDual.MaxDegree.</param>
    public Hermite(int degree)
    {
        if (degree is < 0 or > MonomialDual.MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "Hermite's degree must lie in [0, MonomialDual.MaxDegree].");
        Degree = degree;
    }

    /// <summary>The degree n.</summary>
    public int Degree { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Hermite, N: Degree);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [Degree];

    /// <inheritdoc />
    public override string Name => "Hermite";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Hermite", [Degree]);
}

public static partial class Stax
{
    /// <summary>φ(x) = Heₙ(x)/√(n!), the normalised probabilists' Hermite polynomial (neural-tangents' <c>Hermite(degree)</c>).</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ MonomialDual.MaxDegree.</param>
    public static Hermite Hermite(int degree) => new(degree);
}

/// <summary>The device body of <see cref="Hermite"/> (math in <see cref="HermiteDual"/>).</summary>
internal readonly struct HermiteBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => HermiteDual.Phi(s.N, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => HermiteDual.Derivative(s.N, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => HermiteDual.Dual(s.N, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Hermite"/>.</summary>
internal sealed class HermiteFamily : ActivationFamily<HermiteBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Hermite;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => HermiteDual.Mean(s.N, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => HermiteDual.MaxVariance(s.N);
}
