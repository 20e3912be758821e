using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>Copies its input into <see cref="Count"/> branches (neural-tangents' <c>stax.FanOut</c>).</summary>
public sealed record FanOut : Layer
{
    /// <summary>Creates the layer.</summary>
    public FanOut(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "FanOut needs at least one branch.");
        Count = count;
    }

    /// <summary>The number of copies.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public override string Name => "FanOut";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        var copy = b with { ZeroMeanFresh = false };
        return Enumerable.Repeat(copy, Count).ToArray();
    }

    /// <summary>The first branch keeps the register; each other branch gets a copy of (K, Θ).</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var x = plan.Input(node);
        plan.Bind(node.Outputs[0], x);
        for (int k = 1; k < Count; k++)
        {
            int nr = plan.NewRegister();
            plan.Add(node, new SpatialInstruction { Op = SpatialOpCode.Copy, Reg = nr, Src = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W });
            plan.Bind(node.Outputs[k], x with { Reg = nr });
        }
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var outs = new int[Count];
        for (int i = 0; i < outs.Length; i++) outs[i] = finite.AddRegister(finite.Shape(input));
        finite.Add(new FanOutOp(node.Path, input, outs));
        for (int i = 0; i < outs.Length; i++) finite.Bind(node.Outputs[i], outs[i]);
    }

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("FanOut", [Count]);
}
