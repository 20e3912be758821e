using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Tanh: φ(x) = tanh x (neural-tangents: <c>ElementwiseNumerical(np.tanh)</c>). No closed-form dual: T and Ṫ by
/// <see cref="QuadratureDual"/> (Mehler series of 128 Hermite terms with quadrature coefficients, direct 2-D
/// quadrature where the series' error bound fails), to ≤ 1e-8. Runs on the CPU and GPU engines (on the device the
/// coefficients are computed per example in the self pass; see docs/layers.md).</summary>
public sealed record Tanh : Activation
{
    internal static readonly QuadratureFamily<TanhFunction> Quadrature = new(ActivationKind.Tanh, default);

    internal override ActivationSpec Spec => new(ActivationKind.Tanh);

    /// <inheritdoc />
    public override string Name => "Tanh";

    /// <inheritdoc />
    public override string ToString() => "Tanh()";
}

public static partial class Stax
{
    /// <summary>φ(x) = tanh x; dual by quadrature (CPU and GPU engines).</summary>
    public static Tanh Tanh() => new();
}
