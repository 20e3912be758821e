namespace NtkSharp.Kernels;

/// <summary>
/// The nonlinearities whose dual (the Gaussian expectations T and Ṫ) NtkSharp knows in closed form.
/// Numbered so that GPU kernels can switch on the integer value.
/// </summary>
public enum ActivationKind
{
    /// <summary>φ(x) = x: T = c₁₂, Ṫ = 1.</summary>
    Identity = 0,

    /// <summary>φ(x) = a·min(x, 0) + b·max(x, 0), the arc-cosine family (ReLU, LeakyReLU, Abs are special cases).</summary>
    ABRelu = 1,

    /// <summary>φ(x) = erf(x), the arcsine kernel of Williams (1997).</summary>
    Erf = 2,
}
