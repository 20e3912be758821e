using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Cos: φ(x) = a·cos(b·x + c) (neural-tangents' <c>Cos(a, b, c)</c>); closed-form dual of
/// <see cref="SinDual"/>.</summary>
/// <remarks>As neural-tangents defines it, Cos(a, b, c) = Sin(a, b, c + π/2): the layer emits <see cref="Sin"/>'s spec
/// with the phase c + π/2 and its sine and cosine taken exactly (sin(c + π/2) = cos c, cos(c + π/2) = −sin c), so the
/// dual and the first moment carry no rounding of π/2.</remarks>
public sealed record Cos : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Input scale.</param>
    /// <param name="c">Input phase shift.</param>
    public Cos(double a = 1.0, double b = 1.0, double c = 0.0)
    {
        LayerChecks.Finite(a, nameof(a));
        LayerChecks.Finite(b, nameof(b));
        LayerChecks.Finite(c, nameof(c));
        AScale = a;
        BScale = b;
        Phase = c;
    }

    /// <summary>The output scale a.</summary>
    public double AScale { get; }

    /// <summary>The input scale b.</summary>
    public double BScale { get; }

    /// <summary>The phase c.</summary>
    public double Phase { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Sin, AScale, BScale, Phase + Math.PI / 2, Math.Cos(Phase), -Math.Sin(Phase));

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [AScale, BScale, Phase];

    /// <inheritdoc />
    public override string Name => "Cos";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Cos", [], ("a", AScale, 1.0), ("b", BScale, 1.0), ("c", Phase, 0.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = a·cos(b·x + c) (neural-tangents' <c>Cos</c>).</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Input scale.</param>
    /// <param name="c">Input phase shift.</param>
    public static Cos Cos(double a = 1.0, double b = 1.0, double c = 0.0) => new(a, b, c);
}
