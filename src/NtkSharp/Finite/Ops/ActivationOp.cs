using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary>A pointwise nonlinearity φ (<see cref="Activation"/>): y = φ(z), ∂L/∂z = φ'(z)·∂L/∂y.</summary>
/// <remarks>The ABRelu family takes the right slope b at the kink z = 0 (as <see cref="DualActivations.Derivative"/>).</remarks>
internal sealed class ActivationOp : FiniteOp
{
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215;
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

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var z = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        switch (_kind)
        {
            case ActivationKind.ABRelu:
                for (int i = 0; i < z.Length; i++)
                {
                    double v = z[i];
                    y[i] = v < 0.0 ? _a * v : _b * v;
                }
                break;
            case ActivationKind.Erf:
                for (int i = 0; i < z.Length; i++) y[i] = MathNet.Numerics.SpecialFunctions.Erf(z[i]);
                break;
            default:
                z.CopyTo(y);
                break;
        }
    }

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
            var zr = z.Slice(r / rowsPerExample * _size, _size);
            var gyr = gy.Slice(r * _size, _size);
            var gzr = gz.Slice(r * _size, _size);
            switch (_kind)
            {
                case ActivationKind.ABRelu:
                    for (int i = 0; i < _size; i++) gzr[i] = (zr[i] < 0.0 ? _a : _b) * gyr[i];
                    break;
                case ActivationKind.Erf:
                    for (int i = 0; i < _size; i++) gzr[i] = TwoOverSqrtPi * Math.Exp(-zr[i] * zr[i]) * gyr[i];
                    break;
                default:
                    gyr.CopyTo(gzr);
                    break;
            }
        }
    }
}
