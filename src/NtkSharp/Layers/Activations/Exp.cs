using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Exp: φ(x) = a·exp(b·x) (neural-tangents' <c>Exp(a, b)</c>); closed-form dual of
/// <see cref="ExpDual"/>.</summary>
/// <remarks>T = a²·exp(b²(c₁₁ + c₂₂ + 2c₁₂)/2) overflows double precision once b²·variance nears 354: the engines raise an error naming the layer and the variance instead.</remarks>
public sealed record Exp : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public Exp(double a = 1.0, double b = 1.0)
    {
        LayerChecks.Finite(a, nameof(a));
        LayerChecks.Finite(b, nameof(b));
        AScale = a;
        BScale = b;
    }

    /// <summary>The output scale a.</summary>
    public double AScale { get; }

    /// <summary>The exponent scale b.</summary>
    public double BScale { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Exp, AScale, BScale);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [AScale, BScale];

    /// <inheritdoc />
    public override string Name => "Exp";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Exp", [], ("a", AScale, 1.0), ("b", BScale, 1.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = a·exp(b·x) (neural-tangents' <c>Exp</c>).</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public static Exp Exp(double a = 1.0, double b = 1.0) => new(a, b);
}

/// <summary>The device body of <see cref="Exp"/> (math in <see cref="ExpDual"/>) and its SIMD run body (the same
/// formulas lane by lane).</summary>
internal readonly struct ExpBody : IActivationBody, IActivationVectorBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => ExpDual.Phi(s.P0, s.P1, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => ExpDual.Derivative(s.P0, s.P1, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => ExpDual.Dual(s.P0, s.P1, c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: T = a²·e^(b²(c₁₁ + c₂₂ + 2c₁₂)/2), Ṫ = b²T, as <see cref="ExpDual.Dual"/> (vector exp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double a = spec.P0, b2 = spec.P1 * spec.P1;
        TV vA2 = TOps.Broadcast(a * a), vB2 = TOps.Broadcast(b2), halfB2 = TOps.Broadcast(0.5 * b2), two = TOps.Broadcast(2.0);
        TV vC22 = TOps.Broadcast(c22);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
            TV t = TOps.Multiply(vA2, VectorDualMath.Exp<TOps, TV>(TOps.Multiply(halfB2, TOps.Add(TOps.Add(x11, x22), TOps.Multiply(two, x12)))));
            TV td = TOps.Multiply(vB2, t);
            TOps.Store(t, ref k, o);
            if (ntk) TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), td), ref theta, o);
        }
        return end;
    }
}

/// <summary>The CPU side of <see cref="Exp"/>: SIMD runs.</summary>
internal sealed class ExpFamily : VectorActivationFamily<ExpBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Exp;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => ExpDual.Mean(s.P0, s.P1, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => ExpDual.MaxVariance(s.P0, s.P1);
}
