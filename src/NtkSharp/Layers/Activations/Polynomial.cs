using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>Polynomial: φ(x) = Σᵢ cᵢxⁱ, coefficients from the constant term up (neural-tangents'
/// <c>Polynomial(coefficients)</c>); exact dual by Mehler's terminating expansion (<see cref="PolynomialDual"/>).</summary>
/// <remarks>Up to <see cref="ActivationSpec.MaxParameters"/> coefficients (degree ≤ 7), carried inline in the spec so
/// that the GPU engine evaluates the same dual. Architecture text: <c>Polynomial(coefficients: [1, 0, 0.5])</c> (or the
/// coefficients as positional arguments, <c>Polynomial(1, 0, 0.5)</c>).</remarks>
public sealed record Polynomial : Activation
{
    private readonly double[] _coefficients;

    /// <summary>Creates the layer.</summary>
    /// <param name="coefficients">c₀, c₁, …, at least one and at most eight, all finite.</param>
    public Polynomial(params double[] coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Length is 0 or > ActivationSpec.MaxParameters)
            throw new ArgumentOutOfRangeException(nameof(coefficients), coefficients.Length,
                $"Polynomial takes 1 to {ActivationSpec.MaxParameters} coefficients (degree ≤ {PolynomialDual.MaxDegree}).");
        foreach (double c in coefficients) LayerChecks.Finite(c, nameof(coefficients));
        _coefficients = [.. coefficients];
    }

    /// <summary>c₀, c₁, … (a copy).</summary>
    public IReadOnlyList<double> Coefficients => [.. _coefficients];

    internal override ActivationSpec Spec
    {
        get
        {
            double C(int i) => i < _coefficients.Length ? _coefficients[i] : 0.0;
            return new(ActivationKind.Polynomial, C(0), C(1), C(2), C(3), C(4), C(5), C(6), C(7), _coefficients.Length);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<double> Parameters => Coefficients;

    /// <inheritdoc />
    public override string Name => "Polynomial";

    /// <inheritdoc />
    public override string ToString() =>
        $"Polynomial(coefficients: [{string.Join(", ", _coefficients.Select(ArchitectureText.Format))}])";

    /// <inheritdoc />
    public bool Equals(Polynomial? other) => other is not null && _coefficients.AsSpan().SequenceEqual(other._coefficients);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (double c in _coefficients) h.Add(c);
        return h.ToHashCode();
    }
}

public static partial class Stax
{
    /// <summary>φ(x) = Σᵢ cᵢxⁱ (neural-tangents' <c>Polynomial</c>).</summary>
    /// <param name="coefficients">c₀, c₁, … (1 to 8 of them).</param>
    public static Polynomial Polynomial(params double[] coefficients) => new(coefficients);
}

/// <summary>The device body of <see cref="Polynomial"/> (math in <see cref="PolynomialDual"/>) and its SIMD run body:
/// the same terminating Mehler sum lane by lane, the moments Mₘ(c₂₂) of a shared second variance computed once per run.</summary>
internal readonly struct PolynomialBody : IActivationBody, IActivationVectorBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => PolynomialDual.Phi(s, x);

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => PolynomialDual.Derivative(s, x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => PolynomialDual.Dual(s, c11, c12, c22, out t, out tDot);

    /// <summary>The vector body: <see cref="PolynomialDual.Dual"/> operation for operation,
    /// T = Σₘ c₁₂ᵐ/m!·Mₘ(c₁₁)Mₘ(c₂₂), Ṫ = Σₘ c₁₂ᵐ/m!·Mₘ₊₁(c₁₁)Mₘ₊₁(c₂₂). The scalar factors aₖ·k!/(k − m)! of
    /// <see cref="PolynomialDual.DerivativeMean"/> are tabulated once per run (the same doubles), the powers of c per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Run<TOps, TV>(in ActivationSpec spec, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        int d = spec.N - 1;
        Span<double> factors = stackalloc double[Stride * (ActivationSpec.MaxParameters + 1)];
        for (int m = 0; m <= d + 1; m++) Factors(spec, m, factors.Slice(m * Stride, Stride));
        Span<double> shared = stackalloc double[ActivationSpec.MaxParameters + 1];
        if (!c22PerEntry)
        {
            for (int m = 0; m <= d + 1; m++) shared[m] = PolynomialDual.DerivativeMean(spec, m, c22);
        }
        int w = TOps.Count, end = n - n % w;
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV x11 = TOps.Load(ref c11, o), x12 = TOps.Load(ref k, o);
            TV x22 = c22PerEntry ? TOps.Load(ref c22, o) : default;
            TV sum = TOps.Broadcast(0.0), sumDot = sum, pw = TOps.Broadcast(1.0);
            TV m1Next = Moment<TOps, TV>(factors, spec.N, 0, x11);
            TV m2Next = c22PerEntry ? Moment<TOps, TV>(factors, spec.N, 0, x22) : TOps.Broadcast(shared[0]);
            for (int m = 0; m <= d; m++)
            {
                TV m1 = m1Next, m2 = m2Next;
                m1Next = Moment<TOps, TV>(factors, spec.N, m + 1, x11);
                m2Next = c22PerEntry ? Moment<TOps, TV>(factors, spec.N, m + 1, x22) : TOps.Broadcast(shared[m + 1]);
                sum = TOps.Add(sum, TOps.Multiply(TOps.Multiply(pw, m1), m2));
                sumDot = TOps.Add(sumDot, TOps.Multiply(TOps.Multiply(pw, m1Next), m2Next));
                pw = TOps.Multiply(pw, TOps.Divide(x12, TOps.Broadcast(m + 1)));
            }
            TOps.Store(sum, ref k, o);
            if (ntk) TOps.Store(TOps.Multiply(TOps.Load(ref theta, o), sumDot), ref theta, o);
        }
        return end;
    }

    /// <summary>Room for the factors of one m (k = m, m + 2, … &lt; 8).</summary>
    private const int Stride = 4;

    /// <summary>The factors aₖ·k!/(k − m)! of <see cref="PolynomialDual.DerivativeMean"/> for k = m + 2j, as it forms them.</summary>
    private static void Factors(in ActivationSpec a, int m, Span<double> into)
    {
        double fall = 1.0;
        for (int i = 2; i <= m; i++) fall *= i;
        for (int k = m, j = 0; k < a.N; k += 2, j++)
        {
            if (j > 0) fall *= (double)k * (k - 1) / ((double)(k - m) * (k - m - 1));
            into[j] = a.P(k) * fall;
        }
    }

    /// <summary><see cref="PolynomialDual.DerivativeMean"/> lane by lane: Σⱼ factorⱼ·(2j − 1)!!·cʲ with the same
    /// factors and products in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Moment<TOps, TV>(ReadOnlySpan<double> factors, int count, int m, TV c)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        var f = factors.Slice(m * Stride, Stride);
        TV r = TOps.Broadcast(0.0), w = TOps.Broadcast(1.0);
        for (int k = m, j = 0; k < count; k += 2, j++)
        {
            if (j > 0) w = TOps.Multiply(w, TOps.Multiply(TOps.Broadcast(2 * j - 1), c));
            r = TOps.Add(r, TOps.Multiply(TOps.Broadcast(f[j]), w));
        }
        return r;
    }
}

/// <summary>The CPU side of <see cref="Polynomial"/>: E[φ(u)] = M₀; the divergence bound is where E[φ(u)²] passes
/// 10³⁰⁰ (found by bisection in log-variance, once per spec).</summary>
internal sealed class PolynomialFamily : VectorActivationFamily<PolynomialBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Polynomial;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => PolynomialDual.Mean(s, variance);

    /// <inheritdoc />
    public override double MaxVariance(in ActivationSpec s)
    {
        if (s.N <= 1) return double.PositiveInfinity;
        double lo = 0, hi = 700;
        for (int i = 0; i < 80; i++)
        {
            double mid = 0.5 * (lo + hi), c = Math.Exp(mid);
            PolynomialDual.Dual(s, c, c, c, out double t, out double td);
            if (double.IsFinite(t) && double.IsFinite(td) && Math.Abs(t) < 1e300 && Math.Abs(td) < 1e300) lo = mid;
            else hi = mid;
        }
        return Math.Exp(lo);
    }
}
