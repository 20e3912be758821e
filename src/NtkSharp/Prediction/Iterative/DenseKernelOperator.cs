using NtkSharp.LinearAlgebra;

namespace NtkSharp.Prediction.Iterative;

/// <summary>An in-memory symmetric kernel (both triangles stored, regulariser already on the diagonal): one dgemm
/// per block product.</summary>
internal sealed unsafe class DenseKernelOperator(double[] kernel, int order) : IKernelOperator
{
    public int Order => order;

    public void Multiply(double* x, int columns, double* y, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        fixed (double* k = kernel) Backend.Provider.Gemm(false, false, order, columns, order, 1.0, k, order, x, order, 0.0, y, order);
    }
}
