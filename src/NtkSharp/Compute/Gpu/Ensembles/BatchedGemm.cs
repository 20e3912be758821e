namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// Row-major batched GEMM over ensemble members, C_m = α·op(A_m)·op(B_m) + β·C_m for every member m: cuBLAS
/// <c>cublasDgemmStridedBatched</c> when the context has cuBLAS, else <see cref="BatchedGemmKernel"/>. cuBLAS is
/// column-major, and a row-major matrix is the column-major storage of its transpose, so the call computes
/// C_mᵀ = op(B_m)ᵀ·op(A_m)ᵀ with the operands swapped and the transposition flags unchanged.
/// </summary>
internal sealed class BatchedGemm(EnsembleKernelSet kernels, IDeviceGemm? blas)
{
    /// <summary>Whether the products go to cuBLAS.</summary>
    public bool UsesCublas => blas is not null;

    /// <summary>C_m (M × N, row stride ldc) = α·op(A_m)·op(B_m) + β·C_m for <paramref name="members"/> members, with op(A)
    /// M × K and op(B) K × N (A stored K × M when <paramref name="transA"/>, B stored N × K when <paramref name="transB"/>).</summary>
    public void Run(int members, bool transA, bool transB, int m, int n, int k, double alpha, MemberBatch a, int lda,
        MemberBatch b, int ldb, double beta, MemberBatch c, int ldc)
    {
        if (members == 0 || m == 0 || n == 0) return;
        if (blas is not null)
        {
            blas.DgemmStridedBatched(transB, transA, n, m, k, alpha, b.Pointer, ldb, b.MemberStride, a.Pointer, lda, a.MemberStride,
                beta, c.Pointer, ldc, c.MemberStride, members);
            return;
        }
        var shape = new GemmShape(m, n, k, transA ? 1 : 0, transB ? 1 : 0, lda, ldb, ldc, a.MemberStride, b.MemberStride,
            c.MemberStride, alpha, beta);
        kernels.LaunchGemm(members, shape, a.View, b.View, c.View);
    }
}
