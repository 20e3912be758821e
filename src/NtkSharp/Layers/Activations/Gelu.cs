using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Gelu: φ(x) = x·Φ(x), Φ the standard normal CDF (neural-tangents' <c>Gelu()</c>, exact form); closed-form
/// dual of <see cref="GeluDual"/> (Tsuchida et al. 2020).</summary>
public sealed record Gelu : Activation
{
    internal override ActivationSpec Spec => new(ActivationKind.Gelu);

    /// <inheritdoc />
    public override string Name => "Gelu";

    /// <inheritdoc />
    public override string ToString() => "Gelu()";
}

public static partial class Stax
{
    /// <summary>φ(x) = x·Φ(x) (neural-tangents' <c>Gelu</c>).</summary>
    public static Gelu Gelu() => new();
}

/// <summary>The device body of <see cref="Gelu"/> (math in <see cref="GeluDual"/>).</summary>
internal readonly struct GeluBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => GeluDual.Phi(x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => GeluDual.Derivative(x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => GeluDual.Dual(c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Gelu"/>.</summary>
internal sealed class GeluFamily : ActivationFamily<GeluBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Gelu;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => GeluDual.Mean(variance);
}
