using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Tanh: φ(x) = tanh x (neural-tangents: <c>ElementwiseNumerical(np.tanh)</c>). No closed-form dual: T and Ṫ by
/// <see cref="QuadratureDual"/> (Mehler series of 128 Hermite terms with quadrature coefficients, direct 2-D
/// quadrature where the series' error bound fails), to ≤ 1e-8. CPU engine only (no device body).</summary>
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
    /// <summary>φ(x) = tanh x; dual by quadrature (CPU engine only).</summary>
    public static Tanh Tanh() => new();
}
