namespace NtkSharp.Layers;

/// <summary>Convolutional layers, pooling and readouts.</summary>
public static partial class Stax
{
    /// <summary>A convolution on NHWC images, or on (N, L, C) signals with a filter (k, 1); see <see cref="Layers.Conv"/>.</summary>
    /// <param name="channels">Output channels.</param>
    /// <param name="filter">The filter's spatial size (h, w).</param>
    /// <param name="strides">The strides (default (1, 1)).</param>
    /// <param name="padding">Valid (default, as neural-tangents), Same or Circular.</param>
    /// <param name="wStd">Weight standard deviation σ_w.</param>
    /// <param name="bStd">Bias standard deviation σ_b (0: no bias).</param>
    /// <param name="parameterization">NTK (default) or standard parameterisation.</param>
    public static Conv Conv(int channels, (int H, int W) filter, (int H, int W)? strides = null, Padding padding = Padding.Valid,
        double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
        => new(channels, filter, strides, padding, wStd, bStd, parameterization);

    /// <summary>A convolution with one padding per spatial axis, e.g. <c>padding: (Same, Circular)</c> on polar images
    /// (zeros along the radius, wrap-around along the angle); see <see cref="Layers.Conv"/>.</summary>
    /// <param name="channels">Output channels.</param>
    /// <param name="filter">The filter's spatial size (h, w).</param>
    /// <param name="padding">The padding along h and along w: Valid, Same or Circular each.</param>
    /// <param name="strides">The strides (default (1, 1)).</param>
    /// <param name="wStd">Weight standard deviation σ_w.</param>
    /// <param name="bStd">Bias standard deviation σ_b (0: no bias).</param>
    /// <param name="parameterization">NTK (default) or standard parameterisation.</param>
    public static Conv Conv(int channels, (int H, int W) filter, (Padding H, Padding W) padding, (int H, int W)? strides = null,
        double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
        => new(channels, filter, padding, strides, wStd, bStd, parameterization);

    /// <summary>Average pooling with one padding per spatial axis; see <see cref="Layers.AvgPool"/>.</summary>
    /// <param name="window">The window (h, w).</param>
    /// <param name="padding">The padding along h and along w.</param>
    /// <param name="strides">The strides (default (1, 1)).</param>
    public static AvgPool AvgPool((int H, int W) window, (Padding H, Padding W) padding, (int H, int W)? strides = null)
        => new(window, padding, strides);

    /// <summary>Sum pooling with one padding per spatial axis; see <see cref="Layers.SumPool"/>.</summary>
    /// <param name="window">The window (h, w).</param>
    /// <param name="padding">The padding along h and along w.</param>
    /// <param name="strides">The strides (default (1, 1)).</param>
    public static SumPool SumPool((int H, int W) window, (Padding H, Padding W) padding, (int H, int W)? strides = null)
        => new(window, padding, strides);

    /// <summary>Average pooling; see <see cref="Layers.AvgPool"/>.</summary>
    /// <param name="window">The window (h, w).</param>
    /// <param name="strides">The strides (default (1, 1), as neural-tangents).</param>
    /// <param name="padding">Valid (default), Same or Circular.</param>
    public static AvgPool AvgPool((int H, int W) window, (int H, int W)? strides = null, Padding padding = Padding.Valid)
        => new(window, strides, padding);

    /// <summary>Sum pooling; see <see cref="Layers.SumPool"/>.</summary>
    /// <param name="window">The window (h, w).</param>
    /// <param name="strides">The strides (default (1, 1), as neural-tangents).</param>
    /// <param name="padding">Valid (default), Same or Circular.</param>
    public static SumPool SumPool((int H, int W) window, (int H, int W)? strides = null, Padding padding = Padding.Valid)
        => new(window, strides, padding);

    /// <summary>Average over all positions; see <see cref="Layers.GlobalAvgPool"/>.</summary>
    public static GlobalAvgPool GlobalAvgPool() => new();

    /// <summary>Sum over all positions; see <see cref="Layers.GlobalSumPool"/>.</summary>
    public static GlobalSumPool GlobalSumPool() => new();

    /// <summary>Flattens the non-batch axes; see <see cref="Layers.Flatten"/>.</summary>
    public static Flatten Flatten() => new();
}
