namespace NtkSharp.Kernels;

/// <summary>
/// The per-entry arithmetic of a LayerNorm step (<see cref="Layers.LayerNorm"/>), shared by the self passes (host) and
/// the pair passes of every engine (CPU and device): K′ = (K − μ₁μ₂)/(s₁s₂), Θ′ = Θ/(s₁s₂) with
/// s = √(max(K(x, x) − μ², 0) + ε). Plain arithmetic, so that ILGPU compiles it into the device kernels.
/// </summary>
internal static class LayerNormMath
{
    /// <summary>s = √(max(<paramref name="k"/> − <paramref name="mean"/>², 0) + ε): the feature standard deviation
    /// (population) at one position, from the second moment K(x, x) and the mean μ(x); the clamp absorbs rounding where
    /// the features are (nearly) constant.</summary>
    public static double Scale(double k, double mean, double eps)
    {
        double v = k - mean * mean;
        return Math.Sqrt((v > 0.0 ? v : 0.0) + eps);
    }

    /// <summary>K ← (K − μ₁μ₂)/(s₁s₂), Θ ← Θ/(s₁s₂) for one entry.</summary>
    public static void Normalize(ref double k, ref double t, double mean1, double scale1, double mean2, double scale2)
    {
        double s = scale1 * scale2;
        k = (k - mean1 * mean2) / s;
        t /= s;
    }

    /// <summary><see cref="Normalize"/> over a run of entries whose first examples' means and scales are
    /// <paramref name="mean1"/>/<paramref name="scale1"/> and whose second example is shared; Θ may be empty.</summary>
    public static void NormalizeRun(Span<double> k, Span<double> t, ReadOnlySpan<double> mean1, ReadOnlySpan<double> scale1,
        double mean2, double scale2)
    {
        for (int i = 0; i < k.Length; i++)
        {
            double s = scale1[i] * scale2;
            k[i] = (k[i] - mean1[i] * mean2) / s;
            if (!t.IsEmpty) t[i] /= s;
        }
    }
}
