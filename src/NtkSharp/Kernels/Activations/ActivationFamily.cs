namespace NtkSharp.Kernels;

/// <summary>
/// The CPU side of one nonlinearity in the activation registry: the scalar math, the run forms the CPU engines call
/// over runs of Gram entries (SIMD where the activation has a vector body, a scalar loop otherwise), the finite
/// forward/backward, the first moment E[φ(u)] and the largest input variance with a finite dual.
/// Derive from <see cref="ActivationFamily{TBody}"/>, which supplies everything but the moments from the device body.
/// </summary>
internal abstract class ActivationFamily
{
    /// <summary>The kind this family serves.</summary>
    public abstract ActivationKind Kind { get; }

    /// <summary>Whether <see cref="DeviceActivations"/> has a body for it (false: CPU engine only).</summary>
    public virtual bool HasDeviceBody => true;

    /// <summary>The number of Hermite terms when the dual is computed by <see cref="Duals.QuadratureDual"/> from
    /// per-variance coefficient records (the GPU engines then compute those records on the device), 0 for a closed form.</summary>
    public virtual int QuadratureDegree => 0;

    /// <summary>φ(x).</summary>
    public abstract double Value(in ActivationSpec s, double x);

    /// <summary>φ′(x).</summary>
    public abstract double Derivative(in ActivationSpec s, double x);

    /// <summary>T = E[φ(u)φ(v)] and Ṫ = E[φ′(u)φ′(v)].</summary>
    public abstract void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot);

    /// <summary>E[φ(u)] for u ~ N(0, <paramref name="variance"/>) (the mean a LayerNorm after the nonlinearity removes).</summary>
    public abstract double Mean(in ActivationSpec s, double variance);

    /// <summary>The largest input variance for which the dual is finite (+∞ when it always is).</summary>
    public virtual double MaxVariance(in ActivationSpec s) => double.PositiveInfinity;

    /// <summary>Throws when the dual diverges at <paramref name="variance"/>, naming the layer and the variance.</summary>
    /// <exception cref="ArithmeticException">The Gaussian expectation is infinite at this variance.</exception>
    public void CheckVariance(in ActivationSpec s, double variance, string layer)
    {
        double max = MaxVariance(s);
        if (!(variance < max) && !double.IsPositiveInfinity(max))
            throw new ArithmeticException(
                $"{layer}: its Gaussian expectations diverge for an input variance of {variance:R} (they are finite only below {max:R}); scale the layers before it down.");
    }

    /// <summary>Over a run sharing the second variance: <c>k[i] ← T(c11[i], k[i], c22)</c>,
    /// <c>theta[i] ← Ṫ·theta[i]</c> (theta empty: NNGP only).</summary>
    public abstract void Run(in ActivationSpec s, ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta);

    /// <summary>As the other overload, with a second variance per entry (the spatial engines).</summary>
    public abstract void Run(in ActivationSpec s, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22, Span<double> k, Span<double> theta);

    /// <summary>y[i] = φ(z[i]) (the finite forward pass).</summary>
    public abstract void Forward(in ActivationSpec s, ReadOnlySpan<double> z, Span<double> y);

    /// <summary>gz[i] = φ′(z[i])·gy[i] (the finite backward pass).</summary>
    public abstract void Backward(in ActivationSpec s, ReadOnlySpan<double> z, ReadOnlySpan<double> gy, Span<double> gz);
}
