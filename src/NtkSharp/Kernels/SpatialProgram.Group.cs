using NtkSharp.Layers;

namespace NtkSharp.Kernels;

internal sealed partial class SpatialProgram
{
    private sealed partial class Compiler
    {
        /// <summary>
        /// The group-convolutional layers. In the full layout a signal on G × ℤ² holds one tensor K_u(p, p′) per
        /// u = g′g⁻¹ (the covariance of (g, p) and (g′, p′) of a lifted network depends on g, g′ only through u; see
        /// <see cref="LiftingConv"/>). In the diagonal layout (no pooling, a Flatten readout) only the u = e block is
        /// read, and it evolves exactly as a CNN's: the layers compile to plain convolutions with the group's fan-in.
        /// </summary>
        public List<Signal> EmitGroup(Layer layer, Signal x, string path)
        {
            switch (layer)
            {
                case LiftingConv lc:
                    return [Convolution(x, PlanarGroupTable.For(lc.Group), lc.Filter.H, lc.Padding, lc.WStd, lc.BStd, lc.Parameterization,
                        x.C * lc.Filter.H * lc.Filter.W, lc.HasBias, lc.Channels, lift: true)];
                case GroupConv gc:
                {
                    var table = PlanarGroupTable.For(gc.Group);
                    double fanIn = x.C * gc.Filter.H * gc.Filter.W * (gc.Support == GroupSupport.Full ? table.Order : 1);
                    return [Convolution(x, table, gc.Filter.H, gc.Padding, gc.WStd, gc.BStd, gc.Parameterization, fanIn, gc.HasBias, gc.Channels, lift: false)];
                }
                case GroupPool:
                {
                    RequireFull(layer, path);
                    Code.Add(new SpatialInstruction
                    {
                        Op = SpatialOpCode.GroupPool, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W, InBlocks = x.Blocks,
                        Scale = 1.0 / x.Blocks,
                    });
                    return [x with { Order = 1, Blocks = 1 }];
                }
                default:
                    throw new NotSupportedException($"{layer.Name} is not a group layer.");
            }
        }

        private Signal Convolution(Signal x, PlanarGroupTable table, int k, Padding padding, double wStd, double bStd,
            Parameterization parameterization, double fanIn, bool hasBias, int channels, bool lift)
        {
            var ah = new AxisWindow(x.H, k, 1, padding);
            var aw = new AxisWindow(x.W, k, 1, padding);
            bool full = layout == SpatialLayout.Full;
            int blocks = full ? table.Order : 1;
            int[][]? matrices = full
                ? [.. Enumerable.Range(0, table.Order).Select(u => new[] { table.Apply(u, 1, 0).Dh, table.Apply(u, 1, 0).Dw, table.Apply(u, 0, 1).Dh, table.Apply(u, 0, 1).Dw })]
                : null;
            Code.Add(new SpatialInstruction
            {
                Op = !full ? SpatialOpCode.Conv : lift ? SpatialOpCode.Lift : SpatialOpCode.GroupConv,
                Reg = x.Reg, InH = x.H, InW = x.W, OutH = ah.OutLength, OutW = aw.OutLength, AxisH = ah, AxisW = aw,
                Scale = 1.0 / (k * k), ThetaZero = x.ThetaZero, W2 = wStd * wStd, B2 = bStd * bStd,
                Standard = parameterization == Parameterization.Standard, FanIn = fanIn, BiasNtk = hasBias ? 1.0 : 0.0,
                InBlocks = lift ? 1 : blocks, OutBlocks = blocks, GroupMatrices = matrices,
            });
            return new Signal(x.Reg, ah.OutLength, aw.OutLength, channels, true, false, table.Order, blocks);
        }
    }

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
