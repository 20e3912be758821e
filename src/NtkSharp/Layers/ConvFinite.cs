using NtkSharp.Finite;
using NtkSharp.Finite.Ops;

namespace NtkSharp.Layers;

/// <summary>Finite-width lowering of the convolutional layers (ops in <c>Finite/Ops</c>).</summary>
internal static class ConvFinite
{
    public static int Single(Layer layer, int[] inputs, string path)
    {
        if (inputs.Length != 1)
            throw new ArchitectureException($"{layer.Name} takes one input but {inputs.Length} branches reach it.", path);
        return inputs[0];
    }

    public static int[] Conv(Conv layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        int input = Single(layer, inputs, path);
        var shape = b.Shape(input);
        var (h, w, c) = SpatialShape.Spatial(shape, layer.Name, path);
        int output = b.AddRegister(SpatialShape.Window(shape, layer.Filter, layer.Strides, layer.Padding, layer.Channels, layer.Name, path));
        int count = checked(layer.Filter.H * layer.Filter.W * c * layer.Channels + (layer.HasBias ? layer.Channels : 0));
        b.Add(new ConvOp(path, input, output, b.AllocateParameters(count), h, w, c, layer));
        return [output];
    }

    public static int[] Pool(PoolingLayer layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        int input = Single(layer, inputs, path);
        var shape = b.Shape(input);
        var (h, w, c) = SpatialShape.Spatial(shape, layer.Name, path);
        int output = b.AddRegister(SpatialShape.Window(shape, layer.Window, layer.Strides, layer.Padding, c, layer.Name, path));
        b.Add(new PoolOp(path, input, output, h, w, c, layer));
        return [output];
    }

    public static int[] GlobalPool(GlobalPoolingLayer layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        int input = Single(layer, inputs, path);
        var shape = b.Shape(input);
        var (g, h, w, c) = shape.Length == 4 ? GroupShapes.Signal(shape, null, layer.Name, path) : (1, 0, 0, 0);
        if (shape.Length != 4) (h, w, c) = SpatialShape.Spatial(shape, layer.Name, path);
        int output = b.AddRegister([c]);
        b.Add(new GlobalPoolOp(path, input, output, g * h * w, c, layer));
        return [output];
    }

    public static int[] Flatten(Flatten layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        int input = Single(layer, inputs, path);
        int size = b.Shape(input).Aggregate(1, (x, y) => checked(x * y));
        int output = b.AddRegister([size]);
        b.Add(new FlattenOp(path, input, output));
        return [output];
    }
}
