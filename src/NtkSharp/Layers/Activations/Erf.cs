using System.Runtime.CompilerServices;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>φ(x) = erf(x): the arcsine kernel (Williams 1997).</summary>
/// <remarks>T = (2/π)·arcsin(2c₁₂/√((1 + 2c₁₁)(1 + 2c₂₂))), computed as an atan2.</remarks>
public sealed record Erf : Activation
{
    internal override ActivationSpec Spec => new(ActivationKind.Erf);

    /// <inheritdoc />
    public override string Name => "Erf";

    /// <inheritdoc />
    public override string ToString() => "Erf()";
}

/// <summary>
/// φ(x) = erf(x) (Williams 1997): with D = (1 + 2c₁₁)(1 + 2c₂₂), T = (2/π)·atan2(2c₁₂, √(D − 4c₁₂²)) and
/// Ṫ = 4/(π·√(D − 4c₁₂²)); φ′(x) = 2/√π·e^(−x²). The atan2 form keeps T exact as |ρ| → 1.
/// </summary>
internal readonly struct ErfBody : IActivationBody, IActivationVectorBody
{
    private const double TwoOverPi = 0.63661977236758134307553505349006;
    private const double FourOverPi = 1.2732395447351626861510701069801;
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215;

    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => DeviceMath.Erf(x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => TwoOverSqrtPi * DeviceMath.Exp(-x * x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
    {
        double d = (1.0 + 2.0 * c11) * (1.0 + 2.0 * c22);
        double r2 = d - 4.0 * c12 * c12;
        double r = r2 > 0.0 ? Math.Sqrt(r2) : 0.0;
        t = TwoOverPi * DeviceMath.Atan2(2.0 * c12, r);
        tDot = FourOverPi / r;
    }

    /// <summary>The vector body: the formulas of <see cref="Dual"/> lane by lane (vector atan2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        TV one = TOps.Broadcast(1.0), two = TOps.Broadcast(2.0), four = TOps.Broadcast(4.0), zero = TOps.Broadcast(0.0);
        TV vRow2 = TOps.Broadcast(1.0 + 2.0 * c22);
        TV vTwoOverPi = TOps.Broadcast(TwoOverPi), vFourOverPi = TOps.Broadcast(FourOverPi);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV row2 = c22PerEntry ? TOps.Add(one, TOps.Multiply(two, TOps.Load(ref c22, o))) : vRow2;
            TV d = TOps.Multiply(TOps.Add(one, TOps.Multiply(two, x11)), row2);
            TV r2 = TOps.Subtract(d, TOps.Multiply(TOps.Multiply(four, x12), x12));
            TV r = TOps.Select(TOps.GreaterThan(r2, zero), TOps.Sqrt(r2), zero);
            TV t = TOps.Multiply(vTwoOverPi, VectorAtan2.Atan2<TOps, TV>(TOps.Multiply(two, x12), r));
            TOps.Store(t, ref k, o);
            if (ntk)
                TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), TOps.Divide(vFourOverPi, r)), ref theta, o);
        }
        return end;
    }
}

/// <summary>The Erf family's CPU side: SIMD runs; E[erf(u)] = 0 (odd φ); finite for every variance.</summary>
internal sealed class ErfFamily : VectorActivationFamily<ErfBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Erf;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => 0.0;
}
