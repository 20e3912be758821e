using NtkSharp.Compute.Gpu.Ensembles;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary><see cref="Flatten"/>: row-major (H, W, C) values are already the flattened vector; values and gradients are copied.</summary>
internal sealed class FlattenOp(string path, int input, int output) : FiniteOp(path, [input], output, 0, 0), IDeviceOp
{
    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
        => ws.Value(Inputs[0], examples).CopyTo(ws.Value(Output, examples));

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        ws.Gradient(Output, rows).CopyTo(ws.Gradient(Inputs[0], rows));
    }

    /// <summary>The row-major values are already flat: a copy for all members.</summary>
    void IDeviceOp.Forward(DeviceNetwork net, int examples)
        => net.Kernels.Copy(net.Members, examples * net.Size(Output), net.Value(Inputs[0]), net.Value(Output));

    /// <summary>Copies the gradient back (not for the network input).</summary>
    void IDeviceOp.Backward(DeviceNetwork net, int examples)
    {
        if (Inputs[0] != 0) net.Kernels.Copy(net.Members, examples * net.Size(Output), net.Grad(Output), net.Grad(Inputs[0]));
    }
}
