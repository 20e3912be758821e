using ILGPU.Runtime;
using NtkSharp.Compute.Gpu;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// cuBLAS' GEMM conventions (column-major, op flags, leading dimensions, element strides, β = 0 never reading C)
/// implemented with plain loops on raw pointers, for ILGPU's CPU accelerator, whose device buffers are host memory.
/// Installed as <c>ComputeContext.DeviceGemmOverride</c>, it lets the engines' cuBLAS call sites run without a GPU.
/// Counts its calls so that tests can check the cuBLAS path was really taken.
/// </summary>
internal sealed unsafe class ManagedDeviceGemm(Accelerator accelerator) : IDeviceGemm
{
    public int Calls { get; private set; }

    public void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, IntPtr a, int lda, IntPtr b, int ldb,
        double beta, IntPtr c, int ldc)
    {
        CheckArguments(transA, transB, m, n, k, lda, ldb, ldc);
        accelerator.Synchronize();
        Calls++;
        Gemm((double*)a, (double*)b, (double*)c, transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
    }

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb,
        float beta, IntPtr c, int ldc)
    {
        CheckArguments(transA, transB, m, n, k, lda, ldb, ldc);
        accelerator.Synchronize();
        Calls++;
        Gemm((float*)a, (float*)b, (float*)c, transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
    }

    public void DgemmStridedBatched(bool transA, bool transB, int m, int n, int k, double alpha, IntPtr a, int lda, long strideA,
        IntPtr b, int ldb, long strideB, double beta, IntPtr c, int ldc, long strideC, int batch)
    {
        CheckArguments(transA, transB, m, n, k, lda, ldb, ldc);
        if (strideC == 0 && batch > 1) throw new ArgumentException("CUBLAS_STATUS_INVALID_VALUE: strideC = 0 with several batch entries");
        accelerator.Synchronize();
        Calls++;
        for (int i = 0; i < batch; i++)
            Gemm((double*)a + i * strideA, (double*)b + i * strideB, (double*)c + i * strideC, transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
    }

    public void DsyrkUpperTransposed(int n, int k, double alpha, IntPtr a, int lda, double beta, IntPtr c, int ldc)
    {
        if (lda < Math.Max(1, k) || ldc < Math.Max(1, n)) throw new ArgumentException($"CUBLAS_STATUS_INVALID_VALUE: lda = {lda}, ldc = {ldc}");
        accelerator.Synchronize();
        Calls++;
        double* pa = (double*)a, pc = (double*)c;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += pa[p + (long)i * lda] * pa[p + (long)j * lda];
                long at = i + (long)j * ldc;
                pc[at] = beta == 0 ? alpha * s : alpha * s + beta * pc[at];
            }
        }
    }

    /// <summary>cuBLAS' CUBLAS_STATUS_INVALID_VALUE conditions on sizes and leading dimensions.</summary>
    private static void CheckArguments(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"CUBLAS_STATUS_INVALID_VALUE: m = {m}, n = {n}, k = {k}");
        if (lda < Math.Max(1, transA ? k : m)) throw new ArgumentException($"CUBLAS_STATUS_INVALID_VALUE: lda = {lda}");
        if (ldb < Math.Max(1, transB ? n : k)) throw new ArgumentException($"CUBLAS_STATUS_INVALID_VALUE: ldb = {ldb}");
        if (ldc < Math.Max(1, m)) throw new ArgumentException($"CUBLAS_STATUS_INVALID_VALUE: ldc = {ldc}");
    }

    private static void Gemm<T>(T* a, T* b, T* c, bool transA, bool transB, int m, int n, int k, T alpha,
        int lda, int ldb, T beta, int ldc)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p + (long)i * lda] : a[i + (long)p * lda]) * (transB ? b[j + (long)p * ldb] : b[p + (long)j * ldb]);
                long at = i + (long)j * ldc;
                c[at] = T.IsZero(beta) ? alpha * s : alpha * s + beta * c[at];
            }
        }
    }
}
