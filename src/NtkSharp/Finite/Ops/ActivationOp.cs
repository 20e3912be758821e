using NtkSharp.Compute.Gpu.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary>A pointwise nonlinearity φ (<see cref="Activation"/>): y = φ(z), ∂L/∂z = φ'(z)·∂L/∂y.</summary>
/// <remarks>The formulas are the activation registry's (<see cref="ActivationFamily.Forward"/> and
/// <see cref="ActivationFamily.Backward"/>, over the same bodies that the GPU ensemble kernels run).</remarks>
internal sealed class ActivationOp : FiniteOp, IDeviceOp
{
    private readonly int _size;

    public ActivationOp(string path, int input, int output, int size, Activation layer)
        : base(path, [input], output, 0, 0)
    {
        Spec = layer.Spec;
        Family = layer.Family;
        Layer = layer.Name;
        _size = size;
    }

    /// <summary>The activation's registry spec (for the GPU ensemble kernels).</summary>
    public ActivationSpec Spec { get; }

    /// <summary>The activation's registry family.</summary>
    public ActivationFamily Family { get; }

    /// <summary>The layer's name.</summary>
    public string Layer { get; }

    /// <summary>Values per example.</summary>
    public int Size => _size;

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
        => Family.Forward(Spec, ws.Value(Inputs[0], examples), ws.Value(Output, examples));

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var z = ws.Value(Inputs[0], examples);
        var gy = ws.Gradient(Output, rows);
        var gz = ws.Gradient(Inputs[0], rows);
        for (int r = 0; r < rows; r++)
        {
            int at = r * _size;
            Family.Backward(Spec, z.Slice(r / rowsPerExample * _size, _size), gy.Slice(at, _size), gz.Slice(at, _size));
        }
    }

    /// <summary>y = φ(z) for all members (a copy for the identity).</summary>
    void IDeviceOp.Forward(DeviceNetwork net, int examples)
    {
        var (z, y) = (net.Value(Inputs[0]), net.Value(Output));
        if (Spec.Kind == ActivationKind.Identity) net.Kernels.Copy(net.Members, examples * _size, z, y);
        else net.Kernels.Activate(net.Members, examples * _size, z, y, Spec);
    }

    /// <summary>∂z = φ′(z)·∂y for all members (not for the network input).</summary>
    void IDeviceOp.Backward(DeviceNetwork net, int examples)
    {
        int input = Inputs[0];
        if (input == 0) return;
        if (Spec.Kind == ActivationKind.Identity) net.Kernels.Copy(net.Members, examples * _size, net.Grad(Output), net.Grad(input));
        else net.Kernels.ActivationGradient(net.Members, examples * _size, net.Value(input), net.Grad(Output), net.Grad(input), Spec);
    }
}
