namespace NtkSharp.Prediction;

/// <summary>Which kernel drives the training dynamics of an infinite ensemble (neural-tangents' <c>get</c>).</summary>
public enum EnsembleKernel
{
    /// <summary>Only the last layer is trained: the dynamics follow the NNGP kernel K (Lee et al. 2019, §2.3.1).</summary>
    Nngp,

    /// <summary>All layers are trained: the dynamics follow the NTK Θ (Lee et al. 2019, eq. 16).</summary>
    Ntk,
}
