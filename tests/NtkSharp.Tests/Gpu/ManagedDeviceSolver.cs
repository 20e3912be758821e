using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute.Gpu;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// cuSOLVER's conventions (column-major, lower fill mode: only the lower triangle of A is read; eigenvalues ascending;
/// Potrf leaves the strict upper triangle untouched; info as a device int) with MathNet on raw pointers of ILGPU's CPU
/// accelerator buffers (host memory), for testing <see cref="CudaDenseProvider"/> without a GPU.
/// </summary>
internal sealed unsafe class ManagedDeviceSolver(Accelerator accelerator) : IDeviceSolver
{
    public int Calls { get; private set; }

    public int SyevdWorkspace(int n, IntPtr a, int lda, IntPtr w) => 2 * n + 1;

    public void Syevd(int n, IntPtr a, int lda, IntPtr w, IntPtr work, int lwork, IntPtr info)
    {
        accelerator.Synchronize();
        Calls++;
        if (lwork < SyevdWorkspace(n, a, lda, w)) throw new InvalidOperationException("workspace too small");
        double* pa = (double*)a, pw = (double*)w;
        var m = Matrix<double>.Build.Dense(n, n, (i, j) => i >= j ? pa[i + (long)j * lda] : pa[j + (long)i * lda]);
        var evd = m.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, n).OrderBy(i => evd.EigenValues[i].Real).ToArray();
        for (int c = 0; c < n; c++)
        {
            pw[c] = evd.EigenValues[order[c]].Real;
            for (int r = 0; r < n; r++) pa[r + (long)c * lda] = evd.EigenVectors[r, order[c]];
        }
        *(int*)info = 0;
    }

    public int PotrfWorkspace(int n, IntPtr a, int lda) => n;

    public void Potrf(int n, IntPtr a, int lda, IntPtr work, int lwork, IntPtr info)
    {
        accelerator.Synchronize();
        Calls++;
        double* pa = (double*)a;
        for (int j = 0; j < n; j++)
        {
            double d = pa[j + (long)j * lda];
            for (int p = 0; p < j; p++) d -= pa[j + (long)p * lda] * pa[j + (long)p * lda];
            if (!(d > 0))
            {
                *(int*)info = j + 1;
                return;
            }
            double l = Math.Sqrt(d);
            pa[j + (long)j * lda] = l;
            for (int i = j + 1; i < n; i++)
            {
                double s = pa[i + (long)j * lda];
                for (int p = 0; p < j; p++) s -= pa[i + (long)p * lda] * pa[j + (long)p * lda];
                pa[i + (long)j * lda] = s / l;
            }
        }
        *(int*)info = 0;
    }

    public void Potrs(int n, int nrhs, IntPtr a, int lda, IntPtr b, int ldb, IntPtr info)
    {
        accelerator.Synchronize();
        Calls++;
        double* pa = (double*)a, pb = (double*)b;
        for (int c = 0; c < nrhs; c++)
        {
            double* x = pb + (long)c * ldb;
            for (int i = 0; i < n; i++)
            {
                double s = x[i];
                for (int p = 0; p < i; p++) s -= pa[i + (long)p * lda] * x[p];
                x[i] = s / pa[i + (long)i * lda];
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = x[i];
                for (int p = i + 1; p < n; p++) s -= pa[p + (long)i * lda] * x[p];
                x[i] = s / pa[i + (long)i * lda];
            }
        }
        *(int*)info = 0;
    }
}
