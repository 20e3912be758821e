using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary>A pointwise nonlinearity φ (<see cref="Activation"/>): y = φ(z), ∂L/∂z = φ'(z)·∂L/∂y.</summary>
/// <remarks>The formulas are <see cref="PointwiseActivation"/>'s (shared with the GPU ensemble kernels).</remarks>
internal sealed class ActivationOp : FiniteOp
{
    private readonly ActivationKind _kind;
    private readonly double _a, _b;
    private readonly int _size;

    public ActivationOp(string path, int input, int output, int size, Activation layer)
        : base(path, [input], output, 0, 0)
    {
        _kind = layer.Kind;
        _a = layer.A;
        _b = layer.B;
        _size = size;
    }

    /// <summary>The activation's kind and ABRelu slopes (for the GPU ensemble kernels).</summary>
    public (ActivationKind Kind, double A, double B) Function => (_kind, _a, _b);

    /// <summary>Values per example.</summary>
    public int Size => _size;

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var z = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        if (_kind == ActivationKind.Identity)
        {
            z.CopyTo(y);
            return;
        }
        for (int i = 0; i < z.Length; i++) y[i] = PointwiseActivation.Value(_kind, _a, _b, z[i]);
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var z = ws.Value(Inputs[0], examples);
        var gy = ws.Gradient(Output, rows);
        var gz = ws.Gradient(Inputs[0], rows);
        if (_kind == ActivationKind.Identity)
        {
            gy.CopyTo(gz);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var zr = z.Slice(r / rowsPerExample * _size, _size);
            var gyr = gy.Slice(r * _size, _size);
            var gzr = gz.Slice(r * _size, _size);
            for (int i = 0; i < _size; i++) gzr[i] = PointwiseActivation.Derivative(_kind, _a, _b, zr[i]) * gyr[i];
        }
    }
}
