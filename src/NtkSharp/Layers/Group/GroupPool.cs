namespace NtkSharp.Layers;

/// <summary>The mean over the group axis: signals on G × ℤ² (|G|, H, W, C) to images (H, W, C).</summary>
/// <remarks>y(p, c) = (1/|G|)·Σ_g f(g, p, c). Kernel: K′(p, p′) = (1/|G|²)·Σ_{g, g′} K(g, p; g′, p′), which on the
/// u = g′g⁻¹-stationary covariances of a lifted network is (1/|G|)·Σ_u K_u(p, p′) (Θ likewise). It needs the
/// covariances of different positions, so such a network is computed in the full spatial layout.</remarks>
public sealed record GroupPool : Layer
{
    /// <inheritdoc />
    public override string Name => "GroupPool";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = null;
        if (b.Shape is { } s)
        {
            var (_, h, w, c) = GroupShapes.Signal(s, null, Name, path);
            shape = [h, w, c];
        }
        return [b with { Shape = shape }];
    }

    internal override void EmitKernel(Kernels.KernelPlanBuilder plan, LayerNode node) => GroupEmit.PoolKernel(plan, node);

    internal override void EmitFinite(Finite.FiniteGraphBuilder finite, LayerNode node) => GroupEmit.Pool(this, finite, node);

    /// <inheritdoc />
    public override string ToString() => "GroupPool()";
}
