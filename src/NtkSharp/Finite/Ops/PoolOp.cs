using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary><see cref="PoolingLayer"/>: y(p, c) = s·Σ_d x(p·s + d, c) with s = 1/(h·w) (average) or 1 (sum); padded
/// entries are zeros (Same) or wrap around (Circular), as the kernel's <see cref="AxisWindow"/>.</summary>
internal sealed class PoolOp : FiniteOp
{
    private readonly AxisWindow _ah, _aw;
    private readonly int _h, _w, _c;
    private readonly double _scale;

    public PoolOp(string path, int input, int output, int h, int w, int c, PoolingLayer layer)
        : base(path, [input], output, 0, 0)
    {
        _ah = new AxisWindow(h, layer.Window.H, layer.Strides.H, layer.Paddings.H);
        _aw = new AxisWindow(w, layer.Window.W, layer.Strides.W, layer.Paddings.W);
        _h = h;
        _w = w;
        _c = c;
        _scale = layer.IsAverage ? 1.0 / (layer.Window.H * layer.Window.W) : 1.0;
    }

    private int InSize => _h * _w * _c;

    private int OutSize => _ah.OutLength * _aw.OutLength * _c;

    /// <summary>forward: dst(p) += s·src(src(p, d)); adjoint: src(src(p, d)) += s·dst(p).</summary>
    private void Map(Span<double> x, Span<double> y, bool adjoint)
    {
        int fh = _ah.Taps, fw = _aw.Taps, wo = _aw.OutLength;
        for (int a = 0; a < _ah.OutLength; a++)
        {
            for (int b = 0; b < wo; b++)
            {
                var yp = y.Slice((a * wo + b) * _c, _c);
                for (int dh = 0; dh < fh; dh++)
                {
                    int r = _ah.Source[a * fh + dh];
                    if (r < 0) continue;
                    for (int dw = 0; dw < fw; dw++)
                    {
                        int q = _aw.Source[b * fw + dw];
                        if (q < 0) continue;
                        var xp = x.Slice((r * _w + q) * _c, _c);
                        if (adjoint)
                        {
                            for (int c = 0; c < _c; c++) xp[c] += _scale * yp[c];
                        }
                        else
                        {
                            for (int c = 0; c < _c; c++) yp[c] += _scale * xp[c];
                        }
                    }
                }
            }
        }
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var x = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        y.Clear();
        for (int e = 0; e < examples; e++) Map(x.Slice(e * InSize, InSize), y.Slice(e * OutSize, OutSize), false);
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var gy = ws.Gradient(Output, rows);
        var gx = ws.Gradient(Inputs[0], rows);
        gx.Clear();
        for (int r = 0; r < rows; r++) Map(gx.Slice(r * InSize, InSize), gy.Slice(r * OutSize, OutSize), true);
    }
}
