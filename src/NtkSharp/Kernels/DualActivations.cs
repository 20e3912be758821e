using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

/// <summary>
/// The per-entry math of every nonlinearity: for a centred Gaussian pair (u, v) with
/// Var u = c₁₁, Cov(u, v) = c₁₂, Var v = c₂₂, the dual T = E[φ(u)φ(v)] and the derivative dual
/// Ṫ = E[φ'(u)φ'(v)]. These static, allocation-free methods are the single definition shared by the
/// CPU engine, the GPU (ILGPU) kernels and the tests.
/// </summary>
/// <remarks>
/// <para>Arc-cosine family (Cho &amp; Saul 2009; neural-tangents' <c>ABRelu</c>): with
/// φ(x) = a·min(x,0) + b·max(x,0), s = √(c₁₁c₂₂ − c₁₂²) and θ = atan2(s, c₁₂) ∈ [0, π],
/// T = (a − b)²·(s + (π − θ)c₁₂)/(2π) + ab·c₁₂ and Ṫ = (a − b)²·(π − θ)/(2π) + ab.</para>
/// <para>Erf (Williams 1997): with D = (1 + 2c₁₁)(1 + 2c₂₂),
/// T = (2/π)·atan2(2c₁₂, √(D − 4c₁₂²)) and Ṫ = 4/(π·√(D − 4c₁₂²)).</para>
/// <para>Both use atan2 of a directly computed sine rather than arccos/arcsin of a correlation ρ,
/// so they stay exact as |ρ| → 1 (arccos has an infinite derivative there and loses half the digits);
/// π − θ is evaluated as atan2(s, −c₁₂), not as π minus θ, so Ṫ keeps its relative accuracy as ρ → −1.
/// The angle comes from <see cref="DeviceMath.Atan2"/> (fdlibm's algorithm in plain arithmetic) so that the same code
/// compiles into ILGPU kernels, CUDA included, and the CPU and GPU engines agree to rounding.</para>
/// <para>The run forms (<see cref="UpdateRun(ActivationKind, double, double, ReadOnlySpan{double}, double, Span{double}, Span{double})"/>, in <c>DualActivations.Runs.cs</c>) evaluate the same formulas,
/// operation for operation, over runs of entries with AVX-512/AVX2 vectors; they differ from these scalar forms only
/// through the vector atan2 (a few ulp).</para>
/// </remarks>
public static partial class DualActivations
{
    private const double InvTwoPi = 0.15915494309189533576888376337251;
    private const double TwoOverPi = 0.63661977236758134307553505349006;
    private const double FourOverPi = 1.2732395447351626861510701069801;
    private const double SinSquaredFloor = 16 * 2.220446049250313e-16;

    /// <summary>T and Ṫ for <paramref name="kind"/> with parameters (<paramref name="a"/>, <paramref name="b"/>).</summary>
    /// <param name="kind">The nonlinearity.</param>
    /// <param name="a">Slope for x &lt; 0 (ABRelu family); ignored otherwise.</param>
    /// <param name="b">Slope for x &gt; 0 (ABRelu family); ignored otherwise.</param>
    /// <param name="c11">Variance of the first pre-activation.</param>
    /// <param name="c12">Covariance of the pair.</param>
    /// <param name="c22">Variance of the second pre-activation.</param>
    /// <param name="t">E[φ(u)φ(v)].</param>
    /// <param name="tDot">E[φ'(u)φ'(v)].</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Evaluate(ActivationKind kind, double a, double b, double c11, double c12, double c22, out double t, out double tDot)
    {
        switch (kind)
        {
            case ActivationKind.ABRelu:
                ABRelu(a, b, c11, c12, c22, out t, out tDot);
                break;
            case ActivationKind.Erf:
                Erf(c11, c12, c22, out t, out tDot);
                break;
            default:
                t = c12;
                tDot = 1.0;
                break;
        }
    }

    /// <summary>The arc-cosine dual of φ(x) = a·min(x,0) + b·max(x,0) (atan2 form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ABRelu(double a, double b, double c11, double c12, double c22, out double t, out double tDot)
    {
        double s2 = c11 * c22 - c12 * c12;
        // s² below the rounding level of c₁₁c₂₂ − c₁₂² (inputs that differ by a few ulps, e.g. a diagonal entry whose
        // variance was summed in another order) is indistinguishable from 0: snap it, or θ ~ √ε ~ 1e-8 leaks into Ṫ.
        double s = s2 > SinSquaredFloor * c11 * c22 ? Math.Sqrt(s2) : 0.0;
        // π − θ = atan2(s, −c₁₂) directly: no cancellation against π as ρ → −1.
        double piMinusTheta = DeviceMath.Atan2(s, -c12);
        double amb = a - b;
        double amb2 = amb * amb;
        double ab = a * b;
        t = amb2 * (s + piMinusTheta * c12) * InvTwoPi + ab * c12;
        tDot = amb2 * piMinusTheta * InvTwoPi + ab;
    }

    /// <summary>The arcsine dual of φ(x) = erf(x) (atan2 form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Erf(double c11, double c12, double c22, out double t, out double tDot)
    {
        double d = (1.0 + 2.0 * c11) * (1.0 + 2.0 * c22);
        double r2 = d - 4.0 * c12 * c12;
        double r = r2 > 0.0 ? Math.Sqrt(r2) : 0.0;
        t = TwoOverPi * DeviceMath.Atan2(2.0 * c12, r);
        tDot = FourOverPi / r;
    }

    /// <summary>The pointwise nonlinearity φ(x) itself (for finite networks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(ActivationKind kind, double a, double b, double x) => kind switch
    {
        ActivationKind.ABRelu => x < 0.0 ? a * x : b * x,
        ActivationKind.Erf => MathNet.Numerics.SpecialFunctions.Erf(x),
        _ => x,
    };

    /// <summary>The derivative φ'(x) (for finite networks; the ABRelu kink takes the right slope b at 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(ActivationKind kind, double a, double b, double x) => kind switch
    {
        ActivationKind.ABRelu => x < 0.0 ? a : b,
        ActivationKind.Erf => 1.1283791670955125738961589031215 * Math.Exp(-x * x),
        _ => 1.0,
    };
}
