namespace NtkSharp.Finite.Ops;

/// <summary>
/// The bias terms of the affine ops (<see cref="DenseOp"/>, <see cref="ConvOp"/>) on row-major activations of
/// <c>width</c> channels: the forward z[i, ·] += s_b·b and the bias gradient ∂b += s_b·Σ_i g[i, ·].
/// </summary>
internal static class BiasRows
{
    /// <summary>rows[i·width + j] += scale·b[j] for the first <paramref name="count"/> rows (width = b.Length).</summary>
    public static void Add(Span<double> rows, int count, ReadOnlySpan<double> b, double scale)
    {
        int width = b.Length;
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * width, width);
            for (int j = 0; j < width; j++) row[j] += scale * b[j];
        }
    }

    /// <summary>gradient[j] += scale·Σ_i rows[i·width + j] over the first <paramref name="count"/> rows, in row order
    /// (width = gradient.Length).</summary>
    public static void AccumulateGradient(ReadOnlySpan<double> rows, int count, Span<double> gradient, double scale)
    {
        int width = gradient.Length;
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * width, width);
            for (int j = 0; j < width; j++) gradient[j] += scale * row[j];
        }
    }
}
