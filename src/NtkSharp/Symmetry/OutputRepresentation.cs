namespace NtkSharp.Symmetry;

/// <summary>How the group acts on the targets, ρ_Y.</summary>
public enum OutputRepresentation
{
    /// <summary>ρ_Y(g) = I on any number of outputs: the target is invariant, f(ρ_X(g)x) = f(x).</summary>
    Invariant,

    /// <summary>
    /// The group's natural vector representation on the outputs: for rotation/reflection groups the 2×2 orthogonal
    /// matrix of the element on ℝ² (the same geometric map that acts on the image or on the ℝ² input), for
    /// <see cref="Groups.Permutations"/> the permutation of the n per-element outputs. The target is equivariant,
    /// f(ρ_X(g)x) = ρ_Y(g)f(x).
    /// </summary>
    Vector,
}
