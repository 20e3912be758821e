namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The few cuBLAS routines NtkSharp needs (<c>cublasDgemm_v2</c>, <c>cublasSgemm_v2</c>, <c>cublasDsyrk_v2</c>, <c>cublasDgemmStridedBatched</c>), called through function pointers on raw device
/// pointers of ILGPU buffers, on the accelerator's stream so that they are ordered with the ILGPU kernels.
/// </summary>
internal sealed unsafe class CudaBlas : IDeviceGemm, IDisposable
{
    private readonly IntPtr _handle;
    private readonly delegate* unmanaged<IntPtr, int> _destroy;
    private readonly delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int> _dgemm;
    private readonly delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int> _sgemm;
    private readonly delegate* unmanaged<IntPtr, int, int, int, int, double*, IntPtr, int, double*, IntPtr, int, int> _dsyrk;
    private readonly delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, long, IntPtr, int, long, double*, IntPtr, int, long, int, int> _dgemmBatched;

    private CudaBlas(NativeCudaLibrary library, IntPtr stream)
    {
        Library = library;
        var create = (delegate* unmanaged<IntPtr*, int>)library.Export("cublasCreate_v2");
        var setStream = (delegate* unmanaged<IntPtr, IntPtr, int>)library.Export("cublasSetStream_v2");
        _destroy = (delegate* unmanaged<IntPtr, int>)library.Export("cublasDestroy_v2");
        _dgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int>)
            library.Export("cublasDgemm_v2");
        _sgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int>)
            library.Export("cublasSgemm_v2");
        _dsyrk = (delegate* unmanaged<IntPtr, int, int, int, int, double*, IntPtr, int, double*, IntPtr, int, int>)
            library.Export("cublasDsyrk_v2");
        _dgemmBatched = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, long, IntPtr, int, long, double*, IntPtr, int, long, int, int>)
            library.Export("cublasDgemmStridedBatched");
        IntPtr h;
        Check(create(&h), "cublasCreate_v2");
        _handle = h;
        Check(setStream(_handle, stream), "cublasSetStream_v2");
    }

    /// <summary>The loaded library.</summary>
    public NativeCudaLibrary Library { get; }

    /// <summary>cuBLAS on <paramref name="stream"/>, or null when no cuBLAS library can be loaded or initialised.</summary>
    public static CudaBlas? TryCreate(IntPtr stream)
    {
        var lib = NativeCudaLibrary.TryLoad(NativeCudaLibrary.CublasNames);
        if (lib is null) return null;
        try
        {
            return new CudaBlas(lib, stream);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or InvalidOperationException)
        {
            lib.Dispose();
            return null;
        }
    }

    /// <summary>C = α·op(A)·op(B) + β·C on column-major device matrices (cuBLAS' <c>cublasDgemm_v2</c>).</summary>
    public void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, IntPtr a, int lda, IntPtr b, int ldb,
        double beta, IntPtr c, int ldc)
    {
        Check(_dgemm(_handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc), "cublasDgemm_v2");
    }

    /// <summary>C = α·op(A)·op(B) + β·C on column-major single-precision device matrices (cuBLAS'
    /// <c>cublasSgemm_v2</c>; the handle keeps cuBLAS' default math mode, so no TF32 tensor-core rounding).</summary>
    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb,
        float beta, IntPtr c, int ldc)
    {
        Check(_sgemm(_handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc), "cublasSgemm_v2");
    }

    /// <summary>C_i = α·op(A_i)·op(B_i) + β·C_i for i &lt; <paramref name="batch"/> column-major device matrices with
    /// A_i = a + i·strideA (in elements; 0 shares one matrix) and so on (cuBLAS' <c>cublasDgemmStridedBatched</c>).</summary>
    public void DgemmStridedBatched(bool transA, bool transB, int m, int n, int k, double alpha, IntPtr a, int lda, long strideA,
        IntPtr b, int ldb, long strideB, double beta, IntPtr c, int ldc, long strideC, int batch)
    {
        Check(_dgemmBatched(_handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k, &alpha, a, lda, strideA, b, ldb, strideB, &beta,
            c, ldc, strideC, batch), "cublasDgemmStridedBatched");
    }

    /// <summary>The upper triangle of C (n×n) ← α·AᵀA + β·C for A stored k×n column-major (cuBLAS' <c>cublasDsyrk_v2</c>,
    /// upper, transposed).</summary>
    public void DsyrkUpperTransposed(int n, int k, double alpha, IntPtr a, int lda, double beta, IntPtr c, int ldc)
    {
        Check(_dsyrk(_handle, 1, 1, n, k, &alpha, a, lda, &beta, c, ldc), "cublasDsyrk_v2");
    }

    /// <summary>Destroys the handle and unloads the library.</summary>
    public void Dispose()
    {
        _destroy(_handle);
        Library.Dispose();
    }

    private static void Check(int status, string call)
    {
        if (status != 0) throw new InvalidOperationException($"{call} failed with cuBLAS status {status}.");
    }
}
