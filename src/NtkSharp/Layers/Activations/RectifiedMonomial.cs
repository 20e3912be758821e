using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>RectifiedMonomial: φ(x) = max(x, 0)ⁿ (neural-tangents' <c>RectifiedMonomial(degree)</c>); closed-form dual of <see cref="RectifiedMonomialDual"/>.</summary>
/// <remarks>The arc-cosine kernel of degree n (Cho and Saul 2009). Degree 0 is the Heaviside step with φ(0) = 0 (φ = 1 for x &gt; 0 only); degree 1 is ReLU; φ′(0) = 0.</remarks>
public sealed record RectifiedMonomial : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ RectifiedMonomialDual.MaxDegree.</param>
    public RectifiedMonomial(int degree = 2)
    {
        if (degree is < 0 or > RectifiedMonomialDual.MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "RectifiedMonomial's degree must lie in [0, RectifiedMonomialDual.MaxDegree].");
        Degree = degree;
    }

    /// <summary>The degree n.</summary>
    public int Degree { get; }

    internal override ActivationSpec Spec => new(ActivationKind.RectifiedMonomial, N: Degree);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [Degree];

    /// <inheritdoc />
    public override string Name => "RectifiedMonomial";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("RectifiedMonomial", [], ("degree", Degree, 2));
}

public static partial class Stax
{
    /// <summary>φ(x) = max(x, 0)ⁿ (neural-tangents' <c>RectifiedMonomial(degree)</c>).</summary>
    /// <param name="degree">The degree n, 0 ≤ n ≤ RectifiedMonomialDual.MaxDegree.</param>
    public static RectifiedMonomial RectifiedMonomial(int degree = 2) => new(degree);
}

/// <summary>The device body of <see cref="RectifiedMonomial"/> (math in <see cref="RectifiedMonomialDual"/>) and its
/// SIMD run body: the same arc-cosine recurrence lane by lane, with the vector atan2 and the determinant's product
/// errors from fused multiply-adds.</summary>
internal readonly struct RectifiedMonomialBody : IActivationBody, IActivationVectorBody
{
    private const double InvTwoPi = 0.15915494309189533576888376337251;

    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => RectifiedMonomialDual.Phi(s.N, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => RectifiedMonomialDual.Derivative(s.N, x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => RectifiedMonomialDual.Dual(s.N, c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: <see cref="RectifiedMonomialDual.Dual"/> operation for operation (K₀ = ψ,
    /// K₁ = s + ψc₁₂, Kₖ₊₁ = (2k + 1)c₁₂Kₖ + k²s²Kₖ₋₁).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        int degree = spec.N;
        TV inv2Pi = TOps.Broadcast(InvTwoPi), nSquared = TOps.Broadcast((double)degree * degree), zero = TOps.Broadcast(0.0);
        TV vC22 = TOps.Broadcast(c22);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
            TV s2 = VectorDualMath.Det<TOps, TV>(x11, x12, x22);
            TV s = TOps.Sqrt(s2);
            TV k0 = VectorAtan2.Atan2<TOps, TV>(s, TOps.Negate(x12));
            if (degree == 0)
            {
                TOps.Store(TOps.Multiply(k0, inv2Pi), ref k, o);
                if (ntk) TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), zero), ref theta, o);
                continue;
            }
            TV prev = k0, cur = TOps.Add(s, TOps.Multiply(k0, x12));
            for (int j = 1; j < degree; j++)
            {
                TV next = TOps.Add(TOps.Multiply(TOps.Multiply(TOps.Broadcast(2 * j + 1), x12), cur),
                    TOps.Multiply(TOps.Multiply(TOps.Broadcast((double)j * j), s2), prev));
                prev = cur;
                cur = next;
            }
            TOps.Store(TOps.Multiply(cur, inv2Pi), ref k, o);
            if (ntk) TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), TOps.Multiply(TOps.Multiply(nSquared, prev), inv2Pi)), ref theta, o);
        }
        return end;
    }
}

/// <summary>The CPU side of <see cref="RectifiedMonomial"/>: SIMD runs.</summary>
internal sealed class RectifiedMonomialFamily : VectorActivationFamily<RectifiedMonomialBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.RectifiedMonomial;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => RectifiedMonomialDual.Mean(s.N, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => RectifiedMonomialDual.MaxVariance(s.N);
}
