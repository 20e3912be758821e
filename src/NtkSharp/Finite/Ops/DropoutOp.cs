using NtkSharp.Compute.Gpu.Ensembles;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary><see cref="Dropout"/>: y = m·x/rate and ∂L/∂x = m·∂L/∂y/rate with the mask m of the pass's key
/// (<see cref="FiniteWorkspace.DropoutKey"/>, <see cref="DropoutMask"/>); the identity in test mode (no key).</summary>
internal sealed class DropoutOp(string path, int input, int output, int size, double rate)
    : FiniteOp(path, [input], output, 0, 0), IDeviceOp
{
    /// <summary>The keep probability.</summary>
    public double Rate => rate;

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var x = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        if (ws.DropoutKey is not { } key)
        {
            x.CopyTo(y);
            return;
        }
        for (int i = 0; i < y.Length; i++) y[i] = DropoutMask.Keep(key, Output, i, rate) ? x[i] / rate : 0.0;
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var gy = ws.Gradient(Output, rows);
        var gx = ws.Gradient(Inputs[0], rows);
        if (ws.DropoutKey is not { } key)
        {
            gy.CopyTo(gx);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            long first = (long)(r / rowsPerExample) * size;
            int at = r * size;
            for (int u = 0; u < size; u++) gx[at + u] = DropoutMask.Keep(key, Output, first + u, rate) ? gy[at + u] / rate : 0.0;
        }
    }

    /// <summary>y = m_member·x/rate for all members, each with its own key (a copy in test mode).</summary>
    void IDeviceOp.Forward(DeviceNetwork net, int examples)
    {
        var (x, y) = (net.Value(Inputs[0]), net.Value(Output));
        if (net.DropoutKey is { } key) net.Kernels.Dropout(net.Members, examples * size, x, y, key, Output, rate);
        else net.Kernels.Copy(net.Members, examples * size, x, y);
    }

    /// <summary>∂x = m_member·∂y/rate with the forward pass's masks (not for the network input).</summary>
    void IDeviceOp.Backward(DeviceNetwork net, int examples)
    {
        int input = Inputs[0];
        if (input == 0) return;
        if (net.DropoutKey is { } key) net.Kernels.Dropout(net.Members, examples * size, net.Grad(Output), net.Grad(input), key, Output, rate);
        else net.Kernels.Copy(net.Members, examples * size, net.Grad(Output), net.Grad(input));
    }
}
