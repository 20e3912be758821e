using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>Sums its branches (neural-tangents' <c>stax.FanInSum</c>): K' = Σ K_i, Θ' = Σ Θ_i.</summary>
/// <remarks>
/// Adding kernels is exact only when the branches are uncorrelated. That holds when every branch but at most one
/// ends with an affine layer whose fresh zero-mean weights came after the <see cref="FanOut"/> (e.g. the residual
/// block <c>Parallel(Serial(Relu(), Dense(…)), Identity())</c>); anything else is rejected when built.
/// </remarks>
public sealed record FanInSum : Layer
{
    /// <inheritdoc />
    public override string Name => "FanInSum";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        if (inputs.Length < 2)
            throw new ArchitectureException("FanInSum has only one branch to join; it must follow FanOut(n) and Parallel(...) with n ≥ 2.", path);
        int correlated = inputs.Count(b => !b.ZeroMeanFresh);
        if (correlated > 1)
            throw new ArchitectureException(
                $"{correlated} of the {inputs.Length} branches are correlated with each other (no fresh affine layer since the FanOut): their kernels cannot simply be added. End all but one branch with a Dense or Conv layer.",
                path);
        int[]? shape = null;
        foreach (var b in inputs)
        {
            if (b.Shape is null) continue;
            if (shape is null) shape = b.Shape;
            else if (!shape.SequenceEqual(b.Shape))
                throw new ArchitectureException($"FanInSum branches have different shapes ({string.Join("×", shape)} vs {string.Join("×", b.Shape)}).", path);
        }
        return [new Branch(inputs.All(b => b.Gaussian), inputs.All(b => b.ZeroMeanFresh), shape, Input: inputs.Any(b => b.Input))];
    }

    /// <summary>K and Θ of the other branches are added into the first branch's register.</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var ins = node.Inputs.Select(plan.Signal).ToArray();
        var target = ins[0];
        for (int k = 1; k < ins.Length; k++)
            plan.Add(node, new SpatialInstruction { Op = SpatialOpCode.Add, Reg = target.Reg, Src = ins[k].Reg, InH = target.H, InW = target.W, OutH = target.H, OutW = target.W });
        plan.Bind(node.Output, target with { ThetaZero = ins.All(x => x.ThetaZero) });
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        var inputs = node.Inputs.Select(finite.Register).ToArray();
        int output = finite.AddRegister(finite.Shape(inputs[0]));
        finite.Add(new SumOp(node.Path, inputs, output));
        finite.Bind(node.Output, output);
    }

    /// <inheritdoc />
    public override string ToString() => "FanInSum()";
}
