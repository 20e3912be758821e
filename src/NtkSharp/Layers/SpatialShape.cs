namespace NtkSharp.Layers;

/// <summary>Shape arithmetic of windows (convolution and pooling) on the spatial axes of (H, W, C) images and
/// (L, C) signals.</summary>
internal static class SpatialShape
{
    /// <summary>The number of outputs along an axis of length <paramref name="n"/> for window <paramref name="f"/>,
    /// stride <paramref name="s"/> and <paramref name="padding"/> (XLA's <c>padtype_to_pads</c>), or −1 when a Valid
    /// window does not fit.</summary>
    public static int OutputLength(int n, int f, int s, Padding padding) => padding switch
    {
        Padding.Valid => n < f ? -1 : (n - f) / s + 1,
        _ => (n + s - 1) / s,
    };

    /// <summary>The zeros (or wrapped entries) added before the first input along an axis.</summary>
    public static int PadBefore(int n, int f, int s, Padding padding)
    {
        if (padding == Padding.Valid) return 0;
        int outLen = (n + s - 1) / s;
        int pad = Math.Max(0, (outLen - 1) * s + f - n);
        return pad / 2;
    }

    /// <summary>Reads a per-example shape as spatial (H, W) and channels C: (H, W, C) images, or (L, C) signals as
    /// H = L, W = 1. Throws naming <paramref name="layer"/> for any other rank.</summary>
    public static (int H, int W, int C) Spatial(int[] shape, string layer, string path)
    {
        return shape.Length switch
        {
            3 => (shape[0], shape[1], shape[2]),
            2 => (shape[0], 1, shape[1]),
            _ => throw new ArchitectureException(
                $"{layer} needs images (H, W, C) or 1-D signals (L, C) per example, but its input has shape ({string.Join(", ", shape)}).", path),
        };
    }

    /// <summary>The output shape of a window layer with one padding for both axes.</summary>
    public static int[] Window(int[] shape, (int H, int W) window, (int H, int W) strides, Padding padding, int channels,
        string layer, string path) => Window(shape, window, strides, (padding, padding), channels, layer, path);

    /// <summary>The output shape of a window layer, or an error naming the layer when the window does not fit.</summary>
    public static int[] Window(int[] shape, (int H, int W) window, (int H, int W) strides, (Padding H, Padding W) padding, int channels,
        string layer, string path)
    {
        var (h, w, _) = Spatial(shape, layer, path);
        if (shape.Length == 2 && (window.W != 1 || strides.W != 1))
            throw new ArchitectureException(
                $"{layer} on 1-D signals (L, C) takes a 1-D window (k, 1) and strides (s, 1), but has window ({window.H}, {window.W}) and strides ({strides.H}, {strides.W}).", path);
        int ho = OutputLength(h, window.H, strides.H, padding.H);
        int wo = OutputLength(w, window.W, strides.W, padding.W);
        if (ho < 1 || wo < 1)
            throw new ArchitectureException(
                $"{layer}'s {window.H}×{window.W} window is larger than its {h}×{w} input with Valid padding{(padding.H == padding.W ? "" : $" along {(ho < 1 ? "h" : "w")}")}: nothing is left (use Same or Circular padding or a smaller window).", path);
        return shape.Length == 2 ? [ho, channels] : [ho, wo, channels];
    }

    /// <summary>Checks a per-axis padding argument.</summary>
    public static void CheckPadding((Padding H, Padding W) padding, string name)
    {
        if (!Enum.IsDefined(padding.H) || !Enum.IsDefined(padding.W))
            throw new ArgumentOutOfRangeException(name, padding, "Unknown padding.");
    }

    /// <summary>The padding of both axes, or an error naming the layer when they differ.</summary>
    public static Padding Uniform((Padding H, Padding W) padding, string layer) => padding.H == padding.W
        ? padding.H
        : throw new InvalidOperationException($"{layer} has per-axis padding ({padding.H}, {padding.W}); read Paddings.");

    /// <summary>What architecture text prints: the padding itself when both axes agree, else "(H, W)".</summary>
    public static object PaddingText((Padding H, Padding W) padding) => padding.H == padding.W ? padding.H : $"({padding.H}, {padding.W})";

    /// <summary>Checks a (h, w) window or stride argument.</summary>
    public static void CheckPositive((int H, int W) value, string name)
    {
        if (value.H < 1 || value.W < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive in both axes, got ({value.H}, {value.W}).");
    }
}
