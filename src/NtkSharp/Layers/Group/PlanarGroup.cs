namespace NtkSharp.Layers;

/// <summary>The point group G of a planar group G ⋉ ℤ² that <see cref="LiftingConv"/> and <see cref="GroupConv"/>
/// are equivariant to (Cohen &amp; Welling 2016, "Group equivariant convolutional networks").</summary>
/// <remarks>The rotations act on filter offsets d = (dh, dw) as the 90° rotation r(dh, dw) = (−dw, dh), the mirror as
/// m(dh, dw) = (dh, −dw); elements are ordered r^i (p4) and r^i·m^j at index i + 4j (p4m), the identity first. No
/// kernel depends on the rotation direction or the order.</remarks>
public enum PlanarGroup
{
    /// <summary>p4 = C4 ⋉ ℤ²: the four rotations by multiples of 90° (|G| = 4).</summary>
    P4 = 0,

    /// <summary>p4m = D4 ⋉ ℤ²: rotations by multiples of 90° and reflections (|G| = 8).</summary>
    P4M = 1,

    /// <summary>The trivial point group {e} (|G| = 1): the layers reduce to <see cref="Conv"/> (a baseline and test).</summary>
    Trivial = 2,
}
