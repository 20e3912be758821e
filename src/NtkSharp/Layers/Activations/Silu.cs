using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Silu: φ(x) = x/(1 + e^(−x)) (swish) (neural-tangents: <c>ElementwiseNumerical(jax.nn.silu)</c>). No closed-form dual: T and Ṫ by
/// <see cref="QuadratureDual"/> (Mehler series of 128 Hermite terms with quadrature coefficients, direct 2-D
/// quadrature where the series' error bound fails), to ≤ 1e-8. Runs on the CPU and GPU engines (on the device the
/// coefficients are computed per example in the self pass; see docs/layers.md).</summary>
public sealed record Silu : Activation
{
    internal static readonly QuadratureFamily<SiluFunction> Quadrature = new(ActivationKind.Silu, default);

    internal override ActivationSpec Spec => new(ActivationKind.Silu);

    /// <inheritdoc />
    public override string Name => "Silu";

    /// <inheritdoc />
    public override string ToString() => "Silu()";
}

public static partial class Stax
{
    /// <summary>φ(x) = x/(1 + e^(−x)) (swish); dual by quadrature (CPU and GPU engines).</summary>
    public static Silu Silu() => new();
}
