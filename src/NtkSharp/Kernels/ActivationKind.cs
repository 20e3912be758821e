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

    /// <summary>φ(x) = x·Φ(x) (<see cref="Layers.Gelu"/>).</summary>
    Gelu = 3,

    /// <summary>φ(x) = a·sin(b·x + c) (<see cref="Layers.Sin"/>).</summary>
    Sin = 4,

    // 5 was Cos, which now emits Sin's spec with the phase c + π/2 (Layers.Cos).

    /// <summary>φ(x) = √2·sin(√(2γ)·x + π/4) (<see cref="Layers.Rbf"/>).</summary>
    Rbf = 6,

    /// <summary>φ(x) = a·exp(b·x²) (<see cref="Layers.Gaussian"/>).</summary>
    Gaussian = 7,

    /// <summary>φ(x) = a·exp(b·x) (<see cref="Layers.Exp"/>).</summary>
    Exp = 8,

    /// <summary>φ(x) = xⁿ (<see cref="Layers.Monomial"/>).</summary>
    Monomial = 9,

    /// <summary>φ(x) = max(x, 0)ⁿ (<see cref="Layers.RectifiedMonomial"/>).</summary>
    RectifiedMonomial = 10,

    /// <summary>φ(x) = Σᵢ cᵢxⁱ (<see cref="Layers.Polynomial"/>).</summary>
    Polynomial = 11,

    /// <summary>φ(x) = Heₙ(x)/√(n!) (<see cref="Layers.Hermite"/>).</summary>
    Hermite = 12,

    /// <summary>φ(x) = tanh x, dual by quadrature (Mehler series with per-example coefficients; CPU and GPU).</summary>
    Tanh = 13,

    /// <summary>φ(x) = 1/(1 + e^(−x)), dual by quadrature (Mehler series with per-example coefficients; CPU and GPU).</summary>
    Sigmoid = 14,

    /// <summary>φ(x) = ln(1 + eˣ), dual by quadrature (Mehler series with per-example coefficients; CPU and GPU).</summary>
    Softplus = 15,

    /// <summary>φ(x) = x/(1 + e^(−x)), dual by quadrature (Mehler series with per-example coefficients; CPU and GPU).</summary>
    Silu = 16,

    /// <summary>A nonlinearity with no device body (e.g. a C# delegate): it runs on the CPU engine only, through the
    /// family that <see cref="ActivationSpec.N"/> numbers in <see cref="ActivationRegistry.RegisterHost"/>.</summary>
    Host = 255,
}
