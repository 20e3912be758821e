using NtkSharp.Layers;

namespace NtkSharp.Kernels;

internal sealed partial class SpatialProgram
{
    /// <summary>
    /// The diagonal layout (no pooling: a Flatten readout) of a plan with group layers. Only the u = e block is read
    /// there (Flatten takes the diagonal mean over (g, p), equal for every g) and it evolves exactly as a CNN's: the
    /// group convolutions become plain convolutions (their fan-ins kept) and every step acts on one block.
    /// </summary>
    private static SpatialInstruction[] CollapseGroups(SpatialInstruction[] steps) => [.. steps.Select(s => s.InBlocks == 1 && s.OutBlocks == 1
        ? s
        : s with
        {
            Op = s.Op is SpatialOpCode.Lift or SpatialOpCode.GroupConv ? SpatialOpCode.Conv : s.Op,
            InBlocks = 1, OutBlocks = 1, GroupMatrices = null,
        })];

    /// <summary>Lift (from an image, one block) or GroupConv (block by block) in the full layout, then the affine map:
    /// K′_u(p, p′) = (1/k²)·Σ_d K_u(p + d, p′ + u·d), with K_u = K for every u when lifting.</summary>
    private void GroupConvolution(SpatialInstruction ins, SpatialWorkspace ws, double[] k, double[] t, bool wantNtk)
    {
        int size = Size(ins.OutH, ins.OutW), blocks = ins.OutBlocks;
        GroupWindows(ins, k, ws.Tmp, ws.GroupMid);
        if (wantNtk)
        {
            if (ins.ThetaZero) t.AsSpan(0, size * blocks).Clear();
            else GroupWindows(ins, t, ws.Tmp, ws.GroupMid);
        }
        AffineUpdate(ins, k.AsSpan(0, size * blocks), t.AsSpan(0, size * blocks), wantNtk);
    }

    private void GroupWindows(SpatialInstruction ins, double[] x, double[] tmp, Span<double> mid)
    {
        int size = Size(ins.OutH, ins.OutW);
        mid = mid[..size];
        if (ins.Op == SpatialOpCode.Lift)
        {
            x.AsSpan(0, Size(ins.InH, ins.InW)).CopyTo(tmp);
            for (int u = 0; u < ins.OutBlocks; u++)
                GroupSpatial.Window(tmp.AsSpan(0, size), mid, x.AsSpan(u * size, size), ins.AxisH!, ins.AxisW!, ins.GroupMatrices![u], ins.Scale);
            return;
        }
        for (int u = 0; u < ins.OutBlocks; u++)
        {
            // The first pass reads the block into mid, so the second may write the block in place.
            var block = x.AsSpan(u * size, size);
            GroupSpatial.Window(block, mid, block, ins.AxisH!, ins.AxisW!, ins.GroupMatrices![u], ins.Scale);
        }
    }

    /// <summary>GroupPool: block 0 ← (1/|G|)·Σ_u K_u.</summary>
    private void GroupMean(SpatialInstruction ins, double[] x)
    {
        int size = Size(ins.InH, ins.InW);
        var sum = x.AsSpan(0, size);
        for (int u = 1; u < ins.InBlocks; u++) SpatialOps.AddTo(sum, x.AsSpan(u * size, size));
        SpatialOps.Affine(sum, ins.Scale, 0.0);
    }
}
