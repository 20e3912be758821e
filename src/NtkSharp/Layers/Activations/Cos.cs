using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Cos: φ(x) = a·cos(b·x + c) (neural-tangents' <c>Cos(a, b, c)</c>); closed-form dual of
/// <see cref="CosDual"/>.</summary>
/// <remarks>P0 = a, P1 = b, P2 = c, P3 = sin c, P4 = cos c; neural-tangents defines it as Sin(a, b, c + π/2).</remarks>
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

    internal override ActivationSpec Spec => new(ActivationKind.Cos, AScale, BScale, Phase, Math.Sin(Phase), Math.Cos(Phase));

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

/// <summary>The device body of <see cref="Cos"/> (math in <see cref="CosDual"/>).</summary>
internal readonly struct CosBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => CosDual.Phi(s.P0, s.P1, s.P2, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => CosDual.Derivative(s.P0, s.P1, s.P2, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => CosDual.Dual(s.P0, s.P1, s.P3, s.P4, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Cos"/>.</summary>
internal sealed class CosFamily : ActivationFamily<CosBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Cos;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => CosDual.Mean(s.P0, s.P1, s.P4, variance);
}
