namespace NtkSharp.Prediction.Iterative;

/// <summary>The regularised symmetric train kernel K + r·I as an operator on blocks of vectors, whether it is held
/// in memory or streamed from a memory-mapped file.</summary>
internal interface IKernelOperator
{
    /// <summary>N.</summary>
    int Order { get; }

    /// <summary>Y ← (K + r·I)·X for X and Y N×<paramref name="columns"/>, column-major and tight.</summary>
    unsafe void Multiply(double* x, int columns, double* y, CancellationToken cancellationToken);
}
