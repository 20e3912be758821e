using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>
/// Layer normalisation without learned scale or shift (neural-tangents' <c>stax.LayerNorm</c> with its defaults
/// <c>axis=-1, eps=1e-12</c>): y = (x − mean(x))/√(var(x) + ε) over the channels — the features of a vector, the
/// channels at each position of an image or signal (population variance).
/// </summary>
/// <remarks>
/// <para>Kernel (exact wherever the layer sits): at infinite width the n features at a position are exchangeable with a
/// deterministic per-example mean μ(x) = E[feature] and second moment K(x, x), so the layer maps
/// K′(x, x′) = (K(x, x′) − μ(x)μ(x′))/(s(x)s(x′)), Θ′(x, x′) = Θ(x, x′)/(s(x)s(x′)),
/// s(x)² = max(K(x, x) − μ(x)², 0) + ε, per pair of positions for images (μ and s at each position). The gradients of
/// the mean and of s contribute O(1/n) and vanish in the limit. μ is tracked by the self pass: the channel mean of the
/// raw input, 0 after an affine layer (Dense, Conv, group convolutions) or another LayerNorm, E[φ(u)], u ~ N(0, K(x, x)),
/// after a nonlinearity (its registry family's <c>Mean</c>), mapped linearly by FanOut, FanInSum, pooling, Flatten and
/// GroupPool exactly as they map the features. Where μ = 0 (a Gaussian input) this is neural-tangents' formula
/// K′ = K/√((K₁₁ + ε)(K₂₂ + ε)).</para>
/// <para>The output is Gaussian exactly when the input is (then μ = 0 and the layer is a deterministic rescaling): a
/// nonlinearity may follow it only then; after a nonlinearity, Flatten or the raw input put a Dense or Conv layer
/// first.</para>
/// </remarks>
public sealed record LayerNorm : Layer
{
    /// <summary>neural-tangents' default ε, added to the variance.</summary>
    public const double DefaultEps = 1e-12;

    /// <summary>Creates the layer; see <see cref="Stax.LayerNorm"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eps"/> is negative or not finite.</exception>
    public LayerNorm(double eps = DefaultEps)
    {
        if (!double.IsFinite(eps) || eps < 0.0)
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be a finite, non-negative number added to the variance.");
        Eps = eps;
    }

    /// <summary>ε, added to the variance before the square root (neural-tangents' <c>eps</c>).</summary>
    public double Eps { get; }

    /// <inheritdoc />
    public override string Name => "LayerNorm";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        if (b.Shape is { Length: > 0 } s && s[^1] < 1)
            throw new ArchitectureException("LayerNorm needs at least one channel.", path);
        // A deterministic per-example (per-position) affine map of the features: Gaussian iff the input was, and as
        // uncorrelated with other branches as its input.
        return [b];
    }

    /// <summary>K ← (K − μ₁μ₂)/(s₁s₂), Θ ← Θ/(s₁s₂) per pair of positions, with μ and s recorded per example and
    /// position by the self pass (two slots per position: the means, then the scales).</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var x = plan.Input(node);
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.LayerNorm, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W,
            SlotOffset = plan.ReserveSlots(2 * x.H * x.W), Epsilon = Eps,
        });
        plan.Bind(node.Output, x);
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var shape = finite.Shape(input);
        int output = finite.AddRegister(shape);
        finite.Add(new LayerNormOp(node.Path, input, output, shape.Aggregate(1, (a, c) => checked(a * c)), shape[^1], Eps, node.Who));
        finite.Bind(node.Output, output);
    }

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("LayerNorm", [], ("eps", Eps, DefaultEps));
}

public static partial class Stax
{
    /// <summary>Layer normalisation over the channels (neural-tangents' <c>stax.LayerNorm</c>); see
    /// <see cref="Layers.LayerNorm"/>.</summary>
    /// <param name="eps">ε added to the variance (neural-tangents' default 1e-12).</param>
    public static LayerNorm LayerNorm(double eps = Layers.LayerNorm.DefaultEps) => new(eps);
}
