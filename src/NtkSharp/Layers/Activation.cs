using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>
/// A pointwise nonlinearity φ. Its kernel update is K' = T(K₁₁, K₁₂, K₂₂), Θ' = Ṫ(K₁₁, K₁₂, K₂₂)·Θ with the
/// dual functions of <see cref="DualActivations"/>.
/// </summary>
/// <remarks>The duals are Gaussian expectations, exact only when the input is an (infinitely wide) affine layer's
/// output: a nonlinearity on the raw input or right after another nonlinearity is rejected when the architecture is built.</remarks>
public abstract record Activation : Layer
{
    /// <summary>The dual family.</summary>
    public abstract ActivationKind Kind { get; }

    /// <summary>Slope for x &lt; 0 in the ABRelu family (0 otherwise).</summary>
    public virtual double A => 0.0;

    /// <summary>Slope for x &gt; 0 in the ABRelu family (0 otherwise).</summary>
    public virtual double B => 0.0;

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        if (!b.Gaussian)
            throw new ArchitectureException(
                $"{Name} needs an affine layer (Dense or Conv) before it: its kernel is a Gaussian expectation, exact only on an affine layer's output, not on the raw input or another nonlinearity's output.",
                path);
        return [new Branch(false, false, b.Shape)];
    }
}

/// <summary>φ(x) = max(x, 0): the arc-cosine kernel of degree 1 (Cho &amp; Saul 2009).</summary>
public sealed record Relu : Activation
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.ABRelu;

    /// <inheritdoc />
    public override double B => 1.0;

    /// <inheritdoc />
    public override string Name => "Relu";

    /// <inheritdoc />
    public override string ToString() => "Relu()";
}

/// <summary>φ(x) = x for x ≥ 0, α·x otherwise (ABRelu(α, 1)).</summary>
public sealed record LeakyRelu : Activation
{
    /// <summary>Creates the layer.</summary>
    public LeakyRelu(double alpha)
    {
        LayerChecks.Finite(alpha, nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.ABRelu;

    /// <inheritdoc />
    public override double A => Alpha;

    /// <inheritdoc />
    public override double B => 1.0;

    /// <inheritdoc />
    public override string Name => "LeakyRelu";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("LeakyRelu", [Alpha]);
}

/// <summary>φ(x) = a·min(x, 0) + b·max(x, 0) (neural-tangents' <c>ABRelu</c>).</summary>
/// <remarks>T = (a − b)²·(s + (π − θ)c₁₂)/(2π) + ab·c₁₂, Ṫ = (a − b)²·(π − θ)/(2π) + ab, with
/// s = √(c₁₁c₂₂ − c₁₂²), θ = atan2(s, c₁₂).</remarks>
public sealed record ABRelu : Activation
{
    /// <summary>Creates the layer.</summary>
    public ABRelu(double a, double b)
    {
        LayerChecks.Finite(a, nameof(a));
        LayerChecks.Finite(b, nameof(b));
        ASlope = a;
        BSlope = b;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double ASlope { get; }

    /// <summary>The slope for positive inputs.</summary>
    public double BSlope { get; }

    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.ABRelu;

    /// <inheritdoc />
    public override double A => ASlope;

    /// <inheritdoc />
    public override double B => BSlope;

    /// <inheritdoc />
    public override string Name => "ABRelu";

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("ABRelu", [ASlope, BSlope]);
}

/// <summary>φ(x) = |x| (ABRelu(−1, 1)).</summary>
public sealed record Abs : Activation
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.ABRelu;

    /// <inheritdoc />
    public override double A => -1.0;

    /// <inheritdoc />
    public override double B => 1.0;

    /// <inheritdoc />
    public override string Name => "Abs";

    /// <inheritdoc />
    public override string ToString() => "Abs()";
}

/// <summary>φ(x) = erf(x): the arcsine kernel (Williams 1997).</summary>
/// <remarks>T = (2/π)·arcsin(2c₁₂/√((1 + 2c₁₁)(1 + 2c₂₂))), computed as an atan2.</remarks>
public sealed record Erf : Activation
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Erf;

    /// <inheritdoc />
    public override string Name => "Erf";

    /// <inheritdoc />
    public override string ToString() => "Erf()";
}
