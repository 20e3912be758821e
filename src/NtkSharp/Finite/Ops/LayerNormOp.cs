using NtkSharp.Compute.Gpu.Ensembles;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary>
/// <see cref="LayerNorm"/>: over each group of <c>channels</c> consecutive values (the channels at one position),
/// y = (x − m)/σ with m = mean(x), σ = √(var(x) + ε), var the population variance (neural-tangents' <c>fn</c>); the
/// backward pass is the exact Jacobian of the normalisation, ∂x = (∂y − mean(∂y) − y·mean(∂y·y))/σ.
/// </summary>
internal sealed class LayerNormOp : FiniteOp, IDeviceOp
{
    private readonly int _size, _channels;
    private readonly double _eps;
    private readonly string _layer;

    public LayerNormOp(string path, int input, int output, int size, int channels, double eps, string layer)
        : base(path, [input], output, 0, 0)
    {
        _size = size;
        _channels = channels;
        _eps = eps;
        _layer = layer;
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var x = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        int c = _channels;
        for (int g = 0; g < examples * _size / c; g++)
        {
            var xg = x.Slice(g * c, c);
            double inv = InverseScale(xg, out double mean);
            var yg = y.Slice(g * c, c);
            for (int i = 0; i < c; i++) yg[i] = (xg[i] - mean) * inv;
        }
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample, c = _channels, groups = _size / c;
        var x = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        var gy = ws.Gradient(Output, rows);
        var gx = ws.Gradient(Inputs[0], rows);
        for (int r = 0; r < rows; r++)
        {
            int example = r / rowsPerExample;
            for (int g = 0; g < groups; g++)
            {
                int at = example * _size + g * c, gat = r * _size + g * c;
                double inv = InverseScale(x.Slice(at, c), out _);
                var yg = y.Slice(at, c);
                var gyg = gy.Slice(gat, c);
                var gxg = gx.Slice(gat, c);
                double sg = 0.0, sgy = 0.0;
                for (int i = 0; i < c; i++)
                {
                    sg += gyg[i];
                    sgy += gyg[i] * yg[i];
                }
                sg /= c;
                sgy /= c;
                for (int i = 0; i < c; i++) gxg[i] = (gyg[i] - sg - yg[i] * sgy) * inv;
            }
        }
    }

    /// <summary>1/√(var + ε) of one group and its mean; throws, naming the layer and ε, where that divides by 0.</summary>
    private double InverseScale(ReadOnlySpan<double> x, out double mean)
    {
        double s = 0.0;
        foreach (double v in x) s += v;
        mean = s / x.Length;
        double q = 0.0;
        foreach (double v in x) q += (v - mean) * (v - mean);
        double variance = q / x.Length + _eps;
        if (!(variance > 0.0) || !double.IsFinite(variance))
            throw new ArithmeticException(
                $"{_layer}: {x.Length} channels with variance {q / x.Length:G6} and eps = {_eps:G6}: the normalisation divides by {Math.Sqrt(variance):G6}; use a positive eps (default 1e-12).");
        return 1.0 / Math.Sqrt(variance);
    }

    /// <summary>y = (x − m)/σ per group of channels, for all members.</summary>
    void IDeviceOp.Forward(DeviceNetwork net, int examples)
        => net.Kernels.LayerNorm(net.Members, examples * _size / _channels, _channels, _eps, net.Value(Inputs[0]), net.Value(Output));

    /// <summary>The exact backward pass for all members (not for the network input).</summary>
    void IDeviceOp.Backward(DeviceNetwork net, int examples)
    {
        if (Inputs[0] == 0) return;
        net.Kernels.LayerNormGradient(net.Members, examples * _size / _channels, _channels, _eps, net.Value(Inputs[0]),
            net.Grad(Output), net.Grad(Inputs[0]));
    }
}
