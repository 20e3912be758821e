using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary>
/// <see cref="Conv"/> as im2col + GEMM: z(p) = s_w·Σ_{d, c} W[(d, c), o]·x(p·s + d, c) + s_b·b_o, with W of shape
/// (h·w·C_in) × C_out (patch order (dh, dw, c)). NTK parameterisation: s_w = σ_w/√(C_in·h·w), s_b = σ_b, W, b ~ N(0, 1);
/// standard: s_w = s_b = 1, W ~ N(0, σ_w²/(C_in·h·w)), b ~ N(0, σ_b²). Padding as <see cref="AxisWindow"/>
/// (zeros for Same, wrap-around for Circular).
/// </summary>
internal sealed class ConvOp : FiniteOp
{
    private readonly AxisWindow _ah, _aw;
    private readonly int _h, _w, _cin, _cout, _patch, _positions;
    private readonly double _wScale, _bScale, _wInit, _bInit;
    private readonly bool _bias;

    public ConvOp(string path, int input, int output, int parameterOffset, int h, int w, int cin, Conv layer)
        : base(path, [input], output, parameterOffset, layer.Filter.H * layer.Filter.W * cin * layer.Channels + (layer.HasBias ? layer.Channels : 0))
    {
        _ah = new AxisWindow(h, layer.Filter.H, layer.Strides.H, layer.Paddings.H);
        _aw = new AxisWindow(w, layer.Filter.W, layer.Strides.W, layer.Paddings.W);
        _h = h;
        _w = w;
        _cin = cin;
        _cout = layer.Channels;
        _patch = layer.Filter.H * layer.Filter.W * cin;
        _positions = _ah.OutLength * _aw.OutLength;
        _bias = layer.HasBias;
        bool ntk = layer.Parameterization == Parameterization.Ntk;
        _wScale = ntk ? layer.WStd / Math.Sqrt(_patch) : 1.0;
        _bScale = ntk ? layer.BStd : 1.0;
        _wInit = ntk ? 1.0 : layer.WStd / Math.Sqrt(_patch);
        _bInit = ntk ? 1.0 : layer.BStd;
    }

    private int WeightCount => _patch * _cout;

    private int BiasOffset => ParameterOffset + WeightCount;

    public override IEnumerable<ParameterBlock> ParameterBlocks
    {
        get
        {
            yield return new ParameterBlock(Path, "W", ParameterOffset, [_ah.Taps, _aw.Taps, _cin, _cout]);
            if (_bias) yield return new ParameterBlock(Path, "b", BiasOffset, [_cout]);
        }
    }

    public override void Initialize(Span<double> parameters, ref GaussianSampler rng)
    {
        rng.FillGaussian(parameters[..WeightCount], _wInit);
        if (_bias) rng.FillGaussian(parameters.Slice(WeightCount, _cout), _bInit);
    }

    /// <summary>cols[(e·P + p)·patch + (dh·fw + dw)·C + c] = x_e(src(p, d), c), zero outside a Same-padded image.</summary>
    private void Im2Col(ReadOnlySpan<double> x, int examples, Span<double> cols)
    {
        int fh = _ah.Taps, fw = _aw.Taps, wo = _aw.OutLength, inSize = _h * _w * _cin;
        for (int e = 0; e < examples; e++)
        {
            var xe = x.Slice(e * inSize, inSize);
            for (int a = 0; a < _ah.OutLength; a++)
            {
                for (int b = 0; b < wo; b++)
                {
                    var patch = cols.Slice(((e * _ah.OutLength + a) * wo + b) * _patch, _patch);
                    for (int dh = 0; dh < fh; dh++)
                    {
                        int r = _ah.Source[a * fh + dh];
                        for (int dw = 0; dw < fw; dw++)
                        {
                            int c = _aw.Source[b * fw + dw];
                            var dst = patch.Slice((dh * fw + dw) * _cin, _cin);
                            if (r < 0 || c < 0) dst.Clear();
                            else xe.Slice((r * _w + c) * _cin, _cin).CopyTo(dst);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The transpose of <see cref="Im2Col"/>: gx_r(src(p, d), c) += gcols[(r·P + p)·patch + (d, c)].</summary>
    private void Col2Im(ReadOnlySpan<double> gcols, int rows, Span<double> gx)
    {
        int fh = _ah.Taps, fw = _aw.Taps, wo = _aw.OutLength, inSize = _h * _w * _cin;
        gx[..(rows * inSize)].Clear();
        for (int e = 0; e < rows; e++)
        {
            var ge = gx.Slice(e * inSize, inSize);
            for (int a = 0; a < _ah.OutLength; a++)
            {
                for (int b = 0; b < wo; b++)
                {
                    var patch = gcols.Slice(((e * _ah.OutLength + a) * wo + b) * _patch, _patch);
                    for (int dh = 0; dh < fh; dh++)
                    {
                        int r = _ah.Source[a * fh + dh];
                        if (r < 0) continue;
                        for (int dw = 0; dw < fw; dw++)
                        {
                            int c = _aw.Source[b * fw + dw];
                            if (c < 0) continue;
                            SpatialOps.AddTo(ge.Slice((r * _w + c) * _cin, _cin), patch.Slice((dh * fw + dw) * _cin, _cin));
                        }
                    }
                }
            }
        }
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        int m = examples * _positions;
        var cols = ws.Scratch(m * _patch);
        Im2Col(ws.Value(Inputs[0], examples), examples, cols);
        var z = ws.Value(Output, examples);
        Gemm.Multiply(false, false, m, _cout, _patch, _wScale, cols, _patch, parameters.Slice(ParameterOffset, WeightCount), _cout,
            0.0, z, _cout, ws.GemmScratch);
        if (_bias) BiasRows.Add(z, m, parameters.Slice(BiasOffset, _cout), _bScale);
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        if (ws.NeedsGradient(Inputs[0]))
        {
            var gcols = ws.Scratch(rows * _positions * _patch);
            Gemm.Multiply(false, true, rows * _positions, _patch, _cout, _wScale, g, _cout, parameters.Slice(ParameterOffset, WeightCount), _cout,
                0.0, gcols, _patch, ws.GemmScratch);
            Col2Im(gcols, rows, ws.Gradient(Inputs[0], rows));
        }
        if (parameterGradient.IsEmpty) return;
        if (rowsPerExample != 1) throw new InvalidOperationException("Summed parameter gradients need one cotangent row per example.");
        int m = examples * _positions;
        var cols = ws.Scratch(m * _patch);
        Im2Col(ws.Value(Inputs[0], examples), examples, cols);
        Gemm.Multiply(true, false, _patch, _cout, m, _wScale, cols, _patch, g, _cout, 1.0, parameterGradient.Slice(ParameterOffset, WeightCount), _cout,
            ws.GemmScratch);
        if (_bias) BiasRows.AccumulateGradient(g, m, parameterGradient.Slice(BiasOffset, _cout), _bScale);
    }

    public override void RowGradients(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> destination, int stride, int offset)
    {
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        var cols = ws.Scratch(examples * _positions * _patch);
        Im2Col(ws.Value(Inputs[0], examples), examples, cols);
        for (int r = 0; r < rows; r++)
        {
            int e = r / rowsPerExample;
            var gr = g.Slice(r * _positions * _cout, _positions * _cout);
            Gemm.Multiply(true, false, _patch, _cout, _positions, _wScale, cols.Slice(e * _positions * _patch, _positions * _patch), _patch,
                gr, _cout, 0.0, destination.Slice(r * stride + offset, WeightCount), _cout, ws.GemmScratch);
            if (_bias)
            {
                var db = destination.Slice(r * stride + offset + WeightCount, _cout);
                db.Clear();
                BiasRows.AccumulateGradient(gr, _positions, db, _bScale);
            }
        }
    }
}
