using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Gelu: φ(x) = x·Φ(x), Φ the standard normal CDF (neural-tangents' <c>Gelu()</c>, exact form); closed-form
/// dual of <see cref="GeluDual"/> (Tsuchida et al. 2020).</summary>
public sealed record Gelu : Activation
{
    internal override ActivationSpec Spec => new(ActivationKind.Gelu);

    /// <inheritdoc />
    public override string Name => "Gelu";

    /// <inheritdoc />
    public override string ToString() => "Gelu()";
}

public static partial class Stax
{
    /// <summary>φ(x) = x·Φ(x) (neural-tangents' <c>Gelu</c>).</summary>
    public static Gelu Gelu() => new();
}

/// <summary>The device body of <see cref="Gelu"/> (math in <see cref="GeluDual"/>) and its SIMD run body: the same
/// formulas lane by lane, with the vector atan2 and the determinant's product errors from fused multiply-adds.</summary>
internal readonly struct GeluBody : IActivationBody, IActivationVectorBody
{
    private const double TwoOverPi = 0.63661977236758134307553505349006;

    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => GeluDual.Phi(x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => GeluDual.Derivative(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => GeluDual.Dual(c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: <see cref="GeluDual.Dual"/> operation for operation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        TV one = TOps.Broadcast(1.0), quarter = TOps.Broadcast(0.25), twoOverPi = TOps.Broadcast(TwoOverPi);
        TV vC22 = TOps.Broadcast(c22);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
            TV p1 = TOps.Add(one, x11), p2 = TOps.Add(one, x22);
            TV delta2 = TOps.Add(TOps.Add(p1, x22), VectorDualMath.Det<TOps, TV>(x11, x12, x22));
            TV delta = TOps.Sqrt(delta2);
            TV q = TOps.Multiply(twoOverPi, VectorAtan2.Atan2<TOps, TV>(x12, delta));
            TV invP = TOps.Divide(one, TOps.Multiply(p1, p2)), invDelta3 = TOps.Divide(one, TOps.Multiply(delta2, delta));
            TV p = TOps.Multiply(TOps.Multiply(twoOverPi, delta2), invDelta3);
            TV prod = TOps.Multiply(x11, x22);
            TV inner = TOps.Add(prod, TOps.Multiply(TOps.Multiply(TOps.Multiply(x12, x12), TOps.Subtract(one, prod)), invP));
            TV t = TOps.Multiply(quarter, TOps.Add(TOps.Add(x12, TOps.Multiply(x12, q)), TOps.Multiply(p, inner)));
            TOps.Store(t, ref k, o);
            if (ntk)
            {
                TV sum = TOps.Add(TOps.Multiply(TOps.Add(p1, p2), invP), TOps.Multiply(delta, invDelta3));
                TV td = TOps.Multiply(quarter, TOps.Add(TOps.Add(one, q), TOps.Multiply(TOps.Multiply(x12, p), sum)));
                TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), td), ref theta, o);
            }
        }
        return end;
    }
}

/// <summary>The CPU side of <see cref="Gelu"/>: SIMD runs; E[φ(u)] = c₁₁/√(2π(1 + c₁₁)); finite for every variance.</summary>
internal sealed class GeluFamily : VectorActivationFamily<GeluBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Gelu;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => GeluDual.Mean(variance);
}
