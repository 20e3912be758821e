namespace NtkSharp.Kernels;

/// <summary>
/// A family whose math is the device body <typeparamref name="TBody"/>: the scalar forms call it, the run forms loop over
/// it (specialised per body, no virtual call per entry). An activation with a SIMD body derives from
/// <see cref="VectorActivationFamily{TBody}"/> instead, which finishes the tail of a run with these scalar loops.
/// </summary>
internal abstract class ActivationFamily<TBody> : ActivationFamily
    where TBody : struct, IActivationBody
{
    /// <inheritdoc />
    public override double Value(in ActivationSpec s, double x) => default(TBody).Value(s, x);

    /// <inheritdoc />
    public override double Derivative(in ActivationSpec s, double x) => default(TBody).Derivative(s, x);

    /// <inheritdoc />
    public override void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => default(TBody).Dual(s, c11, c12, c22, out t, out tDot);

    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta)
    {
        CheckRun(c11, k, theta);
        ScalarRun(s, c11, c22, k, theta, 0);
    }

    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22, Span<double> k, Span<double> theta)
    {
        CheckRun(c11, c22, k, theta);
        ScalarRun(s, c11, c22, k, theta, 0);
    }

    /// <inheritdoc />
    public override void Forward(in ActivationSpec s, ReadOnlySpan<double> z, Span<double> y)
    {
        TBody body = default;
        for (int i = 0; i < z.Length; i++) y[i] = body.Value(s, z[i]);
    }

    /// <inheritdoc />
    public override void Backward(in ActivationSpec s, ReadOnlySpan<double> z, ReadOnlySpan<double> gy, Span<double> gz)
    {
        TBody body = default;
        for (int i = 0; i < z.Length; i++) gz[i] = body.Derivative(s, z[i]) * gy[i];
    }

    /// <summary>Checks the spans of a shared-variance run.</summary>
    /// <exception cref="ArgumentException"><paramref name="c11"/> is shorter than <paramref name="k"/>, or
    /// <paramref name="theta"/> is neither empty nor as long as <paramref name="k"/>.</exception>
    protected static void CheckRun(ReadOnlySpan<double> c11, Span<double> k, Span<double> theta)
    {
        if (c11.Length < k.Length)
            throw new ArgumentException($"c11 holds {c11.Length} values but the run has {k.Length}.", nameof(c11));
        if (!theta.IsEmpty && theta.Length != k.Length)
            throw new ArgumentException($"theta holds {theta.Length} values but the run has {k.Length}.", nameof(theta));
    }

    /// <summary>Checks the spans of a per-entry-variance run.</summary>
    /// <exception cref="ArgumentException">A variance span is shorter than <paramref name="k"/>, or
    /// <paramref name="theta"/> is neither empty nor as long as <paramref name="k"/>.</exception>
    protected static void CheckRun(ReadOnlySpan<double> c11, ReadOnlySpan<double> c22, Span<double> k, Span<double> theta)
    {
        if (c22.Length < k.Length)
            throw new ArgumentException($"c22 holds {c22.Length} values but the run has {k.Length}.", nameof(c22));
        CheckRun(c11, k, theta);
    }

    /// <summary>The scalar run from entry <paramref name="start"/> on (shared second variance).</summary>
    protected static void ScalarRun(in ActivationSpec s, ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta, int start)
    {
        TBody body = default;
        bool ntk = !theta.IsEmpty;
        for (int i = start; i < k.Length; i++)
        {
            body.Dual(s, c11[i], k[i], c22, out double tv, out double td);
            k[i] = tv;
            if (ntk) theta[i] *= td;
        }
    }

    /// <summary>The scalar run from entry <paramref name="start"/> on (per-entry second variance).</summary>
    protected static void ScalarRun(in ActivationSpec s, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22, Span<double> k, Span<double> theta, int start)
    {
        TBody body = default;
        bool ntk = !theta.IsEmpty;
        for (int i = start; i < k.Length; i++)
        {
            body.Dual(s, c11[i], k[i], c22[i], out double tv, out double td);
            k[i] = tv;
            if (ntk) theta[i] *= td;
        }
    }
}
