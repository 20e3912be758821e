using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary>A pointwise nonlinearity φ (<see cref="Activation"/>): y = φ(z), ∂L/∂z = φ'(z)·∂L/∂y.</summary>
/// <remarks>The formulas are the activation registry's (<see cref="ActivationFamily.Forward"/> and
/// <see cref="ActivationFamily.Backward"/>, over the same bodies that the GPU ensemble kernels run).</remarks>
internal sealed class ActivationOp : FiniteOp
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
}
