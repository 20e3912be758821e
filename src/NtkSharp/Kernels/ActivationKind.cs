namespace NtkSharp.Kernels;

/// <summary>
/// The nonlinearities of the activation registry (<see cref="ActivationRegistry"/>), numbered so that device code can
/// switch on the value (<see cref="DeviceActivations"/>, the one such switch). Engine-internal: the public face of a
/// nonlinearity is its <see cref="Layers.Activation"/> layer.
/// </summary>
internal enum ActivationKind
{
    /// <summary>φ(x) = x: T = c₁₂, Ṫ = 1.</summary>
    Identity = 0,

    /// <summary>φ(x) = a·min(x, 0) + b·max(x, 0), the arc-cosine family (ReLU, LeakyReLU, Abs are special cases).</summary>
    ABRelu = 1,

    /// <summary>φ(x) = erf(x), the arcsine kernel of Williams (1997).</summary>
    Erf = 2,

    /// <summary>A nonlinearity with no device body (e.g. a C# delegate): it runs on the CPU engine only, through the
    /// family that <see cref="ActivationSpec.N"/> numbers in <see cref="ActivationRegistry.RegisterHost"/>.</summary>
    Host = 255,
}
