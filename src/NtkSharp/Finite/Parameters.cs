namespace NtkSharp.Finite;

/// <summary>
/// The parameters of one finite network: a flat float64 vector laid out as <see cref="FiniteNetwork.ParameterBlocks"/>
/// says (layers in order; within a Dense layer first W, row-major fanIn × fanOut, then b).
/// </summary>
/// <remarks>The values are the raw trainable variables: in the NTK parameterisation W, b ~ N(0, 1) and the layer
/// scales them by σ_w/√fanIn and σ_b in the forward pass; in the standard parameterisation W ~ N(0, σ_w²/fanIn),
/// b ~ N(0, σ_b²) are used as they are.</remarks>
public sealed class Parameters
{
    /// <summary>Wraps <paramref name="values"/> (not copied).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public Parameters(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
    }

    /// <summary>The flat parameter vector (mutable: training updates it in place).</summary>
    public double[] Values { get; }

    /// <summary>Number of parameters.</summary>
    public int Count => Values.Length;

    /// <summary>The values of one block.</summary>
    public Span<double> Block(ParameterBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return Values.AsSpan(block.Offset, block.Count);
    }

    /// <summary>A deep copy.</summary>
    public Parameters Clone() => new((double[])Values.Clone());
}
