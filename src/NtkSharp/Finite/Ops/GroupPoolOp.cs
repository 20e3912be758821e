using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary><see cref="GroupPool"/>: y(p, c) = (1/|G|)·Σ_g x(g, p, c) on row-major (g, h, w, c) signals.</summary>
internal sealed class GroupPoolOp(string path, int input, int output, int group, int plane) : FiniteOp(path, [input], output, 0, 0)
{
    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var x = ws.Value(Inputs[0], examples);
        var y = ws.Value(Output, examples);
        double inv = 1.0 / group;
        for (int e = 0; e < examples; e++)
        {
            var ye = y.Slice(e * plane, plane);
            x.Slice(e * group * plane, plane).CopyTo(ye);
            for (int g = 1; g < group; g++) Kernels.SpatialOps.AddTo(ye, x.Slice((e * group + g) * plane, plane));
            Kernels.SpatialOps.Affine(ye, inv, 0.0);
        }
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var gy = ws.Gradient(Output, rows);
        var gx = ws.Gradient(Inputs[0], rows);
        double inv = 1.0 / group;
        for (int r = 0; r < rows; r++)
        {
            for (int g = 0; g < group; g++)
            {
                var dst = gx.Slice((r * group + g) * plane, plane);
                gy.Slice(r * plane, plane).CopyTo(dst);
                Kernels.SpatialOps.Affine(dst, inv, 0.0);
            }
        }
    }
}
