using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary>
/// <see cref="LiftingConv"/> and <see cref="GroupConv"/> as im2col + GEMM with the filter expanded over the group:
/// z(g, p, o) = s_w·Σ_{a, d, c} ψ(g⁻¹a, g⁻¹d, c, o)·f(a, p + d, c) + s_b·b_o (a absent for the lifting layer; a = g
/// only for <see cref="GroupSupport.Identity"/>). Each "block" is one GEMM: columns of the input slots it reads (all
/// slots, or slot g for Identity) times the expanded filter W[(a, d, c), (g, o)] = ψ(row map) for the elements g it
/// writes. The parameter gradient of ψ is the expanded gradient summed back through the same row map. Activations
/// are row-major (example, g, h, w, c); images are the case |G_in| = 1.
/// </summary>
internal sealed class GroupConvOp : FiniteOp
{
    private readonly AxisWindow _ah, _aw;
    private readonly int _gin, _gout, _h, _w, _cin, _cout, _k2, _positions, _rows;
    private readonly double _wScale, _bScale, _wInit, _bInit;
    private readonly bool _bias, _full;
    private readonly Block[] _blocks;

    /// <summary>One GEMM: the input slots read, the output group elements written and, for output element jr and patch
    /// row q = (js·k² + t)·C_in + c, the ψ row RowMap[jr·Patch + q].</summary>
    private sealed record Block(int[] Slots, int[] Elements, int[] RowMap, int Patch);

    public GroupConvOp(string path, int input, int output, int parameterOffset, int h, int w, int cin, int channels,
        PlanarGroup group, (int H, int W) filter, Padding padding, double wStd, double bStd, bool lifting,
        GroupSupport support, Parameterization parameterization)
        : base(path, [input], output, parameterOffset, ParameterTotal(group, filter.H, cin, channels, bStd > 0, lifting, support))
    {
        var table = PlanarGroupTable.For(group);
        int k = filter.H;
        _ah = new AxisWindow(h, k, 1, padding);
        _aw = new AxisWindow(w, k, 1, padding);
        _gout = table.Order;
        _gin = lifting ? 1 : table.Order;
        _h = h;
        _w = w;
        _cin = cin;
        _cout = channels;
        _k2 = k * k;
        _positions = h * w;
        _full = !lifting && support == GroupSupport.Full;
        _rows = (_full ? _gout : 1) * _k2 * cin;
        _bias = bStd > 0;
        double fanIn = (double)_rows;
        bool ntk = parameterization == Parameterization.Ntk;
        _wScale = ntk ? wStd / Math.Sqrt(fanIn) : 1.0;
        _bScale = ntk ? bStd : 1.0;
        _wInit = ntk ? 1.0 : wStd / Math.Sqrt(fanIn);
        _bInit = ntk ? 1.0 : bStd;
        var all = Enumerable.Range(0, _gout).ToArray();
        _blocks = lifting ? [MakeBlock(table, [0], all, k)]
            : _full ? [MakeBlock(table, all, all, k)]
            : [.. all.Select(g => MakeBlock(table, [g], [g], k))];
    }

    private static int ParameterTotal(PlanarGroup group, int k, int cin, int cout, bool bias, bool lifting, GroupSupport support)
        => checked((!lifting && support == GroupSupport.Full ? PlanarGroupTable.For(group).Order : 1) * k * k * cin * cout + (bias ? cout : 0));

    private Block MakeBlock(PlanarGroupTable table, int[] slots, int[] elements, int k)
    {
        int patch = slots.Length * _k2 * _cin;
        var map = new int[elements.Length * patch];
        for (int jr = 0; jr < elements.Length; jr++)
        {
            int gi = table.Inverse[elements[jr]];
            for (int js = 0; js < slots.Length; js++)
            {
                int a = table.Product[gi, slots[js]]; // g⁻¹a
                for (int t = 0; t < _k2; t++)
                {
                    int tt = table.ApplyToTap(gi, t, k); // g⁻¹d
                    for (int c = 0; c < _cin; c++)
                        map[jr * patch + (js * _k2 + t) * _cin + c] = ((_full ? a * _k2 : 0) + tt) * _cin + c;
                }
            }
        }
        return new Block(slots, elements, map, patch);
    }

    private int WeightCount => _rows * _cout;

    private int BiasOffset => ParameterOffset + WeightCount;

    private int InSize => _gin * _positions * _cin;

    private int OutSize => _gout * _positions * _cout;

    public override IEnumerable<ParameterBlock> ParameterBlocks
    {
        get
        {
            int k = _ah.Taps;
            yield return new ParameterBlock(Path, "W", ParameterOffset, _full ? [_gout, k, k, _cin, _cout] : [k, k, _cin, _cout]);
            if (_bias) yield return new ParameterBlock(Path, "b", BiasOffset, [_cout]);
        }
    }

    public override void Initialize(Span<double> parameters, ref GaussianSampler rng)
    {
        rng.FillGaussian(parameters[..WeightCount], _wInit);
        if (_bias) rng.FillGaussian(parameters.Slice(WeightCount, _cout), _bInit);
    }

    /// <summary>cols[(e·P + p)·patch + (js·k² + t)·C + c] = x_e(slot js, src(p, t), c), zero outside a Same-padded image.</summary>
    private void Im2Col(ReadOnlySpan<double> x, int examples, Block block, Span<double> cols)
    {
        int k = _ah.Taps, inSize = InSize, plane = _positions * _cin;
        for (int e = 0; e < examples; e++)
        {
            for (int a = 0; a < _h; a++)
            {
                for (int b = 0; b < _w; b++)
                {
                    var patch = cols.Slice(((e * _h + a) * _w + b) * block.Patch, block.Patch);
                    for (int js = 0; js < block.Slots.Length; js++)
                    {
                        var xs = x.Slice(e * inSize + block.Slots[js] * plane, plane);
                        for (int t = 0; t < _k2; t++)
                        {
                            int r = _ah.Source[a * k + t / k], c = _aw.Source[b * k + t % k];
                            var dst = patch.Slice((js * _k2 + t) * _cin, _cin);
                            if (r < 0 || c < 0) dst.Clear();
                            else xs.Slice((r * _w + c) * _cin, _cin).CopyTo(dst);
                        }
                    }
                }
            }
        }
    }

    /// <summary>gx_e(slot js, src(p, t), c) += gcols[…] (the transpose of <see cref="Im2Col"/>).</summary>
    private void Col2ImAdd(ReadOnlySpan<double> gcols, int rows, Block block, Span<double> gx)
    {
        int k = _ah.Taps, inSize = InSize, plane = _positions * _cin;
        for (int e = 0; e < rows; e++)
        {
            for (int a = 0; a < _h; a++)
            {
                for (int b = 0; b < _w; b++)
                {
                    var patch = gcols.Slice(((e * _h + a) * _w + b) * block.Patch, block.Patch);
                    for (int js = 0; js < block.Slots.Length; js++)
                    {
                        var gs = gx.Slice(e * inSize + block.Slots[js] * plane, plane);
                        for (int t = 0; t < _k2; t++)
                        {
                            int r = _ah.Source[a * k + t / k], c = _aw.Source[b * k + t % k];
                            if (r < 0 || c < 0) continue;
                            SpatialOps.AddTo(gs.Slice((r * _w + c) * _cin, _cin), patch.Slice((js * _k2 + t) * _cin, _cin));
                        }
                    }
                }
            }
        }
    }

    /// <summary>W[q, jr·C_out + o] = ψ[RowMap[jr·patch + q], o].</summary>
    private void Expand(ReadOnlySpan<double> psi, Block block, Span<double> wexp)
    {
        int width = block.Elements.Length * _cout;
        for (int jr = 0; jr < block.Elements.Length; jr++)
        {
            for (int q = 0; q < block.Patch; q++)
                psi.Slice(block.RowMap[jr * block.Patch + q] * _cout, _cout).CopyTo(wexp.Slice(q * width + jr * _cout, _cout));
        }
    }

    /// <summary>gψ[RowMap[jr·patch + q], o] += gW[q, jr·C_out + o].</summary>
    private void Contract(ReadOnlySpan<double> gw, Block block, Span<double> gpsi)
    {
        int width = block.Elements.Length * _cout;
        for (int jr = 0; jr < block.Elements.Length; jr++)
        {
            for (int q = 0; q < block.Patch; q++)
                SpatialOps.AddTo(gpsi.Slice(block.RowMap[jr * block.Patch + q] * _cout, _cout), gw.Slice(q * width + jr * _cout, _cout));
        }
    }

    /// <summary>The register layout (e, g, p, o) of the GEMM result z[(e·P + p), jr·C_out + o]: dst ← z.</summary>
    private void ToRegister(ReadOnlySpan<double> z, int rows, Block block, Span<double> dst)
    {
        int width = block.Elements.Length * _cout, plane = _positions * _cout;
        for (int e = 0; e < rows; e++)
        {
            for (int jr = 0; jr < block.Elements.Length; jr++)
            {
                var reg = dst.Slice(e * OutSize + block.Elements[jr] * plane, plane);
                for (int p = 0; p < _positions; p++) z.Slice((e * _positions + p) * width + jr * _cout, _cout).CopyTo(reg.Slice(p * _cout, _cout));
            }
        }
    }

    /// <summary>The GEMM layout of register rows (e, g, p, o): z ← src (the transpose of <see cref="ToRegister"/>).</summary>
    private void FromRegister(ReadOnlySpan<double> src, int rows, Block block, Span<double> z)
    {
        int width = block.Elements.Length * _cout, plane = _positions * _cout;
        for (int e = 0; e < rows; e++)
        {
            for (int jr = 0; jr < block.Elements.Length; jr++)
            {
                var reg = src.Slice(e * OutSize + block.Elements[jr] * plane, plane);
                for (int p = 0; p < _positions; p++) reg.Slice(p * _cout, _cout).CopyTo(z.Slice((e * _positions + p) * width + jr * _cout, _cout));
            }
        }
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var psi = parameters.Slice(ParameterOffset, WeightCount);
        var x = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        int m = examples * _positions;
        foreach (var block in _blocks)
        {
            int width = block.Elements.Length * _cout;
            var cols = ws.Scratch(m * block.Patch);
            Im2Col(x, examples, block, cols);
            var wexp = ws.Scratch(0, block.Patch * width);
            Expand(psi, block, wexp);
            var z = ws.Scratch(1, m * width);
            Gemm.Multiply(false, false, m, width, block.Patch, _wScale, cols, block.Patch, wexp, width, 0.0, z, width, ws.GemmScratch);
            ToRegister(z, examples, block, y);
        }
        if (_bias) BiasRows.Add(y, examples * _gout * _positions, parameters.Slice(BiasOffset, _cout), _bScale);
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        int rows = examples * rowsPerExample;
        var psi = parameters.Slice(ParameterOffset, WeightCount);
        var g = ws.Gradient(Output, rows);
        if (ws.NeedsGradient(Inputs[0]))
        {
            var gx = ws.Gradient(Inputs[0], rows);
            gx.Clear();
            foreach (var block in _blocks)
            {
                int width = block.Elements.Length * _cout;
                var gz = ws.Scratch(1, rows * _positions * width);
                FromRegister(g, rows, block, gz);
                var wexp = ws.Scratch(0, block.Patch * width);
                Expand(psi, block, wexp);
                var gcols = ws.Scratch(rows * _positions * block.Patch);
                Gemm.Multiply(false, true, rows * _positions, block.Patch, width, _wScale, gz, width, wexp, width, 0.0, gcols, block.Patch, ws.GemmScratch);
                Col2ImAdd(gcols, rows, block, gx);
            }
        }
        if (parameterGradient.IsEmpty) return;
        if (rowsPerExample != 1) throw new InvalidOperationException("Summed parameter gradients need one cotangent row per example.");
        int m = examples * _positions;
        var gpsi = parameterGradient.Slice(ParameterOffset, WeightCount);
        foreach (var block in _blocks)
        {
            int width = block.Elements.Length * _cout;
            var cols = ws.Scratch(m * block.Patch);
            Im2Col(ws.Value(Inputs[0], examples), examples, block, cols);
            var gz = ws.Scratch(1, m * width);
            FromRegister(g, examples, block, gz);
            var gw = ws.Scratch(2, block.Patch * width);
            Gemm.Multiply(true, false, block.Patch, width, m, _wScale, cols, block.Patch, gz, width, 0.0, gw, width, ws.GemmScratch);
            Contract(gw, block, gpsi);
        }
        if (_bias) BiasRows.AccumulateGradient(g, examples * _gout * _positions, parameterGradient.Slice(BiasOffset, _cout), _bScale);
    }

    public override void RowGradients(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> destination, int stride, int offset)
    {
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        for (int r = 0; r < rows; r++) destination.Slice(r * stride + offset, ParameterCount).Clear();
        foreach (var block in _blocks)
        {
            int width = block.Elements.Length * _cout;
            var cols = ws.Scratch(examples * _positions * block.Patch);
            Im2Col(ws.Value(Inputs[0], examples), examples, block, cols);
            var gz = ws.Scratch(1, rows * _positions * width);
            FromRegister(g, rows, block, gz);
            var gw = ws.Scratch(2, block.Patch * width);
            for (int r = 0; r < rows; r++)
            {
                int e = r / rowsPerExample;
                Gemm.Multiply(true, false, block.Patch, width, _positions, _wScale, cols.Slice(e * _positions * block.Patch, _positions * block.Patch),
                    block.Patch, gz.Slice(r * _positions * width, _positions * width), width, 0.0, gw, width, ws.GemmScratch);
                Contract(gw, block, destination.Slice(r * stride + offset, WeightCount));
            }
        }
        if (!_bias) return;
        for (int r = 0; r < rows; r++)
            BiasRows.AccumulateGradient(g.Slice(r * OutSize, OutSize), _gout * _positions, destination.Slice(r * stride + offset + WeightCount, _cout), _bScale);
    }
}
