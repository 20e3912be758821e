using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Gaussian: φ(x) = a·exp(b·x²) (neural-tangents' <c>Gaussian(a, b)</c>); closed-form dual of
/// <see cref="GaussianDual"/>.</summary>
/// <remarks>For b &gt; 0 the expectations diverge at input variance 1/(4b): every engine raises an error naming the layer and the variance (<see cref="ActivationFamily.MaxVariance"/>).</remarks>
public sealed record Gaussian : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public Gaussian(double a = 2.0, double b = -1.0)
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

    internal override ActivationSpec Spec => new(ActivationKind.Gaussian, AScale, BScale);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [AScale, BScale];

    /// <inheritdoc />
    public override string Name => "Gaussian";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Gaussian", [], ("a", AScale, 2.0), ("b", BScale, -1.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = a·exp(b·x²) (neural-tangents' <c>Gaussian</c>).</summary>
    /// <param name="a">Output scale.</param>
    /// <param name="b">Exponent scale.</param>
    public static Gaussian Gaussian(double a = 2.0, double b = -1.0) => new(a, b);
}

/// <summary>The device body of <see cref="Gaussian"/> (math in <see cref="GaussianDual"/>) and its SIMD run body (the same
/// formulas lane by lane).</summary>
internal readonly struct GaussianBody : IActivationBody, IActivationVectorBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => GaussianDual.Phi(s.P0, s.P1, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => GaussianDual.Derivative(s.P0, s.P1, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => GaussianDual.Dual(s.P0, s.P1, c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: q = 1 − 2b(c₁₁ + c₂₂) + 4b²·det C (determinant with fused-multiply-add product errors), T = a²/√q, Ṫ = 4a²b²c₁₂/√q³, as <see cref="GaussianDual.Dual"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double a = spec.P0, b = spec.P1;
        TV one = TOps.Broadcast(1.0), twoB = TOps.Broadcast(2.0 * b), fourBB = TOps.Broadcast(4.0 * b * b);
        TV vA2 = TOps.Broadcast(a * a), vTd = TOps.Broadcast(4.0 * a * a * b * b), vC22 = TOps.Broadcast(c22);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
            TV q = TOps.Add(TOps.Subtract(one, TOps.Multiply(twoB, TOps.Add(x11, x22))),
                TOps.Multiply(fourBB, VectorDualMath.Det<TOps, TV>(x11, x12, x22)));
            TV r = TOps.Divide(one, TOps.Sqrt(q));
            TV t = TOps.Multiply(vA2, r);
            TV td = TOps.Multiply(TOps.Multiply(TOps.Multiply(TOps.Multiply(vTd, x12), r), r), r);
            TOps.Store(t, ref k, o);
            if (ntk) TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), td), ref theta, o);
        }
        return end;
    }
}

/// <summary>The CPU side of <see cref="Gaussian"/>: SIMD runs.</summary>
internal sealed class GaussianFamily : VectorActivationFamily<GaussianBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Gaussian;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => GaussianDual.Mean(s.P0, s.P1, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s) => GaussianDual.MaxVariance(s.P1);
}
