namespace NtkSharp.Layers;

/// <summary>Group-convolutional layers for the planar groups p4 and p4m.</summary>
public static partial class Stax
{
    /// <summary>Lifts images (H, W, C) to signals on G × ℤ² (|G|, H, W, C_out); see <see cref="Layers.LiftingConv"/>.</summary>
    /// <param name="channels">Output channels per group element.</param>
    /// <param name="group">P4 or P4M (Trivial: a plain convolution).</param>
    /// <param name="filter">The filter (k, k), k odd.</param>
    /// <param name="padding">Same (default; zeros, k//2 each side) or Circular.</param>
    /// <param name="wStd">Weight standard deviation σ_w.</param>
    /// <param name="bStd">Bias standard deviation σ_b (0: no bias).</param>
    /// <param name="parameterization">NTK (default) or standard parameterisation.</param>
    public static LiftingConv LiftingConv(int channels, PlanarGroup group, (int H, int W) filter, Padding padding = Padding.Same,
        double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
        => new(channels, group, filter, padding, wStd, bStd, parameterization);

    /// <summary>A group convolution on signals over G × ℤ²; see <see cref="Layers.GroupConv"/>.</summary>
    /// <param name="channels">Output channels per group element.</param>
    /// <param name="group">P4 or P4M (Trivial: a plain convolution).</param>
    /// <param name="filter">The filter (k, k), k odd.</param>
    /// <param name="padding">Same (default; zeros, k//2 each side) or Circular.</param>
    /// <param name="wStd">Weight standard deviation σ_w.</param>
    /// <param name="bStd">Bias standard deviation σ_b (0: no bias).</param>
    /// <param name="support">Full (default; the filter mixes the group axis) or Identity (filter on the identity only).</param>
    /// <param name="parameterization">NTK (default) or standard parameterisation.</param>
    public static GroupConv GroupConv(int channels, PlanarGroup group, (int H, int W) filter, Padding padding = Padding.Same,
        double wStd = 1.0, double bStd = 0.0, GroupSupport support = GroupSupport.Full,
        Parameterization parameterization = Parameterization.Ntk)
        => new(channels, group, filter, padding, wStd, bStd, support, parameterization);

    /// <summary>The mean over the group axis, (|G|, H, W, C) → (H, W, C); see <see cref="Layers.GroupPool"/>.</summary>
    public static GroupPool GroupPool() => new();
}
