using System.Runtime.CompilerServices;
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

/// <summary>The device body of <see cref="Sin"/> (math in <see cref="SinDual"/>, shared by <see cref="Cos"/>) and its
/// SIMD run body: the formulas of <see cref="SinusoidDual"/> lane by lane with the vector exp, both sinh branches
/// formed and the one the scalar form takes selected per lane.</summary>
internal readonly struct SinBody : IActivationBody, IActivationVectorBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => SinDual.Phi(s.P0, s.P1, s.P2, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => SinDual.Derivative(s.P0, s.P1, s.P2, x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => SinDual.Dual(s.P0, s.P1, s.P3, s.P4, c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: with S/2 = b²(c₁₁ + c₂₂)/2 and x = b²c₁₂, e^(−S/2)·sinh x is sinh x·e^(−S/2) for
    /// |x| &lt; 1/2 and (e^(x − S/2) − e^(−x − S/2))/2 beyond; T = a²(that + e^(−S/2 − x)·sin²c), Ṫ = a²b²(that +
    /// e^(−S/2 − x)·cos²c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double a2 = spec.P0 * spec.P0, b2 = spec.P1 * spec.P1;
        TV vB2 = TOps.Broadcast(b2), vHalfB2 = TOps.Broadcast(0.5 * b2), half = TOps.Broadcast(0.5), small = TOps.Broadcast(0.5);
        TV vA2 = TOps.Broadcast(a2), vA2B2 = TOps.Broadcast(a2 * b2);
        TV sinSq = TOps.Broadcast(spec.P3 * spec.P3), cosSq = TOps.Broadcast(spec.P4 * spec.P4), vC22 = TOps.Broadcast(c22);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
            TV halfS = TOps.Multiply(vHalfB2, TOps.Add(x11, x22)), x = TOps.Multiply(vB2, x12);
            TV negHalfS = TOps.Negate(halfS);
            TV e = VectorDualMath.Exp<TOps, TV>(TOps.Subtract(negHalfS, x));
            TV near = TOps.Multiply(VectorDualMath.SinhSmall<TOps, TV>(x), VectorDualMath.Exp<TOps, TV>(negHalfS));
            TV far = TOps.Multiply(half, TOps.Subtract(VectorDualMath.Exp<TOps, TV>(TOps.Subtract(x, halfS)), e));
            TV sh = TOps.Select(TOps.GreaterThan(small, TOps.Abs(x)), near, far);
            TOps.Store(TOps.Multiply(vA2, TOps.Add(sh, TOps.Multiply(e, sinSq))), ref k, o);
            if (ntk)
                TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), TOps.Multiply(vA2B2, TOps.Add(sh, TOps.Multiply(e, cosSq)))), ref theta, o);
        }
        return end;
    }
}

/// <summary>The CPU side of <see cref="Sin"/> (and of <see cref="Cos"/>, its phase shifted by π/2): SIMD runs.</summary>
internal sealed class SinFamily : VectorActivationFamily<SinBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Sin;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => SinDual.Mean(s.P0, s.P1, s.P3, variance);
}
