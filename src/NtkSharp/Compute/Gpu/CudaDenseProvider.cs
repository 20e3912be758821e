using ILGPU;
using ILGPU.Runtime;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The dense linear algebra of the predictors on an NVIDIA GPU: symmetric eigendecomposition by cuSOLVER
/// <c>Dsyevd</c> (divide and conquer, as LAPACK's <c>dsyevd</c> on the CPU), Cholesky by <c>Dpotrf</c>/<c>Dpotrs</c>,
/// products by cuBLAS <c>Dgemm</c>/<c>Dsyrk</c>, on ILGPU device buffers of the owning <see cref="ComputeContext"/>.
/// Each call uploads its operands, runs on the device and copies the results back into the managed arrays, so it
/// is a drop-in <see cref="DenseProvider"/> (see <see cref="ComputeContext.UseForLinearAlgebra()"/>).
/// </summary>
internal sealed class CudaDenseProvider : DenseProvider
{
    private readonly ComputeContext _context;
    private readonly IDeviceGemm _blas;
    private readonly IDeviceSolver _solver;

    /// <param name="context">The owning context (its accelerator holds the buffers).</param>
    /// <param name="blas">cuBLAS (or, in tests, an implementation of its conventions).</param>
    /// <param name="solver">cuSOLVER (or, in tests, an implementation of its conventions).</param>
    /// <param name="libraries">The library names reported by <see cref="Info"/>.</param>
    public CudaDenseProvider(ComputeContext context, IDeviceGemm blas, IDeviceSolver solver, string[] libraries)
    {
        _context = context;
        _blas = blas;
        _solver = solver;
        Info = new BackendInfo(BackendKind.Cuda, libraries, null, context.Describe(), 1,
            "installed by ComputeContext.UseForLinearAlgebra");
    }

    public override BackendInfo Info { get; }

    public override void SymmetricEigen(int n, double[] a, double[] values, double[] vectors)
    {
        if (n == 0) return;
        lock (_context.Gate)
        {
            var acc = _context.Accelerator;
            using var da = acc.Allocate1D(a);
            using var dw = acc.Allocate1D<double>(n);
            using var info = acc.Allocate1D<int>(1);
            int lwork = _solver.SyevdWorkspace(n, da.NativePtr, n, dw.NativePtr);
            using var work = acc.Allocate1D<double>(Math.Max(1, lwork));
            _solver.Syevd(n, da.NativePtr, n, dw.NativePtr, work.NativePtr, lwork, info.NativePtr);
            acc.Synchronize();
            CheckInfo(info, "cusolverDnDsyevd", "the eigenvalue iteration did not converge");
            dw.View.CopyToCPU(values);
            da.View.CopyToCPU(vectors);
        }
    }

    public override int CholeskyFactor(int n, double[] a)
    {
        if (n == 0) return 0;
        int status;
        lock (_context.Gate)
        {
            var acc = _context.Accelerator;
            using var da = acc.Allocate1D(a);
            using var info = acc.Allocate1D<int>(1);
            int lwork = _solver.PotrfWorkspace(n, da.NativePtr, n);
            using var work = acc.Allocate1D<double>(Math.Max(1, lwork));
            _solver.Potrf(n, da.NativePtr, n, work.NativePtr, lwork, info.NativePtr);
            acc.Synchronize();
            status = ReadInfo(info);
            if (status < 0) throw new InvalidOperationException($"cusolverDnDpotrf rejected argument {-status}.");
            da.View.CopyToCPU(a);
        }
        for (int j = 1; j < n; j++) Array.Clear(a, j * n, Math.Min(j, n)); // strict upper triangle of column j
        return status;
    }

    public override void CholeskySolve(int n, double[] l, int nrhs, double[] b)
    {
        if (n == 0 || nrhs == 0) return;
        lock (_context.Gate)
        {
            var acc = _context.Accelerator;
            using var dl = acc.Allocate1D(l);
            using var db = acc.Allocate1D(b);
            using var info = acc.Allocate1D<int>(1);
            _solver.Potrs(n, nrhs, dl.NativePtr, n, db.NativePtr, n, info.NativePtr);
            acc.Synchronize();
            CheckInfo(info, "cusolverDnDpotrs", "invalid argument");
            db.View.CopyToCPU(b);
        }
    }

    public override void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double[] a, double[] b,
        double beta, double[] c)
    {
        if (m == 0 || n == 0) return;
        lock (_context.Gate)
        {
            var acc = _context.Accelerator;
            using var da = acc.Allocate1D<double>(Math.Max(1, a.Length));
            using var db = acc.Allocate1D<double>(Math.Max(1, b.Length));
            if (a.Length > 0) da.View.SubView(0, a.Length).CopyFromCPU(a);
            if (b.Length > 0) db.View.SubView(0, b.Length).CopyFromCPU(b);
            using var dc = acc.Allocate1D(c);
            _blas.Dgemm(transA, transB, m, n, k, alpha, da.NativePtr, Math.Max(1, transA ? k : m), db.NativePtr,
                Math.Max(1, transB ? n : k), beta, dc.NativePtr, m);
            acc.Synchronize();
            dc.View.CopyToCPU(c);
        }
    }

    public override void SyrkTransposed(int n, int k, double alpha, double[] a, double beta, double[] c)
    {
        if (n == 0) return;
        lock (_context.Gate)
        {
            var acc = _context.Accelerator;
            using var da = acc.Allocate1D<double>(Math.Max(1, a.Length));
            if (a.Length > 0) da.View.SubView(0, a.Length).CopyFromCPU(a);
            using var dc = acc.Allocate1D(c);
            _blas.DsyrkUpperTransposed(n, k, alpha, da.NativePtr, Math.Max(1, k), beta, dc.NativePtr, n);
            acc.Synchronize();
            dc.View.CopyToCPU(c);
        }
    }

    private static int ReadInfo(MemoryBuffer1D<int, Stride1D.Dense> info)
    {
        var h = new int[1];
        info.View.CopyToCPU(h);
        return h[0];
    }

    private static void CheckInfo(MemoryBuffer1D<int, Stride1D.Dense> info, string call, string meaning)
    {
        int status = ReadInfo(info);
        if (status != 0) throw new InvalidOperationException($"{call} returned info = {status} ({(status < 0 ? $"argument {-status} rejected" : meaning)}).");
    }
}
