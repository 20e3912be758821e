namespace NtkSharp.Kernels;

/// <summary>
/// The device-safe math of one nonlinearity, implemented by an empty struct so that generic code specialises on it (the
/// pattern of <c>ITileStorage</c>: a constrained call on a struct, no virtual call, so it compiles into ILGPU kernels).
/// Plain arithmetic only (<see cref="DeviceMath"/> for transcendental functions); no allocation, no managed arrays.
/// </summary>
/// <remarks>For a centred Gaussian pair (u, v) with Var u = c₁₁, Cov(u, v) = c₁₂, Var v = c₂₂, the dual is
/// T = E[φ(u)φ(v)] and the derivative dual Ṫ = E[φ′(u)φ′(v)] (Cho &amp; Saul 2009; Lee et al. 2018; Jacot et al. 2018).</remarks>
internal interface IActivationBody
{
    /// <summary>φ(x).</summary>
    double Value(in ActivationSpec s, double x);

    /// <summary>φ′(x) (at a kink, the convention the activation documents).</summary>
    double Derivative(in ActivationSpec s, double x);

    /// <summary>T = E[φ(u)φ(v)] and Ṫ = E[φ′(u)φ′(v)].</summary>
    void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot);
}
