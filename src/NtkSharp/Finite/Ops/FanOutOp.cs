namespace NtkSharp.Finite.Ops;

/// <summary><c>FanOut(n)</c>: copies the input into n registers; backward sums the branch gradients.</summary>
internal sealed class FanOutOp : FiniteOp
{
    public FanOutOp(string path, int input, int[] outputs)
        : base(path, [input], outputs[0], 0, 0)
    {
        Outputs = outputs;
    }

    /// <summary>All output registers (one per branch).</summary>
    public int[] Outputs { get; }

    public override void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples)
    {
        var x = ws.Value(Inputs[0], examples);
        foreach (int o in Outputs) x.CopyTo(ws.Value(o, examples));
    }

    public override void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient)
    {
        if (!ws.NeedsGradient(Inputs[0])) return;
        int rows = examples * rowsPerExample;
        var gx = ws.Gradient(Inputs[0], rows);
        ws.Gradient(Outputs[0], rows).CopyTo(gx);
        for (int k = 1; k < Outputs.Length; k++)
        {
            var g = ws.Gradient(Outputs[k], rows);
            for (int i = 0; i < gx.Length; i++) gx[i] += g[i];
        }
    }
}
