using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>
/// Dropout in neural-tangents' train mode (<c>stax.Dropout(rate, mode='train')</c>): every unit is kept with
/// probability <see cref="Rate"/> — the <em>keep</em> rate, as in neural-tangents and JAX's <c>stax.Dropout</c> — and
/// scaled by 1/rate, y = m·x/rate with m ~ Bernoulli(rate) independent across examples, units, positions and calls.
/// </summary>
/// <remarks>
/// <para><b>Kernel.</b> The masks of two different examples are independent, E[m m′] = rate², so the covariance of two
/// different examples (or positions) is unchanged; the same unit of the same example has E[m²]/rate² = 1/rate. Hence
/// the per-example self variances K(x, x)(p, p) that later layers read are multiplied by 1/rate, and of the Gram
/// matrices only the diagonal of the symmetric one, K(xᵢ, xᵢ)(p, p) and Θ(xᵢ, xᵢ)(p, p) (the same example i = j and the
/// same position p), is multiplied by 1/rate; a kernel between two different input sets, kernel(x1, x2), is unchanged
/// even where an example occurs in both (its two copies get independent masks), as are covariances between different
/// positions of one example. The gradient through the layer carries the same mask, so Θ scales as K does. rate = 1 is
/// the identity.</para>
/// <para><b>Rules.</b> As in neural-tangents the output is not marked Gaussian (x·m/rate is a mixture, not a Gaussian
/// variable), so a nonlinearity may not follow directly — put a Dense or Conv layer first; and Dropout cannot be applied
/// to the network input (whose finitely many features do not average the masks out).</para>
/// <para><b>Finite networks.</b> The mask is drawn per forward pass from a counter-based hash of (the pass's key, the
/// op, the example's place in the batch, the unit), so the CPU and the GPU ensemble engines draw the same masks and a
/// backward pass reuses its forward pass's mask: Monte Carlo kernels key sample i by (seed, i); ensemble training keys
/// every training step by (seed, member, step) — a fresh mask per step; <see cref="FiniteNetwork"/>'s methods take an
/// optional dropoutKey. A forward pass without a key — ensemble outputs on test inputs, <c>Evaluate</c>, or
/// <see cref="FiniteNetwork"/> calls without dropoutKey — runs in test mode, where the layer is the identity.</para>
/// </remarks>
public sealed record Dropout : Layer
{
    /// <summary>Creates the layer; see <see cref="Stax.Dropout"/>.</summary>
    /// <param name="rate">The keep probability, 0 &lt; rate ≤ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in (0, 1] (or is NaN).</exception>
    public Dropout(double rate)
    {
        if (!(rate > 0.0 && rate <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(rate), rate,
                $"Dropout's rate is the keep probability and must be in (0, 1] (neural-tangents' convention); got {ArchitectureText.Format(rate)}.");
        Rate = rate;
    }

    /// <summary>The keep probability (neural-tangents' <c>rate</c>): 1 keeps every unit.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public override string Name => "Dropout";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        if (b.Input)
            throw new ArchitectureException(
                "Dropout cannot be applied to the network input (neural-tangents' rule): its finitely many features do not average the masks out; put a Dense or Conv layer before it.",
                path);
        return [b with { Gaussian = false }];
    }

    /// <summary>K and Θ times 1/rate on the same example and position, in the self pass only (the per-example variances
    /// and the symmetric Gram's diagonal); nothing between different examples or positions.</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var x = plan.Input(node);
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.Dropout, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W, Scale = 1.0 / Rate,
            InBlocks = x.Blocks, OutBlocks = x.Blocks,
        });
        plan.Bind(node.Output, x);
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var shape = finite.Shape(input);
        int output = finite.AddRegister(shape);
        finite.Add(new DropoutOp(node.Path, input, output, shape.Aggregate(1, (a, b) => checked(a * b)), Rate));
        finite.Bind(node.Output, output);
    }

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Dropout", [], ("rate", Rate, double.NaN));
}

public static partial class Stax
{
    /// <summary>Dropout in neural-tangents' train mode: keeps each unit with probability <paramref name="rate"/> and
    /// scales it by 1/rate; the kernels' symmetric diagonal and self variances are multiplied by 1/rate
    /// (<see cref="Layers.Dropout"/>).</summary>
    /// <param name="rate">The keep probability, 0 &lt; rate ≤ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in (0, 1].</exception>
    public static Dropout Dropout(double rate) => new(rate);
}
