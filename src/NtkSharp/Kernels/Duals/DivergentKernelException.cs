namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Thrown when a layer's Gaussian expectation is infinite or overflows double precision for the variance that reaches it
/// (e.g. <c>Gaussian(a, b)</c> with b &gt; 0 at input variance ≥ 1/(4b), <c>Exp</c> or <c>Monomial</c> overflowing):
/// the kernel would otherwise hold ∞ or NaN.
/// </summary>
public sealed class DivergentKernelException : ArithmeticException
{
    /// <summary>Creates the exception for layer <paramref name="layer"/>, which received <paramref name="variance"/>
    /// while its expectations are finite only below <paramref name="limit"/>.</summary>
    public DivergentKernelException(string layer, double variance, double limit)
        : base($"{layer}: its Gaussian expectation diverges (or overflows double precision) at input variance {variance:R}; " +
               $"it is finite only for variances below {limit:R}. Scale the preceding layer's weights or inputs down.")
    {
        Layer = layer;
        Variance = variance;
        Limit = limit;
    }

    /// <summary>The layer, as architecture text.</summary>
    public string Layer { get; }

    /// <summary>The input variance that was reached.</summary>
    public double Variance { get; }

    /// <summary>The variance below which the expectations are finite.</summary>
    public double Limit { get; }
}
