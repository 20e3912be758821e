using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Rbf: φ(x) = √2·sin(√(2γ)·x + π/4) (neural-tangents' <c>Rbf(gamma)</c>), whose NNGP kernel is the
/// squared exponential exp(−γ·E[(u − v)²]) (<see cref="RbfDual"/>); γ = 1/(2ℓ²) for the length scale ℓ.</summary>
public sealed record Rbf : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="gamma">The inverse squared length scale γ ≥ 0.</param>
    public Rbf(double gamma = 1.0)
    {
        LayerChecks.Finite(gamma, nameof(gamma));
        if (gamma < 0) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Rbf's gamma must be ≥ 0.");
        Gamma = gamma;
    }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Rbf, Gamma);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [Gamma];

    /// <inheritdoc />
    public override string Name => "Rbf";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Rbf", [], ("gamma", Gamma, 1.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = √2·sin(√(2γ)·x + π/4) (neural-tangents' <c>Rbf</c>).</summary>
    /// <param name="gamma">The inverse squared length scale γ ≥ 0.</param>
    public static Rbf Rbf(double gamma = 1.0) => new(gamma);
}

/// <summary>The device body of <see cref="Rbf"/> (math in <see cref="RbfDual"/>).</summary>
internal readonly struct RbfBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => RbfDual.Phi(s.P0, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => RbfDual.Derivative(s.P0, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => RbfDual.Dual(s.P0, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Rbf"/>.</summary>
internal sealed class RbfFamily : ActivationFamily<RbfBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Rbf;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => RbfDual.Mean(s.P0, variance);
}
