using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>Flattens all non-batch axes: (H, W, C) → (H·W·C) (neural-tangents' <c>stax.Flatten</c>).</summary>
/// <remarks>
/// <para>The kernel is the mean of the spatial diagonal, K' = (1/P)·Σ_p K(p, p) (Θ' likewise): the covariance seen by
/// a Dense layer that reads all P·C flattened features with fan-in P·C (Novak et al. 2019). Only the diagonal is needed,
/// so a network whose spatial signals all end in Flatten (no pooling) is computed in the diagonal spatial layout,
/// O(P) per pair of inputs.</para>
/// <para>As in neural-tangents the output is not marked Gaussian: the flattened features have position-dependent
/// variances, so the mean kernel is not the covariance of each feature and a nonlinearity must not follow directly;
/// put a Dense layer first.</para>
/// </remarks>
public sealed record Flatten : Layer
{
    /// <inheritdoc />
    public override string Name => "Flatten";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = null;
        if (b.Shape is { } s)
        {
            long size = 1;
            foreach (int a in s) size *= a;
            if (size > int.MaxValue) throw new ArchitectureException($"Flatten would give {size} features, more than {int.MaxValue}.", path);
            shape = [(int)size];
        }
        return [b with { Gaussian = false, Shape = shape }];
    }

    /// <summary>The mean of the spatial diagonal (K and Θ of the flattened vector over C·H·W features); nothing on a
    /// vector, whose flattening is itself (so vector networks with Flatten stay per-entry on every engine).</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var x = plan.Input(node);
        if (!x.Spatial)
        {
            plan.Bind(node.Output, x);
            return;
        }
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.Flatten, Reg = x.Reg, InH = x.H, InW = x.W, OutH = 1, OutW = 1, Scale = 1.0 / (x.H * x.W),
        });
        plan.Bind(node.Output, new PlanSignal(x.Reg, 1, 1, x.C * x.H * x.W, false, x.ThetaZero));
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        int size = finite.Shape(input).Aggregate(1, (x, y) => checked(x * y));
        int output = finite.AddRegister([size]);
        finite.Add(new FlattenOp(node.Path, input, output));
        finite.Bind(node.Output, output);
    }

    /// <inheritdoc />
    public override string ToString() => "Flatten()";
}
