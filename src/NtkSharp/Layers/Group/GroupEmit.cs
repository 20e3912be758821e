using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>How the group-convolutional layers emit their kernel steps and finite-width ops.</summary>
internal static class GroupEmit
{
    /// <summary>
    /// A lifting or group convolution's kernel step: per block u = g′g⁻¹, K′_u(p, p′) = (1/k²)·Σ_d K_u(p + d, p′ + u·d)
    /// (K_u = K for every u when lifting an image), then the affine map with the layer's fan-in. The output holds |G|
    /// blocks; a plan without pooling collapses to the u = e block (plain convolutions, <c>SpatialProgram.From</c>).
    /// </summary>
    public static void Kernel(KernelPlanBuilder plan, LayerNode node, PlanarGroup group, int k, Padding padding, double wStd, double bStd,
        Parameterization parameterization, double fanInPerChannel, bool hasBias, int channels, bool lift)
    {
        var x = plan.Input(node);
        var table = PlanarGroupTable.For(group);
        var ah = new AxisWindow(x.H, k, 1, padding);
        var aw = new AxisWindow(x.W, k, 1, padding);
        int[][] matrices = [.. Enumerable.Range(0, table.Order).Select(u => new[] { table.Apply(u, 1, 0).Dh, table.Apply(u, 1, 0).Dw, table.Apply(u, 0, 1).Dh, table.Apply(u, 0, 1).Dw })];
        plan.Add(node, new SpatialInstruction
        {
            Op = lift ? SpatialOpCode.Lift : SpatialOpCode.GroupConv,
            Reg = x.Reg, InH = x.H, InW = x.W, OutH = ah.OutLength, OutW = aw.OutLength, AxisH = ah, AxisW = aw,
            Scale = 1.0 / (k * k), ThetaZero = x.ThetaZero, W2 = wStd * wStd, B2 = bStd * bStd,
            Standard = parameterization == Parameterization.Standard, FanIn = x.C * fanInPerChannel, BiasNtk = hasBias ? 1.0 : 0.0,
            InBlocks = lift ? 1 : table.Order, OutBlocks = table.Order, GroupMatrices = matrices,
        });
        plan.Bind(node.Output, new PlanSignal(x.Reg, ah.OutLength, aw.OutLength, channels, true, false, table.Order));
    }

    /// <summary>GroupPool's kernel step: block 0 ← (1/|G|)·Σ_u K_u (needs the full layout).</summary>
    public static void PoolKernel(KernelPlanBuilder plan, LayerNode node)
    {
        plan.NeedPositionCovariances(node);
        var x = plan.Input(node);
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.GroupPool, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W, InBlocks = x.Blocks, OutBlocks = 1,
            Scale = 1.0 / x.Blocks,
        });
        plan.Bind(node.Output, x with { Blocks = 1 });
    }

    /// <summary>A lifting or group convolution as a finite-width op: the filter expanded over the group
    /// (<see cref="GroupConvOp"/>).</summary>
    public static void Convolution(GroupConvolutionLayer layer, FiniteGraphBuilder b, LayerNode node)
    {
        int input = b.Input(node);
        var shape = b.Shape(input);
        int output = b.AddRegister(layer.OutputShape(shape, node.Path));
        var op = new GroupConvOp(node.Path, input, output, b.ParameterCount, shape[^3], shape[^2], shape[^1], layer.Channels, layer.Group,
            layer.Filter, layer.Padding, layer.WStd, layer.BStd, layer.Lifts, layer.FilterSupport, layer.Parameterization);
        b.AllocateParameters(op.ParameterCount);
        b.Add(op);
        b.Bind(node.Output, output);
    }

    public static void Pool(GroupPool layer, FiniteGraphBuilder b, LayerNode node)
    {
        int input = b.Input(node);
        var (g, h, w, c) = GroupShapes.Signal(b.Shape(input), null, layer.Name, node.Path);
        int output = b.AddRegister([h, w, c]);
        b.Add(new GroupPoolOp(node.Path, input, output, g, h * w * c));
        b.Bind(node.Output, output);
    }
}
