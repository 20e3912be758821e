namespace NtkSharp.Symmetry;

/// <summary>How the training data is symmetrised for the infinite-width mean.</summary>
public enum AugmentationMode
{
    /// <summary>No augmentation: regression on the N original points (the control).</summary>
    None,

    /// <summary>Full augmentation: regression with Θ on the |G|·N points of the orbit (<see cref="Augmentation.Augment(Tensor, MathNet.Numerics.LinearAlgebra.Matrix{double}, SymmetryGroup)"/>).</summary>
    Explicit,

    /// <summary>The same mean through the group-averaged kernel Θᴳ on the N original points (<see cref="GroupAveragedKernel"/>).</summary>
    GroupAveraged,
}
