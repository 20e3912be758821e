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
        accelerator.Synchronize();
        Calls++;
        Gemm((double*)a, (double*)b, (double*)c, transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
    }

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb,
        float beta, IntPtr c, int ldc)
    {
        accelerator.Synchronize();
        Calls++;
        float* pa = (float*)a, pb = (float*)b, pc = (float*)c;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                float s = 0f;
                for (int p = 0; p < k; p++)
                    s += (transA ? pa[p + (long)i * lda] : pa[i + (long)p * lda]) * (transB ? pb[j + (long)p * ldb] : pb[p + (long)j * ldb]);
                long at = i + (long)j * ldc;
                pc[at] = beta == 0f ? alpha * s : alpha * s + beta * pc[at];
            }
        }
    }

    public void DgemmStridedBatched(bool transA, bool transB, int m, int n, int k, double alpha, IntPtr a, int lda, long strideA,
        IntPtr b, int ldb, long strideB, double beta, IntPtr c, int ldc, long strideC, int batch)
    {
        accelerator.Synchronize();
        Calls++;
        for (int i = 0; i < batch; i++)
            Gemm((double*)a + i * strideA, (double*)b + i * strideB, (double*)c + i * strideC, transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
    }

    public void DsyrkUpperTransposed(int n, int k, double alpha, IntPtr a, int lda, double beta, IntPtr c, int ldc)
    {
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

    private static void Gemm(double* a, double* b, double* c, bool transA, bool transB, int m, int n, int k, double alpha,
        int lda, int ldb, double beta, int ldc)
    {
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p + (long)i * lda] : a[i + (long)p * lda]) * (transB ? b[j + (long)p * ldb] : b[p + (long)j * ldb]);
                long at = i + (long)j * ldc;
                c[at] = beta == 0 ? alpha * s : alpha * s + beta * c[at];
            }
        }
    }
}
