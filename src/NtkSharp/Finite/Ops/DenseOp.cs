using NtkSharp.Compute.Gpu.Ensembles;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Finite.Ops;

/// <summary>
/// <see cref="Dense"/> on the last (channel) axis at every position: z = s_w·x·W + s_b·b with W (fanIn × fanOut).
/// NTK parameterisation: s_w = σ_w/√fanIn, s_b = σ_b, W, b ~ N(0, 1); standard: s_w = s_b = 1,
/// W ~ N(0, σ_w²/fanIn), b ~ N(0, σ_b²). A bias exists iff σ_b &gt; 0.
/// </summary>
internal sealed class DenseOp : FiniteOp, IDeviceOp
{
    private readonly int _fanIn, _fanOut, _positions;
    private readonly double _wScale, _bScale, _wInit, _bInit;
    private readonly bool _bias;

    public DenseOp(string path, int input, int output, int parameterOffset, int fanIn, int positions, Dense layer)
        : base(path, [input], output, parameterOffset, fanIn * layer.Width + (layer.HasBias ? layer.Width : 0))
    {
        _fanIn = fanIn;
        _fanOut = layer.Width;
        _positions = positions;
        _bias = layer.HasBias;
        bool ntk = layer.Parameterization == Parameterization.Ntk;
        _wScale = ntk ? layer.WStd / Math.Sqrt(fanIn) : 1.0;
        _bScale = ntk ? layer.BStd : 1.0;
        _wInit = ntk ? 1.0 : layer.WStd / Math.Sqrt(fanIn);
        _bInit = ntk ? 1.0 : layer.BStd;
    }

    /// <summary>Input channels.</summary>
    public int FanIn => _fanIn;

    /// <summary>Output channels (the layer width).</summary>
    public int FanOut => _fanOut;

    /// <summary>Positions per example the layer acts at (1 for flat inputs).</summary>
    public int Positions => _positions;

    /// <summary>s_w: the forward pass multiplies x·W by it.</summary>
    public double WeightScale => _wScale;

    /// <summary>s_b: the forward pass adds s_b·b.</summary>
    public double BiasScale => _bScale;

    /// <summary>Whether the layer has a bias (σ_b &gt; 0).</summary>
    public bool HasBias => _bias;

    /// <summary>Index of b in the flat parameter vector (W comes first, row-major fanIn × fanOut).</summary>
    public int BiasOffset => ParameterOffset + _fanIn * _fanOut;

    public override IEnumerable<ParameterBlock> ParameterBlocks
    {
        get
        {
            yield return new ParameterBlock(Path, "W", ParameterOffset, [_fanIn, _fanOut]);
            if (_bias) yield return new ParameterBlock(Path, "b", BiasOffset, [_fanOut]);
        }
    }

    public override void Initialize(Span<double> parameters, ref GaussianSampler rng)
    {
        rng.FillGaussian(parameters[..(_fanIn * _fanOut)], _wInit);
        if (_bias) rng.FillGaussian(parameters.Slice(_fanIn * _fanOut, _fanOut), _bInit);
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        int m = examples * _positions;
        var x = ws.Value(Inputs[0], examples);
        var z = ws.Value(Output, examples);
        var w = parameters.Slice(ParameterOffset, _fanIn * _fanOut);
        Gemm.Multiply(false, false, m, _fanOut, _fanIn, _wScale, x, _fanIn, w, _fanOut, 0.0, z, _fanOut, ws.GemmScratch);
        if (_bias) BiasRows.Add(z, m, parameters.Slice(BiasOffset, _fanOut), _bScale);
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        if (ws.NeedsGradient(Inputs[0]))
        {
            var w = parameters.Slice(ParameterOffset, _fanIn * _fanOut);
            var gx = ws.Gradient(Inputs[0], rows);
            Gemm.Multiply(false, true, rows * _positions, _fanIn, _fanOut, _wScale, g, _fanOut, w, _fanOut, 0.0, gx, _fanIn, ws.GemmScratch);
        }
        if (parameterGradient.IsEmpty) return;
        if (rowsPerExample != 1) throw new InvalidOperationException("Summed parameter gradients need one cotangent row per example.");
        var x = ws.Value(Inputs[0], examples);
        var gw = parameterGradient.Slice(ParameterOffset, _fanIn * _fanOut);
        int m = examples * _positions;
        Gemm.Multiply(true, false, _fanIn, _fanOut, m, _wScale, x, _fanIn, g, _fanOut, 1.0, gw, _fanOut, ws.GemmScratch);
        if (_bias) BiasRows.AccumulateGradient(g, m, parameterGradient.Slice(BiasOffset, _fanOut), _bScale);
    }

    public override void RowGradients(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> destination, int stride, int offset)
    {
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        var x = ws.Value(Inputs[0], examples);
        for (int r = 0; r < rows; r++)
        {
            int e = r / rowsPerExample;
            var dw = destination.Slice(r * stride + offset, _fanIn * _fanOut);
            dw.Clear();
            for (int p = 0; p < _positions; p++)
            {
                var xr = x.Slice((e * _positions + p) * _fanIn, _fanIn);
                var gr = g.Slice((r * _positions + p) * _fanOut, _fanOut);
                for (int i = 0; i < _fanIn; i++)
                {
                    double xi = _wScale * xr[i];
                    if (xi == 0.0) continue;
                    var d = dw.Slice(i * _fanOut, _fanOut);
                    for (int j = 0; j < _fanOut; j++) d[j] += xi * gr[j];
                }
            }
            if (_bias)
            {
                var db = destination.Slice(r * stride + offset + _fanIn * _fanOut, _fanOut);
                db.Clear();
                BiasRows.AccumulateGradient(g[(r * _positions * _fanOut)..], _positions, db, _bScale);
            }
        }
    }

    /// <summary>
    /// For one position: Θ_a,b += s_w²·(x_a·x_b)·Σ_k g_ak·g_bk + s_b²·Σ_k g_ak·g_bk without forming per-row gradients.
    /// </summary>
    public override void AddNtk(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample, Span<double> ntk)
    {
        if (_positions != 1)
        {
            base.AddNtk(parameters, ws, examples, rowsPerExample, ntk);
            return;
        }
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        var x = ws.Value(Inputs[0], examples);
        double w2 = _wScale * _wScale, b2 = _bias ? _bScale * _bScale : 0.0;
        for (int a = 0; a < examples; a++)
        {
            for (int b = a; b < examples; b++)
            {
                double gg = 0;
                for (int k = 0; k < rowsPerExample; k++)
                {
                    gg += GramMatrix.Dot(g.Slice((a * rowsPerExample + k) * _fanOut, _fanOut), g.Slice((b * rowsPerExample + k) * _fanOut, _fanOut));
                }
                double xx = GramMatrix.Dot(x.Slice(a * _fanIn, _fanIn), x.Slice(b * _fanIn, _fanIn));
                double v = (w2 * xx + b2) * gg;
                ntk[a * examples + b] += v;
                if (b != a) ntk[b * examples + a] += v;
            }
        }
    }

    /// <summary>Y = X·W·scale (+ bias) as one batched GEMM over the members.</summary>
    void IDeviceOp.Forward(DeviceNetwork net, int examples)
    {
        int rows = examples * _positions;
        var p = net.ParameterBatch;
        net.Gemm.Run(net.Members, false, false, rows, _fanOut, _fanIn, _wScale, net.Value(Inputs[0]), _fanIn,
            p.Shift(ParameterOffset), _fanOut, 0.0, net.Value(Output), _fanOut);
        if (_bias) net.Kernels.AddBias(net.Members, rows, _fanOut, net.Value(Output), p.Shift(BiasOffset), _bScale);
    }

    /// <summary>∂X = ∂Y·Wᵀ·scale (not for the network input), ∂W = Xᵀ·∂Y·scale, ∂b = Σ ∂Y·scale.</summary>
    void IDeviceOp.Backward(DeviceNetwork net, int examples)
    {
        int input = Inputs[0], rows = examples * _positions;
        var g = net.Grad(Output);
        var gp = net.GradientBatch;
        if (input != 0)
        {
            net.Gemm.Run(net.Members, false, true, rows, _fanIn, _fanOut, _wScale, g, _fanOut,
                net.ParameterBatch.Shift(ParameterOffset), _fanOut, 0.0, net.Grad(input), _fanIn);
        }
        net.Gemm.Run(net.Members, true, false, _fanIn, _fanOut, rows, _wScale, net.Value(input), _fanIn, g, _fanOut,
            0.0, gp.Shift(ParameterOffset), _fanOut);
        if (_bias) net.Kernels.BiasGradient(net.Members, rows, _fanOut, g, gp.Shift(BiasOffset), _bScale);
    }
}
