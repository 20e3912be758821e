namespace NtkSharp.Layers;

/// <summary>Validation and shapes of the group-convolutional layers: images (H, W, C) and signals on G × ℤ² of
/// per-example shape (|G|, H, W, C).</summary>
internal static class GroupShapes
{
    /// <summary>Checks the filter (odd, square) and padding (Same or Circular) of a group convolution at
    /// <paramref name="path"/>.</summary>
    public static void CheckFilter(string layer, (int H, int W) filter, Padding padding, string path)
    {
        if (filter.H != filter.W || filter.H % 2 == 0)
            throw new ArchitectureException(
                $"{layer} needs an odd square filter (k, k), so that the filter window is closed under 90° rotations and reflections, but has ({filter.H}, {filter.W}).",
                path);
        if (padding is not (Padding.Same or Padding.Circular))
            throw new ArchitectureException(
                $"{layer} takes padding Same or Circular (stride 1, output of the input's size), not {padding}.", path);
    }

    /// <summary>Reads an image (H, W, C) or throws naming the layer.</summary>
    public static (int H, int W, int C) Image(int[] shape, string layer, string path) => shape.Length == 3
        ? (shape[0], shape[1], shape[2])
        : throw new ArchitectureException(
            shape.Length == 4
                ? $"{layer} takes images (H, W, C), but its input is already a group signal ({string.Join(", ", shape)}); use GroupConv on group signals."
                : $"{layer} takes images (H, W, C) per example, but its input has shape ({string.Join(", ", shape)}).",
            path);

    /// <summary>Reads a group signal (|G|, H, W, C) of <paramref name="group"/> (any group when null) or throws naming
    /// the layer.</summary>
    public static (int G, int H, int W, int C) Signal(int[] shape, PlanarGroup? group, string layer, string path)
    {
        if (shape.Length != 4)
            throw new ArchitectureException(
                $"{layer} takes signals on G × ℤ² of shape (|G|, H, W, C) per example (the output of LiftingConv or GroupConv), but its input has shape ({string.Join(", ", shape)}).",
                path);
        if (group is { } g && PlanarGroupTable.For(g).Order != shape[0])
            throw new ArchitectureException(
                $"{layer} on {g} needs a signal with {PlanarGroupTable.For(g).Order} group elements, but its input has {shape[0]} (shape ({string.Join(", ", shape)})); use the same group in every layer.",
                path);
        return (shape[0], shape[1], shape[2], shape[3]);
    }

    /// <summary>Checks the constructor arguments shared by both group convolutions.</summary>
    public static void CheckArguments(string layer, int channels, PlanarGroup group, (int H, int W) filter, Padding padding,
        double wStd, double bStd, Parameterization parameterization)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, $"{layer} channels must be positive.");
        if (!Enum.IsDefined(group)) throw new ArgumentOutOfRangeException(nameof(group), group, "Unknown planar group.");
        SpatialShape.CheckPositive(filter, nameof(filter));
        if (!Enum.IsDefined(padding)) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding.");
        LayerChecks.Std(wStd, nameof(wStd));
        LayerChecks.Std(bStd, nameof(bStd));
        if (!Enum.IsDefined(parameterization)) throw new ArgumentOutOfRangeException(nameof(parameterization));
    }
}
