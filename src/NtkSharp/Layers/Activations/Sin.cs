using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Sin: φ(x) = a·sin(b·x + c) (neural-tangents' <c>Sin(a, b, c)</c>); closed-form dual of
/// <see cref="SinDual"/>.</summary>
/// <remarks>P0 = a, P1 = b, P2 = c, P3 = sin c, P4 = cos c (the phase enters the dual only through them).</remarks>
public sealed record Sin : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Input scale.</param>
    /// <param name="c">Input phase shift.</param>
    public Sin(double a = 1.0, double b = 1.0, double c = 0.0)
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

    internal override ActivationSpec Spec => new(ActivationKind.Sin, AScale, BScale, Phase, Math.Sin(Phase), Math.Cos(Phase));

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [AScale, BScale, Phase];

    /// <inheritdoc />
    public override string Name => "Sin";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Sin", [], ("a", AScale, 1.0), ("b", BScale, 1.0), ("c", Phase, 0.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = a·sin(b·x + c) (neural-tangents' <c>Sin</c>).</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Input scale.</param>
    /// <param name="c">Input phase shift.</param>
    public static Sin Sin(double a = 1.0, double b = 1.0, double c = 0.0) => new(a, b, c);
}

/// <summary>The device body of <see cref="Sin"/> (math in <see cref="SinDual"/>).</summary>
internal readonly struct SinBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => SinDual.Phi(s.P0, s.P1, s.P2, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => SinDual.Derivative(s.P0, s.P1, s.P2, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => SinDual.Dual(s.P0, s.P1, s.P3, s.P4, c11, c12, c22, out t, out tDot);
}

/// <summary>The CPU side of <see cref="Sin"/>.</summary>
internal sealed class SinFamily : ActivationFamily<SinBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Sin;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => SinDual.Mean(s.P0, s.P1, s.P3, variance);
}
