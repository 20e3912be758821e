namespace NtkSharp.Finite;

/// <summary>
/// One operation of a compiled finite-width network: reads its input registers, writes its output register, and
/// owns a contiguous slice of the flat parameter vector. Convolution, pooling and other layers plug in by deriving
/// from this class and emitting it from their <c>Layer.EmitFinite</c> override.
/// </summary>
/// <remarks>
/// <para>Registers hold row-major activations of shape (examples, per-example size) for values and (rows,
/// per-example size) for gradients, where a backward pass may run several cotangent rows per example
/// (<c>rowsPerExample</c>, e.g. one per output unit for Jacobians): row r belongs to example r / rowsPerExample.</para>
/// <para>Every register is written by exactly one op and read by at most one (FanOut copies), so backward passes
/// overwrite input gradients rather than accumulate them.</para>
/// </remarks>
internal abstract class FiniteOp
{
    /// <summary>Creates the op.</summary>
    protected FiniteOp(string path, int[] inputs, int output, int parameterOffset, int parameterCount)
    {
        Path = path;
        Inputs = inputs;
        Output = output;
        ParameterOffset = parameterOffset;
        ParameterCount = parameterCount;
    }

    /// <summary>The index path of the layer that emitted the op (as in <c>ArchitectureException</c>).</summary>
    public string Path { get; }

    /// <summary>Input registers.</summary>
    public int[] Inputs { get; }

    /// <summary>Output register.</summary>
    public int Output { get; }

    /// <summary>First index of this op's parameters in the flat vector.</summary>
    public int ParameterOffset { get; }

    /// <summary>Number of parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>The named parameter arrays of this op (offsets absolute in the flat vector).</summary>
    public virtual IEnumerable<ParameterBlock> ParameterBlocks => [];

    /// <summary>Draws this op's initial parameters into <paramref name="parameters"/> (its own slice).</summary>
    public virtual void Initialize(Span<double> parameters, ref GaussianSampler rng)
    {
    }

    /// <summary>Computes the output register from the input registers for <paramref name="examples"/> examples;
    /// <paramref name="parameters"/> is the whole flat parameter vector.</summary>
    public abstract void Forward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples);

    /// <summary>
    /// Back-propagates the output register's gradient rows to the input registers that need one
    /// (<see cref="FiniteWorkspace.NeedsGradient"/>) and, when <paramref name="parameterGradient"/> is not empty
    /// (only with one row per example), adds the parameter gradient summed over rows into it (whole flat vector).
    /// </summary>
    public abstract void Backward(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> parameterGradient);

    /// <summary>
    /// Writes ∂(cotangent row r)/∂θⱼ for this op's parameters θ into
    /// <paramref name="destination"/>[r·<paramref name="stride"/> + <paramref name="offset"/> + j] for every gradient row r.
    /// </summary>
    public virtual void RowGradients(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample,
        Span<double> destination, int stride, int offset)
    {
        if (ParameterCount != 0)
            throw new InvalidOperationException($"{GetType().Name} has parameters but no per-row gradients.");
    }

    /// <summary>
    /// Adds this op's part of the empirical NTK, Σ_k Σ_θ ∂f_{a,k}/∂θ·∂f_{b,k}/∂θ (k over the rows of each example),
    /// into the row-major examples×examples <paramref name="ntk"/>. The default goes through <see cref="RowGradients"/>.
    /// </summary>
    public virtual void AddNtk(ReadOnlySpan<double> parameters, FiniteWorkspace ws, int examples, int rowsPerExample, Span<double> ntk)
    {
        if (ParameterCount == 0) return;
        int rows = examples * rowsPerExample, p = ParameterCount;
        var g = new double[(long)rows * p];
        RowGradients(parameters, ws, examples, rowsPerExample, g, p, 0);
        for (int a = 0; a < examples; a++)
        {
            for (int b = a; b < examples; b++)
            {
                double s = 0;
                for (int k = 0; k < rowsPerExample; k++)
                {
                    s += LinearAlgebra.GramMatrix.Dot(g.AsSpan((a * rowsPerExample + k) * p, p), g.AsSpan((b * rowsPerExample + k) * p, p));
                }
                ntk[a * examples + b] += s;
                if (b != a) ntk[b * examples + a] += s;
            }
        }
    }
}
