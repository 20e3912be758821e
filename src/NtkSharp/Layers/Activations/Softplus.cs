using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Softplus: φ(x) = ln(1 + eˣ) (neural-tangents: <c>ElementwiseNumerical(jax.nn.softplus)</c>). No closed-form dual: T and Ṫ by
/// <see cref="QuadratureDual"/> (Mehler series of 128 Hermite terms with quadrature coefficients, direct 2-D
/// quadrature where the series' error bound fails), to ≤ 1e-8. Runs on the CPU and GPU engines (on the device the
/// coefficients are computed per example in the self pass; see docs/layers.md).</summary>
public sealed record Softplus : Activation
{
    internal static readonly QuadratureFamily<SoftplusFunction> Quadrature = new(ActivationKind.Softplus, default);

    internal override ActivationSpec Spec => new(ActivationKind.Softplus);

    /// <inheritdoc />
    public override string Name => "Softplus";

    /// <inheritdoc />
    public override string ToString() => "Softplus()";
}

public static partial class Stax
{
    /// <summary>φ(x) = ln(1 + eˣ); dual by quadrature (CPU and GPU engines).</summary>
    public static Softplus Softplus() => new();
}
