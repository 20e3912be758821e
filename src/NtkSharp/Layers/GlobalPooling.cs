using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>Pools over all spatial positions and removes the spatial axes: (H, W, C) or (L, C) → (C)
/// (neural-tangents' <c>stax.GlobalAvgPool</c>, <c>stax.GlobalSumPool</c>).</summary>
/// <remarks>K' = c²·Σ_{p, p'} K(p, p'), Θ' likewise, with c = 1/P for average and 1 for sum pooling. The readout needs
/// every spatial covariance: such a network is computed in the full spatial layout (O(P²) per pair of inputs).</remarks>
public abstract record GlobalPoolingLayer : Layer
{
    /// <summary>True for average pooling (divide by P), false for sum pooling.</summary>
    public abstract bool IsAverage { get; }

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = null;
        if (b.Shape is { } s)
        {
            var (_, _, c) = SpatialShape.Spatial(s, Name, path);
            shape = [c];
        }
        return [b with { Shape = shape }];
    }

    /// <summary>The sum over all pairs of positions (needs the covariances between positions), times c² with
    /// c = 1/(H·W) for the average.</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        plan.NeedPositionCovariances(node);
        var x = plan.Input(node);
        double c = IsAverage ? 1.0 / (x.H * x.W) : 1.0;
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.GlobalPool, Reg = x.Reg, InH = x.H, InW = x.W, OutH = 1, OutW = 1, Scale = c * c,
        });
        plan.Bind(node.Output, new PlanSignal(x.Reg, 1, 1, x.C, false, x.ThetaZero));
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var (h, w, c) = SpatialShape.Spatial(finite.Shape(input), Name, node.Path);
        int output = finite.AddRegister([c]);
        finite.Add(new GlobalPoolOp(node.Path, input, output, h * w, c, this));
        finite.Bind(node.Output, output);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}()";
}

/// <summary>Global average pooling; see <see cref="GlobalPoolingLayer"/>.</summary>
public sealed record GlobalAvgPool : GlobalPoolingLayer
{
    /// <inheritdoc />
    public override bool IsAverage => true;

    /// <inheritdoc />
    public override string Name => "GlobalAvgPool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}

/// <summary>Global sum pooling; see <see cref="GlobalPoolingLayer"/>.</summary>
public sealed record GlobalSumPool : GlobalPoolingLayer
{
    /// <inheritdoc />
    public override bool IsAverage => false;

    /// <inheritdoc />
    public override string Name => "GlobalSumPool";

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}
