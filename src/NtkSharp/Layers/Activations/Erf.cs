using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>φ(x) = a·erf(b·x) + c (neural-tangents' <c>Erf(a, b, c)</c>): the arcsine kernel (Williams 1997);
/// <c>Erf()</c> is erf itself.</summary>
/// <remarks>T = a²·(2/π)·arcsin(2b²c₁₂/√((1 + 2b²c₁₁)(1 + 2b²c₂₂))) + c², Ṫ = a²b²·4/(π·√(…)), computed as an atan2
/// (<see cref="ErfDual"/>). E[φ(u)] = c.</remarks>
public sealed record Erf : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Input scale.</param>
    /// <param name="c">Output shift.</param>
    public Erf(double a = 1.0, double b = 1.0, double c = 0.0)
    {
        LayerChecks.Finite(a, nameof(a));
        LayerChecks.Finite(b, nameof(b));
        LayerChecks.Finite(c, nameof(c));
        AScale = a;
        BScale = b;
        CShift = c;
    }

    /// <summary>The output scale a.</summary>
    public double AScale { get; }

    /// <summary>The input scale b.</summary>
    public double BScale { get; }

    /// <summary>The output shift c.</summary>
    public double CShift { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Erf, AScale, BScale, CShift);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [AScale, BScale, CShift];

    /// <inheritdoc />
    public override string Name => "Erf";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Erf", [], ("a", AScale, 1.0), ("b", BScale, 1.0), ("c", CShift, 0.0));
}

/// <summary>SigmoidLike: φ(x) = 0.5·erf(x/2.4020563531719796) + 0.5 (neural-tangents' <c>Sigmoid_like()</c>), i.e.
/// <c>Erf(a: 0.5, b: 1/2.4020563531719796, c: 0.5)</c> (<see cref="SigmoidLikeDual"/>).</summary>
public sealed record SigmoidLike : Activation
{
    internal override ActivationSpec Spec => new(ActivationKind.Erf, SigmoidLikeDual.A, SigmoidLikeDual.B, SigmoidLikeDual.C);

    /// <inheritdoc />
    public override string Name => "SigmoidLike";

    /// <inheritdoc />
    public override string ToString() => "SigmoidLike()";
}

public static partial class Stax
{
    /// <summary>φ(x) = erf(x) (the same as <c>Erf(1, 1, 0)</c>; this overload keeps <c>Stax.Erf</c> usable as a
    /// <c>Func&lt;Layer&gt;</c>).</summary>
    public static Erf Erf() => new();

    /// <summary>φ(x) = a·erf(b·x) + c (neural-tangents' <c>Erf</c>; <c>Erf()</c> is erf).</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Input scale.</param>
    /// <param name="c">Output shift.</param>
    public static Erf Erf(double a = 1.0, double b = 1.0, double c = 0.0) => new(a, b, c);

    /// <summary>φ(x) = 0.5·erf(x/2.4020563531719796) + 0.5 (neural-tangents' <c>Sigmoid_like</c>).</summary>
    public static SigmoidLike SigmoidLike() => new();
}

/// <summary>
/// φ(x) = a·erf(b·x) + c (P0 = a, P1 = b, P2 = c; Williams 1997): the formulas of <see cref="ErfDual"/>; the vector
/// body scales the covariances by b² and forms R² = (1 + 2b²c₁₁)(1 + 2b²c₂₂) − 4b⁴c₁₂² directly (its cancellation as
/// |ρ| → 1 is relative to 1 + 2b²(c₁₁ + c₂₂), harmless for T, ~ε·b⁴c² absolute in R² for Ṫ). The atan2 form keeps T
/// exact as |ρ| → 1.
/// </summary>
internal readonly struct ErfBody : IActivationBody, IActivationVectorBody
{
    /// <summary>erf itself (a = 1, b = 1, c = 0).</summary>
    public static readonly ActivationSpec Plain = new(ActivationKind.Erf, 1.0, 1.0, 0.0);

    private const double TwoOverPi = 0.63661977236758134307553505349006;
    private const double FourOverPi = 1.2732395447351626861510701069801;
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215;

    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => ErfDual.Phi(s.P0, s.P1, s.P2, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => ErfDual.Derivative(s.P0, s.P1, x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => ErfDual.Dual(s.P0, s.P1, s.P2, c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: the formulas of <see cref="Dual"/> lane by lane (vector atan2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double a2 = spec.P0 * spec.P0, b2 = spec.P1 * spec.P1, cc = spec.P2 * spec.P2;
        TV one = TOps.Broadcast(1.0), zero = TOps.Broadcast(0.0);
        TV two = TOps.Broadcast(2.0 * b2), four = TOps.Broadcast(4.0 * b2 * b2), twoB = TOps.Broadcast(2.0 * b2);
        TV vRow2 = TOps.Broadcast(1.0 + 2.0 * b2 * c22), vC2 = TOps.Broadcast(cc);
        TV vTwoOverPi = TOps.Broadcast(a2 * TwoOverPi), vFourOverPi = TOps.Broadcast(a2 * b2 * FourOverPi);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV row2 = c22PerEntry ? TOps.Add(one, TOps.Multiply(two, TOps.Load(ref c22, o))) : vRow2;
            TV d = TOps.Multiply(TOps.Add(one, TOps.Multiply(two, x11)), row2);
            TV r2 = TOps.Subtract(d, TOps.Multiply(TOps.Multiply(four, x12), x12));
            TV r = TOps.Select(TOps.GreaterThan(r2, zero), TOps.Sqrt(r2), zero);
            TV t = TOps.Add(TOps.Multiply(vTwoOverPi, VectorAtan2.Atan2<TOps, TV>(TOps.Multiply(twoB, x12), r)), vC2);
            TOps.Store(t, ref k, o);
            if (ntk)
                TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), TOps.Divide(vFourOverPi, r)), ref theta, o);
        }
        return end;
    }
}

/// <summary>The Erf family's CPU side: SIMD runs; E[φ(u)] = c; finite for every variance.</summary>
internal sealed class ErfFamily : VectorActivationFamily<ErfBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Erf;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => ErfDual.Mean(s.P2);
}
