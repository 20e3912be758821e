namespace NtkSharp.Finite.Ops;

/// <summary><c>FanInSum()</c>: adds the branch registers; backward hands the output gradient to every branch.</summary>
internal sealed class SumOp : FiniteOp
{
    public SumOp(string path, int[] inputs, int output)
        : base(path, inputs, output, 0, 0)
    {
    }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var y = ws.Value(Output, examples);
        ws.Value(Inputs[0], examples).CopyTo(y);
        for (int k = 1; k < Inputs.Length; k++)
        {
            var x = ws.Value(Inputs[k], examples);
            for (int i = 0; i < y.Length; i++) y[i] += x[i];
        }
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        int rows = examples * rowsPerExample;
        var g = ws.Gradient(Output, rows);
        foreach (int r in Inputs)
        {
            if (ws.NeedsGradient(r)) g.CopyTo(ws.Gradient(r, rows));
        }
    }
}
