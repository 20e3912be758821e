using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Rbf: φ(x) = √2·sin(√(2γ)·x + π/4) (neural-tangents' <c>Rbf(gamma)</c>), whose NNGP kernel is the
/// squared exponential exp(−γ·E[(u − v)²]) (<see cref="RbfDual"/>); γ = 1/(2ℓ²) for the length scale ℓ.</summary>
public sealed record Rbf : Activation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="gamma">The inverse squared length scale γ ≥ 0.</param>
    public Rbf(double gamma = 1.0)
    {
        LayerChecks.Finite(gamma, nameof(gamma));
        if (gamma < 0) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Rbf's gamma must be ≥ 0.");
        Gamma = gamma;
    }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    internal override ActivationSpec Spec => new(ActivationKind.Rbf, Gamma);

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => [Gamma];

    /// <inheritdoc />
    public override string Name => "Rbf";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Rbf", [], ("gamma", Gamma, 1.0));
}

public static partial class Stax
{
    /// <summary>φ(x) = √2·sin(√(2γ)·x + π/4) (neural-tangents' <c>Rbf</c>).</summary>
    /// <param name="gamma">The inverse squared length scale γ ≥ 0.</param>
    public static Rbf Rbf(double gamma = 1.0) => new(gamma);
}

/// <summary>The device body of <see cref="Rbf"/> (math in <see cref="RbfDual"/>) and its SIMD run body (the same
/// formulas lane by lane).</summary>
internal readonly struct RbfBody : IActivationBody, IActivationVectorBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => RbfDual.Phi(s.P0, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => RbfDual.Derivative(s.P0, x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => RbfDual.Dual(s.P0, c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: T = e^(−γ((c₁₁ − c₁₂) + (c₂₂ − c₁₂))), Ṫ = 2γT, as <see cref="RbfDual.Dual"/> (vector exp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double gamma = spec.P0;
        TV negGamma = TOps.Broadcast(-gamma), twoGamma = TOps.Broadcast(2.0 * gamma), vC22 = TOps.Broadcast(c22);
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : vC22;
            TV t = VectorDualMath.Exp<TOps, TV>(TOps.Multiply(negGamma, TOps.Add(TOps.Subtract(x11, x12), TOps.Subtract(x22, x12))));
            TV td = TOps.Multiply(twoGamma, t);
            TOps.Store(t, ref k, o);
            if (ntk) TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), td), ref theta, o);
        }
        return end;
    }
}

/// <summary>The CPU side of <see cref="Rbf"/>: SIMD runs.</summary>
internal sealed class RbfFamily : VectorActivationFamily<RbfBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Rbf;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => RbfDual.Mean(s.P0, variance);
}
