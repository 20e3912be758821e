using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Sigmoid: φ(x) = 1/(1 + e^(−x)) (the logistic function) (neural-tangents: <c>ElementwiseNumerical(jax.nn.sigmoid)</c>). No closed-form dual: T and Ṫ by
/// <see cref="QuadratureDual"/> (Mehler series of 128 Hermite terms with quadrature coefficients, direct 2-D
/// quadrature where the series' error bound fails), to ≤ 1e-8. Runs on the CPU and GPU engines (on the device the
/// coefficients are computed per example in the self pass; see docs/layers.md).</summary>
public sealed record Sigmoid : Activation
{
    internal static readonly QuadratureFamily<SigmoidFunction> Quadrature = new(ActivationKind.Sigmoid, default);

    internal override ActivationSpec Spec => new(ActivationKind.Sigmoid);

    /// <inheritdoc />
    public override string Name => "Sigmoid";

    /// <inheritdoc />
    public override string ToString() => "Sigmoid()";
}

public static partial class Stax
{
    /// <summary>φ(x) = 1/(1 + e^(−x)) (the logistic function); dual by quadrature (CPU and GPU engines).</summary>
    public static Sigmoid Sigmoid() => new();
}
