namespace NtkSharp.Layers;

/// <summary>How a convolution or pooling window treats the image border, exactly as neural-tangents' <c>Padding</c>.</summary>
/// <remarks>With input length n, window f and stride s (per spatial axis), as XLA's <c>padtype_to_pads</c>:
/// Valid gives ⌈(n − f + 1)/s⌉ outputs and no padding; Same gives ⌈n/s⌉ outputs with
/// pad = max(0, (⌈n/s⌉ − 1)·s + f − n) zeros, ⌊pad/2⌋ before and the rest after; Circular has Same's output size and
/// offsets but wraps indices around (periodic images), which makes the layer commute with cyclic shifts.</remarks>
public enum Padding
{
    /// <summary>No padding: windows lie inside the input.</summary>
    Valid = 0,

    /// <summary>Zero padding to ⌈n/s⌉ outputs (the window sum still divides by the full window size).</summary>
    Same = 1,

    /// <summary>Periodic (wrap-around) padding with Same's output size.</summary>
    Circular = 2,
}
