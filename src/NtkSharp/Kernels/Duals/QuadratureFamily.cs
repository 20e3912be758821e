using System.Collections.Concurrent;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// The registry family of a nonlinearity whose dual is computed by <see cref="QuadratureDual"/> (Tanh, Sigmoid, Softplus,
/// Silu, a user φ). The Hermite coefficients of each input variance are computed once and cached (keyed by the
/// variance's bits; the cache is cleared past 2¹⁶ variances), so a Gram entry costs one Horner sum. The built-in kinds
/// have a device body (<see cref="QuadratureBody{TF}"/>; the GPU engines compute the same records on the device, see
/// <see cref="QuadratureSteps"/>); a user φ (kind <see cref="ActivationKind.Host"/>, a C# delegate) has none, so the GPU
/// engines refuse it with the registry's common message.
/// </summary>
internal sealed class QuadratureFamily<TF>(ActivationKind kind, TF function, int degree = QuadratureDual.DefaultDegree) : ActivationFamily
    where TF : struct, IScalarActivation
{
    private const int CacheLimit = 1 << 16;
    private readonly ConcurrentDictionary<long, QuadratureCoefficients> _cache = new();

    /// <inheritdoc />
    public override ActivationKind Kind => kind;

    /// <inheritdoc />
    public override bool HasDeviceBody => kind != ActivationKind.Host;

    /// <inheritdoc />
    public override int QuadratureDegree => degree;

    /// <summary>The number of Hermite terms.</summary>
    public int Degree => degree;

    /// <inheritdoc />
    public override double Value(in ActivationSpec s, double x) => function.Value(x);

    /// <inheritdoc />
    public override double Derivative(in ActivationSpec s, double x) => function.Derivative(x);

    /// <inheritdoc />
    public override void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => QuadratureDual.Dual(function, Coefficients(c11), Coefficients(c22), c12, out t, out tDot);

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => QuadratureDual.Mean(Coefficients(variance));

    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta)
    {
        var p2 = Coefficients(c22);
        QuadratureCoefficients? p1 = null;
        bool ntk = !theta.IsEmpty;
        for (int i = 0; i < k.Length; i++)
        {
            if (p1 is null || p1.Variance != c11[i]) p1 = Coefficients(c11[i]);
            QuadratureDual.Dual(function, p1, p2, k[i], out double t, out double td);
            k[i] = t;
            if (ntk) theta[i] *= td;
        }
    }

    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22, Span<double> k, Span<double> theta)
    {
        QuadratureCoefficients? p1 = null, p2 = null;
        bool ntk = !theta.IsEmpty;
        for (int i = 0; i < k.Length; i++)
        {
            if (p1 is null || p1.Variance != c11[i]) p1 = Coefficients(c11[i]);
            if (p2 is null || p2.Variance != c22[i]) p2 = Coefficients(c22[i]);
            QuadratureDual.Dual(function, p1, p2, k[i], out double t, out double td);
            k[i] = t;
            if (ntk) theta[i] *= td;
        }
    }

    /// <inheritdoc />
    public override void Forward(in ActivationSpec s, ReadOnlySpan<double> z, Span<double> y)
    {
        for (int i = 0; i < z.Length; i++) y[i] = function.Value(z[i]);
    }

    /// <inheritdoc />
    public override void Backward(in ActivationSpec s, ReadOnlySpan<double> z, ReadOnlySpan<double> gy, Span<double> gz)
    {
        for (int i = 0; i < z.Length; i++) gz[i] = function.Derivative(z[i]) * gy[i];
    }

    private QuadratureCoefficients Coefficients(double variance)
    {
        long key = BitConverter.DoubleToInt64Bits(variance);
        if (_cache.TryGetValue(key, out var p)) return p;
        if (!double.IsFinite(variance) || variance < 0)
            throw new ArithmeticException($"{kind}: input variance {variance:R} is not a finite non-negative number.");
        if (_cache.Count >= CacheLimit) _cache.Clear();
        return _cache.GetOrAdd(key, _ => QuadratureDual.Prepare(function, variance, degree));
    }
}
