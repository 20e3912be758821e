namespace NtkSharp.Kernels;

/// <summary>
/// The activations of a compiled program whose duals are finite only below some input variance
/// (<see cref="ActivationFamily.MaxVariance"/>), with where their input variances sit in an example's variance record.
/// The engines check the records of the self pass against them, so a divergent expectation raises an error naming the
/// layer and the variance on the CPU and the GPU alike, never a NaN.
/// </summary>
internal sealed class VarianceLimits
{
    private readonly List<(int Offset, int Length, ActivationSpec Spec, ActivationFamily Family, string Layer)> _limits = [];
    private readonly List<(int Offset, int Length, double Eps, string Layer)> _scales = [];

    /// <summary>Whether any activation of the program can diverge or a LayerNorm divide by its scale (else
    /// <see cref="Check"/> has nothing to do).</summary>
    public bool Any => _limits.Count > 0 || _scales.Count > 0;

    /// <summary>Adds a LayerNorm whose recorded means and scales are record entries [offset, offset + 2·length) of each
    /// example (the means, then the scales s = √(variance + ε)), checked to be positive and finite.</summary>
    public void AddScales(int offset, int length, double eps, string layer) => _scales.Add((offset, length, eps, layer));

    /// <summary>Adds an activation whose input variances are record entries [offset, offset + length) of each example.</summary>
    public void Add(int offset, int length, in ActivationSpec spec, ActivationFamily family, string layer)
    {
        if (!double.IsPositiveInfinity(family.MaxVariance(spec))) _limits.Add((offset, length, spec, family, layer));
    }

    /// <summary>Checks example-major records of <paramref name="perExample"/> values each.</summary>
    /// <exception cref="ArithmeticException">An activation's expectations diverge at a recorded variance.</exception>
    public void Check(ReadOnlySpan<double> records, int perExample)
    {
        if (!Any || perExample == 0) return;
        for (int e = 0; e < records.Length / perExample; e++)
        {
            foreach (var (offset, length, spec, family, layer) in _limits)
            {
                foreach (double v in records.Slice(e * perExample + offset, length)) family.CheckVariance(spec, v, layer);
            }
        }
        for (int e = 0; e < records.Length / perExample; e++)
        {
            foreach (var (offset, length, eps, layer) in _scales)
            {
                for (int p = 0; p < length; p++)
                {
                    double mean = records[e * perExample + offset + p], scale = records[e * perExample + offset + length + p];
                    if (scale > 0.0 && double.IsFinite(scale)) continue;
                    throw new ArithmeticException(
                        $"{layer}: the features of example {e}{(length > 1 ? $" at position {p}" : "")} have variance {scale * scale - eps:G6} over the channels (mean {mean:G6}) and eps = {eps:G6}, so the normalisation divides by {scale:G6}; use a positive eps (default 1e-12).");
                }
            }
        }
    }
}
