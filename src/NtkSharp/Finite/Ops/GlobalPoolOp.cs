using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary><see cref="GlobalPoolingLayer"/>: y(c) = s·Σ_p x(p, c), s = 1/P (average) or 1 (sum).</summary>
internal sealed class GlobalPoolOp : FiniteOp
{
    private readonly int _positions, _c;
    private readonly double _scale;

    public GlobalPoolOp(string path, int input, int output, int positions, int c, GlobalPoolingLayer layer)
        : base(path, [input], output, 0, 0)
    {
        _positions = positions;
        _c = c;
        _scale = layer.IsAverage ? 1.0 / positions : 1.0;
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var x = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        y.Clear();
        for (int e = 0; e < examples; e++)
        {
            var ye = y.Slice(e * _c, _c);
            for (int p = 0; p < _positions; p++)
            {
                var xp = x.Slice((e * _positions + p) * _c, _c);
                for (int c = 0; c < _c; c++) ye[c] += _scale * xp[c];
            }
        }
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var gy = ws.Gradient(Output, rows);
        var gx = ws.Gradient(Inputs[0], rows);
        for (int r = 0; r < rows; r++)
        {
            var gr = gy.Slice(r * _c, _c);
            for (int p = 0; p < _positions; p++)
            {
                var gp = gx.Slice((r * _positions + p) * _c, _c);
                for (int c = 0; c < _c; c++) gp[c] = _scale * gr[c];
            }
        }
    }
}
