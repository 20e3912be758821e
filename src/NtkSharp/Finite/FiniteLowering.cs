using NtkSharp.Finite.Ops;
using NtkSharp.Layers;

namespace NtkSharp.Finite;

/// <summary>Lowers the built-in layers (Dense, the activations, Identity, Serial, Parallel, FanOut, FanInSum) into finite ops.</summary>
internal static class FiniteLowering
{
    public static int[] Emit(Layer layer, FiniteGraphBuilder b, int[] inputs, string path)
    {
        switch (layer)
        {
            case Serial s:
            {
                var cur = inputs;
                for (int i = 0; i < s.Layers.Length; i++) cur = s.Layers[i].EmitFinite(b, cur, $"{path}[{i}]");
                return cur;
            }
            case ParallelLayer p:
            {
                if (inputs.Length != p.Branches.Length)
                    throw new ArchitectureException($"Parallel has {p.Branches.Length} branches but {inputs.Length} reach it.", path);
                var outs = new int[p.Branches.Length];
                for (int i = 0; i < outs.Length; i++)
                {
                    var o = p.Branches[i].EmitFinite(b, [inputs[i]], $"{path}[{i}]");
                    if (o.Length != 1) throw new ArchitectureException("a Parallel branch must end with one signal.", $"{path}[{i}]");
                    outs[i] = o[0];
                }
                return outs;
            }
            case Identity:
                return [Single(layer, inputs, path)];
            case FanOut f:
            {
                int input = Single(layer, inputs, path);
                var outs = new int[f.Count];
                for (int i = 0; i < outs.Length; i++) outs[i] = b.AddRegister(b.Shape(input));
                b.Add(new FanOutOp(path, input, outs));
                return outs;
            }
            case FanInSum:
            {
                if (inputs.Length < 2) throw new ArchitectureException("FanInSum needs at least two branches.", path);
                var shape = b.Shape(inputs[0]);
                foreach (int r in inputs)
                {
                    if (!b.Shape(r).SequenceEqual(shape))
                        throw new ArchitectureException("FanInSum branches have different shapes.", path);
                }
                int output = b.AddRegister(shape);
                b.Add(new SumOp(path, inputs, output));
                return [output];
            }
            case Dense d:
            {
                int input = Single(layer, inputs, path);
                var inShape = b.Shape(input);
                int fanIn = inShape[^1];
                int positions = inShape.Aggregate(1, (x, y) => x * y) / fanIn;
                var outShape = (int[])inShape.Clone();
                outShape[^1] = d.Width;
                int output = b.AddRegister(outShape);
                int offset = b.AllocateParameters(checked(fanIn * d.Width + (d.HasBias ? d.Width : 0)));
                b.Add(new DenseOp(path, input, output, offset, fanIn, positions, d));
                return [output];
            }
            case Activation a:
            {
                int input = Single(layer, inputs, path);
                var shape = b.Shape(input);
                int output = b.AddRegister(shape);
                b.Add(new ActivationOp(path, input, output, shape.Aggregate(1, (x, y) => x * y), a));
                return [output];
            }
            default:
                throw new NotSupportedException($"Layer {path} ({layer.Name}) has no finite-width network.");
        }
    }

    private static int Single(Layer layer, int[] inputs, string path)
    {
        if (inputs.Length != 1)
            throw new ArchitectureException($"{layer.Name} takes one input but {inputs.Length} branches reach it.", path);
        return inputs[0];
    }
}
