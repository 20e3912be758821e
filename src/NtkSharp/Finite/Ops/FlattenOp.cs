using NtkSharp.Layers;

namespace NtkSharp.Finite.Ops;

/// <summary><see cref="Flatten"/>: row-major (H, W, C) values are already the flattened vector; values and gradients are copied.</summary>
internal sealed class FlattenOp(string path, int input, int output) : FiniteOp(path, [input], output, 0, 0)
{
    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
        => ws.Value(Inputs[0], examples).CopyTo(ws.Value(Output, examples));

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        ws.Gradient(Output, rows).CopyTo(ws.Gradient(Inputs[0], rows));
    }
}
