namespace NtkSharp.Kernels;

/// <summary>Which kernels to compute (neural-tangents' <c>get</c>).</summary>
[Flags]
public enum KernelOutputs
{
    /// <summary>The NNGP kernel K(x, x') = E[f(x)f(x')] at initialisation.</summary>
    Nngp = 1,

    /// <summary>The neural tangent kernel Θ(x, x') = E[∂f(x)/∂θ · ∂f(x')/∂θ].</summary>
    Ntk = 2,

    /// <summary>Both kernels.</summary>
    Both = Nngp | Ntk,
}
