using NtkSharp.Compute.Gpu.Ensembles;

namespace NtkSharp.Finite.Ops;

/// <summary><c>FanInSum()</c>: adds the branch registers; backward hands the output gradient to every branch.</summary>
internal sealed class SumOp : FiniteOp, IDeviceOp
{
    public SumOp(string path, int[] inputs, int output)
        : base(path, inputs, output, 0, 0)
    {
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var y = ws.Value(Output, examples);
        ws.Value(Inputs[0], examples).CopyTo(y);
        for (int k = 1; k < Inputs.Length; k++)
        {
            var x = ws.Value(Inputs[k], examples);
            for (int i = 0; i < y.Length; i++) y[i] += x[i];
        }
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        foreach (int r in Inputs)
        {
            if (ws.NeedsGradient(r)) g.CopyTo(ws.Gradient(r, rows));
        }
    }

    /// <summary>Adds the branch registers for all members.</summary>
    void IDeviceOp.Forward(DeviceNetwork net, int examples)
    {
        int count = examples * net.Size(Output);
        net.Kernels.Copy(net.Members, count, net.Value(Inputs[0]), net.Value(Output));
        for (int i = 1; i < Inputs.Length; i++) net.Kernels.Accumulate(net.Members, count, net.Value(Inputs[i]), net.Value(Output));
    }

    /// <summary>Hands the output gradient to every branch (except the network input).</summary>
    void IDeviceOp.Backward(DeviceNetwork net, int examples)
    {
        int count = examples * net.Size(Output);
        foreach (int r in Inputs)
        {
            if (r != 0) net.Kernels.Copy(net.Members, count, net.Grad(Output), net.Grad(r));
        }
    }
}
