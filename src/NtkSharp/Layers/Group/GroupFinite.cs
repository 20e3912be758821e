using NtkSharp.Finite;
using NtkSharp.Finite.Ops;

namespace NtkSharp.Layers;

/// <summary>Finite-width lowering of the group-convolutional layers (ops in <c>Finite/Ops</c>).</summary>
internal static class GroupFinite
{
    public static int[] Lifting(LiftingConv layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        int input = ConvFinite.Single(layer, inputs, path);
        GroupShapes.CheckFilter(layer.Name, layer.Filter, layer.Padding, path);
        var (h, w, c) = GroupShapes.Image(b.Shape(input), layer.Name, path);
        int output = b.AddRegister([PlanarGroupTable.For(layer.Group).Order, h, w, layer.Channels]);
        var op = new GroupConvOp(path, input, output, b.ParameterCount, h, w, c, layer.Channels, layer.Group, layer.Filter, layer.Padding,
            layer.WStd, layer.BStd, lifting: true, GroupSupport.Identity, layer.Parameterization);
        b.AllocateParameters(op.ParameterCount);
        b.Add(op);
        return [output];
    }

    public static int[] Group(GroupConv layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        int input = ConvFinite.Single(layer, inputs, path);
        GroupShapes.CheckFilter(layer.Name, layer.Filter, layer.Padding, path);
        var (g, h, w, c) = GroupShapes.Signal(b.Shape(input), layer.Group, layer.Name, path);
        int output = b.AddRegister([g, h, w, layer.Channels]);
        var op = new GroupConvOp(path, input, output, b.ParameterCount, h, w, c, layer.Channels, layer.Group, layer.Filter, layer.Padding,
            layer.WStd, layer.BStd, lifting: false, layer.Support, layer.Parameterization);
        b.AllocateParameters(op.ParameterCount);
        b.Add(op);
        return [output];
    }

    public static int[] Pool(GroupPool layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        int input = ConvFinite.Single(layer, inputs, path);
        var (g, h, w, c) = GroupShapes.Signal(b.Shape(input), null, layer.Name, path);
        int output = b.AddRegister([h, w, c]);
        b.Add(new GroupPoolOp(path, input, output, g, h * w * c));
        return [output];
    }
}
