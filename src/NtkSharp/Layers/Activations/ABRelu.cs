using System.Runtime.CompilerServices;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>φ(x) = max(x, 0): the arc-cosine kernel of degree 1 (Cho &amp; Saul 2009).</summary>
public sealed record Relu : Activation
{
    internal override ActivationSpec Spec => new(ActivationKind.ABRelu, 0.0, 1.0);

    /// <inheritdoc />
    public override string Name => "Relu";

    /// <inheritdoc />
    public override string ToString() => "Relu()";
}

/// <summary>φ(x) = x for x ≥ 0, α·x otherwise (ABRelu(α, 1)).</summary>
public sealed record LeakyRelu : Activation
{
    /// <summary>Creates the layer.</summary>
    public LeakyRelu(double alpha)
    {
        LayerChecks.Finite(alpha, nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double Alpha { get; }

    internal override ActivationSpec Spec => new(ActivationKind.ABRelu, Alpha, 1.0);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [Alpha];

    /// <inheritdoc />
    public override string Name => "LeakyRelu";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("LeakyRelu", [Alpha]);
}

/// <summary>φ(x) = a·min(x, 0) + b·max(x, 0) (neural-tangents' <c>ABRelu</c>).</summary>
/// <remarks>T = (a − b)²·(s + (π − θ)c₁₂)/(2π) + ab·c₁₂, Ṫ = (a − b)²·(π − θ)/(2π) + ab, with
/// s = √(c₁₁c₂₂ − c₁₂²), θ = atan2(s, c₁₂).</remarks>
public sealed record ABRelu : Activation
{
    /// <summary>Creates the layer.</summary>
    public ABRelu(double a, double b)
    {
        LayerChecks.Finite(a, nameof(a));
        LayerChecks.Finite(b, nameof(b));
        ASlope = a;
        BSlope = b;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double ASlope { get; }

    /// <summary>The slope for positive inputs.</summary>
    public double BSlope { get; }

    internal override ActivationSpec Spec => new(ActivationKind.ABRelu, ASlope, BSlope);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [ASlope, BSlope];

    /// <inheritdoc />
    public override string Name => "ABRelu";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("ABRelu", [ASlope, BSlope]);
}

/// <summary>φ(x) = |x| (ABRelu(−1, 1)).</summary>
public sealed record Abs : Activation
{
    internal override ActivationSpec Spec => new(ActivationKind.ABRelu, -1.0, 1.0);

    /// <inheritdoc />
    public override string Name => "Abs";

    /// <inheritdoc />
    public override string ToString() => "Abs()";
}

/// <summary>
/// The arc-cosine family φ(x) = a·min(x,0) + b·max(x,0) (P0 = a, P1 = b; Cho &amp; Saul 2009, neural-tangents'
/// <c>ABRelu</c>): with s = √(c₁₁c₂₂ − c₁₂²) and θ = atan2(s, c₁₂) ∈ [0, π],
/// T = (a − b)²·(s + (π − θ)c₁₂)/(2π) + ab·c₁₂ and Ṫ = (a − b)²·(π − θ)/(2π) + ab. φ′ takes the right slope b at 0.
/// </summary>
/// <remarks>atan2 of a directly computed sine rather than arccos of ρ, so the dual stays exact as |ρ| → 1; π − θ is
/// atan2(s, −c₁₂), not π minus θ, so Ṫ keeps its relative accuracy as ρ → −1. The angle comes from
/// <see cref="DeviceMath.Atan2"/> so the CPU and GPU engines agree to rounding.</remarks>
internal readonly struct ABReluBody : IActivationBody, IActivationVectorBody
{
    private const double InvTwoPi = 0.15915494309189533576888376337251;
    private const double SinSquaredFloor = 16 * 2.220446049250313e-16;

    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => x < 0.0 ? s.P0 * x : s.P1 * x;

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => x < 0.0 ? s.P0 : s.P1;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
    {
        double a = s.P0, b = s.P1;
        double s2 = c11 * c22 - c12 * c12;
        // s² below the rounding level of c₁₁c₂₂ − c₁₂² (inputs that differ by a few ulps, e.g. a diagonal entry whose
        // variance was summed in another order) is indistinguishable from 0: snap it, or θ ~ √ε ~ 1e-8 leaks into Ṫ.
        double sine = s2 > SinSquaredFloor * c11 * c22 ? Math.Sqrt(s2) : 0.0;
        // π − θ = atan2(s, −c₁₂) directly: no cancellation against π as ρ → −1.
        double piMinusTheta = DeviceMath.Atan2(sine, -c12);
        double amb = a - b;
        double amb2 = amb * amb;
        double ab = a * b;
        t = amb2 * (sine + piMinusTheta * c12) * InvTwoPi + ab * c12;
        tDot = amb2 * piMinusTheta * InvTwoPi + ab;
    }

    /// <summary>The vector body: the formulas of <see cref="Dual"/> lane by lane (vector atan2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double amb = spec.P0 - spec.P1;
        TV vAmb2 = TOps.Broadcast(amb * amb), vAb = TOps.Broadcast(spec.P0 * spec.P1), vC22 = TOps.Broadcast(c22);
        TV vInv2Pi = TOps.Broadcast(InvTwoPi), zero = TOps.Broadcast(0.0), vFloor = TOps.Broadcast(SinSquaredFloor);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
            TV s2 = TOps.Subtract(TOps.Multiply(x11, x22), TOps.Multiply(x12, x12));
            TV floor = TOps.Multiply(TOps.Multiply(vFloor, x11), x22);
            TV s = TOps.Select(TOps.GreaterThan(s2, floor), TOps.Sqrt(s2), zero);
            TV piMinusTheta = VectorAtan2.Atan2<TOps, TV>(s, TOps.Negate(x12));
            TV t = TOps.Add(
                TOps.Multiply(TOps.Multiply(vAmb2, TOps.Add(s, TOps.Multiply(piMinusTheta, x12))), vInv2Pi),
                TOps.Multiply(vAb, x12));
            TOps.Store(t, ref k, o);
            if (ntk)
            {
                TV td = TOps.Add(TOps.Multiply(TOps.Multiply(vAmb2, piMinusTheta), vInv2Pi), vAb);
                TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), td), ref theta, o);
            }
        }
        return end;
    }
}

/// <summary>The ABRelu family's CPU side: SIMD runs; E[φ(u)] = (b − a)·√(σ²/(2π)); finite for every variance.</summary>
internal sealed class ABReluFamily : VectorActivationFamily<ABReluBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.ABRelu;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => (s.P1 - s.P0) * Math.Sqrt(variance / (2.0 * Math.PI));
}
