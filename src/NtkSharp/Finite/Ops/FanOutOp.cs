using NtkSharp.Compute.Gpu.Ensembles;

namespace NtkSharp.Finite.Ops;

/// <summary><c>FanOut(n)</c>: copies the input into n registers; backward sums the branch gradients.</summary>
internal sealed class FanOutOp : FiniteOp, IDeviceOp
{
    public FanOutOp(string path, int input, int[] outputs)
        : base(path, [input], outputs[0], 0, 0)
    {
        Outputs = outputs;
    }

    /// <summary>All output registers (one per branch).</summary>
    public int[] Outputs { get; }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var x = ws.Value(Inputs[0], examples);
        foreach (int o in Outputs) x.CopyTo(ws.Value(o, examples));
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var gx = ws.Gradient(Inputs[0], rows);
        ws.Gradient(Outputs[0], rows).CopyTo(gx);
        for (int k = 1; k < Outputs.Length; k++)
        {
            var g = ws.Gradient(Outputs[k], rows);
            for (int i = 0; i < gx.Length; i++) gx[i] += g[i];
        }
    }

    /// <summary>Copies the input into every branch register for all members.</summary>
    void IDeviceOp.Forward(DeviceNetwork net, int examples)
    {
        int count = examples * net.Size(Output);
        foreach (int o in Outputs) net.Kernels.Copy(net.Members, count, net.Value(Inputs[0]), net.Value(o));
    }

    /// <summary>Sums the branch gradients (not for the network input).</summary>
    void IDeviceOp.Backward(DeviceNetwork net, int examples)
    {
        int input = Inputs[0], count = examples * net.Size(Output);
        if (input == 0) return;
        net.Kernels.Copy(net.Members, count, net.Grad(Outputs[0]), net.Grad(input));
        for (int b = 1; b < Outputs.Length; b++) net.Kernels.Accumulate(net.Members, count, net.Grad(Outputs[b]), net.Grad(input));
    }
}
