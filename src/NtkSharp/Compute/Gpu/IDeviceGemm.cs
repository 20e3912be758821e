namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The column-major GEMMs the device engines call on raw device pointers, with cuBLAS' exact argument conventions
/// (<c>cublasDgemm_v2</c>, <c>cublasSgemm_v2</c>, <c>cublasDgemmStridedBatched</c>; strides in elements). Implemented
/// by <see cref="CudaBlas"/>; the tests substitute a managed implementation of the same conventions on ILGPU's CPU
/// accelerator (whose buffers are host memory), so that the engines' cuBLAS call sites — operand order, transposition
/// flags, leading dimensions, byte offsets — are checked without a GPU.
/// </summary>
internal interface IDeviceGemm
{
    /// <summary>C = α·op(A)·op(B) + β·C, double, column-major; op(A) m×k, op(B) k×n.</summary>
    void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, IntPtr a, int lda, IntPtr b, int ldb,
        double beta, IntPtr c, int ldc);

    /// <summary>C = α·op(A)·op(B) + β·C, single precision, column-major.</summary>
    void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb,
        float beta, IntPtr c, int ldc);

    /// <summary>C_i = α·op(A_i)·op(B_i) + β·C_i for i &lt; <paramref name="batch"/>, A_i = a + i·strideA elements (0 shares
    /// one matrix), and so on; double, column-major.</summary>
    void DgemmStridedBatched(bool transA, bool transB, int m, int n, int k, double alpha, IntPtr a, int lda, long strideA,
        IntPtr b, int ldb, long strideB, double beta, IntPtr c, int ldc, long strideC, int batch);

    /// <summary>The upper triangle of C (n×n) ← α·AᵀA + β·C for A stored k×n column-major (<c>cublasDsyrk_v2</c>, upper,
    /// transposed); the strict lower triangle of C is not touched.</summary>
    void DsyrkUpperTransposed(int n, int k, double alpha, IntPtr a, int lda, double beta, IntPtr c, int ldc);
}
