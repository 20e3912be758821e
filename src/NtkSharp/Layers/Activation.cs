using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>
/// A pointwise nonlinearity φ. Its kernel update is K' = T(K₁₁, K₁₂, K₂₂), Θ' = Ṫ(K₁₁, K₁₂, K₂₂)·Θ with the dual
/// T = E[φ(u)φ(v)], Ṫ = E[φ′(u)φ′(v)] over the centred Gaussian pair with covariances (K₁₁, K₁₂, K₂₂)
/// (Cho &amp; Saul 2009; Lee et al. 2018; Jacot et al. 2018).
/// </summary>
/// <remarks>
/// <para>The duals are Gaussian expectations, exact only when the input is an (infinitely wide) affine layer's
/// output: a nonlinearity on the raw input or right after another nonlinearity is rejected when the architecture is built.</para>
/// <para>Every nonlinearity is one entry of the activation registry (docs/layers.md, "Adding a nonlinearity"): its layer
/// names an engine-internal spec (kind and parameters) whose family holds φ, φ′, the dual and its run and device bodies.</para>
/// </remarks>
public abstract record Activation : Layer
{
    /// <summary>The registry entry: kind and parameters (engine-internal).</summary>
    internal abstract ActivationSpec Spec { get; }

    /// <summary>The registry family that evaluates <see cref="Spec"/>.</summary>
    internal ActivationFamily Family => ActivationRegistry.Family(Spec);

    /// <summary>The dual family (engine-internal).</summary>
    internal ActivationKind Kind => Spec.Kind;

    /// <summary>The first parameter of the spec (the slope for x &lt; 0 in the ABRelu family).</summary>
    internal double A => Spec.P0;

    /// <summary>The second parameter of the spec (the slope for x &gt; 0 in the ABRelu family).</summary>
    internal double B => Spec.P1;

    /// <summary>The numeric arguments of the layer in the order its architecture text writes them (empty when it has none).</summary>
    public virtual IReadOnlyList<double> Parameters => [];

    /// <summary>φ(<paramref name="x"/>).</summary>
    public double Phi(double x) => Family.Value(Spec, x);

    /// <summary>φ′(<paramref name="x"/>) (at a kink, the one-sided value the layer documents).</summary>
    public double PhiDerivative(double x) => Family.Derivative(Spec, x);

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        if (!b.Gaussian)
            throw new ArchitectureException(
                $"{Name} needs an affine layer (Dense or Conv) before it: its kernel is a Gaussian expectation, exact only on an affine layer's output (or a LayerNorm of one), not on the raw input, another nonlinearity's output, Flatten's output or a LayerNorm of those.",
                path);
        return [new Branch(false, false, b.Shape)];
    }

    /// <summary>K ← T(c₁₁, K, c₂₂), Θ ← Ṫ·Θ per entry, with the diagonal variances recorded per position.</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var x = plan.Input(node);
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.Activation, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W,
            Activation = Spec, SlotOffset = plan.ReserveSlots(x.H * x.W),
        });
        plan.Bind(node.Output, x);
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var shape = finite.Shape(input);
        int output = finite.AddRegister(shape);
        finite.Add(new ActivationOp(node.Path, input, output, shape.Aggregate(1, (x, y) => x * y), this));
        finite.Bind(node.Output, output);
    }
}
