namespace NtkSharp.Layers;

/// <summary>Where the filter of a <see cref="GroupConv"/> lives on the group axis.</summary>
public enum GroupSupport
{
    /// <summary>The filter ψ(a, h) has a weight for every group element a ∈ G: the layer mixes the group axis
    /// (fan-in C_in·|G|·k²).</summary>
    Full = 0,

    /// <summary>The filter lives on the identity element only, ψ(a, h) = 0 for a ≠ e: each group element's signal is
    /// convolved with its own rotated copy of one spatial filter and the group axis is not mixed (fan-in C_in·k²).</summary>
    Identity = 1,
}
