using System.Runtime.InteropServices;

namespace NtkSharp.LinearAlgebra.Native;

/// <summary>
/// LAPACK/BLAS through their Fortran (LP64) entry points, resolved at run time from MKL, OpenBLAS or the system
/// reference libraries. Character arguments are passed with their hidden gfortran length arguments (harmless for
/// libraries that do not read them).
/// </summary>
internal sealed unsafe class NativeProvider : DenseProvider
{
    private readonly delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void> _dsyevd;
    private readonly delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void> _dpotrf;
    private readonly delegate* unmanaged<byte*, int*, int*, double*, int*, double*, int*, int*, nuint, void> _dpotrs;
    private readonly delegate* unmanaged<byte*, byte*, int*, int*, int*, double*, double*, int*, double*, int*, double*, double*, int*, nuint, nuint, void> _dgemm;
    private readonly delegate* unmanaged<byte*, byte*, int*, int*, double*, double*, int*, double*, double*, int*, nuint, nuint, void> _dsyrk;
    private readonly delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, double*, int*, int*, int*, int*, nuint, nuint, void> _zheevd;

    private NativeProvider(NativeLibrarySet libs, BackendInfo info)
    {
        _dsyevd = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void>)libs.Lapack("dsyevd_");
        _dpotrf = (delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void>)libs.Lapack("dpotrf_");
        _dpotrs = (delegate* unmanaged<byte*, int*, int*, double*, int*, double*, int*, int*, nuint, void>)libs.Lapack("dpotrs_");
        _dgemm = (delegate* unmanaged<byte*, byte*, int*, int*, int*, double*, double*, int*, double*, int*, double*, double*, int*, nuint, nuint, void>)libs.Blas("dgemm_");
        _dsyrk = (delegate* unmanaged<byte*, byte*, int*, int*, double*, double*, int*, double*, double*, int*, nuint, nuint, void>)libs.Blas("dsyrk_");
        _zheevd = TryExport(libs, "zheevd_");
        _info = info;
    }

    private static delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, double*, int*, int*, int*, int*, nuint, nuint, void> TryExport(NativeLibrarySet libs, string symbol)
    {
        try
        {
            return (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, double*, int*, int*, int*, int*, nuint, nuint, void>)libs.Lapack(symbol);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether LAPACK <c>zheevd</c> (complex Hermitian eigendecomposition) was found.</summary>
    public bool HasHermitianEigen => _zheevd != null;

    /// <summary>LAPACK <c>zheevd</c> on the column-major complex matrix <paramref name="a"/> (interleaved re, im; only the
    /// lower triangle is read): ascending eigenvalues into <paramref name="values"/>, orthonormal eigenvectors into
    /// <paramref name="a"/>.</summary>
    public void HermitianEigen(int n, double[] a, double[] values)
    {
        if (n == 0) return;
        if (_zheevd == null) throw new NotSupportedException("The native LAPACK has no zheevd.");
        byte jobz = (byte)'V', uplo = (byte)'L';
        int lda = n, info = 0, lwork = -1, lrwork = -1, liwork = -1, iworkQuery = 0;
        var workQuery = stackalloc double[2];
        double rworkQuery = 0;
        _zheevd(&jobz, &uplo, &n, null, &lda, null, workQuery, &lwork, &rworkQuery, &lrwork, &iworkQuery, &liwork, &info, 1, 1);
        CheckInfo("zheevd (workspace query)", info);
        lwork = Math.Max(1, (int)Math.Ceiling(workQuery[0]));
        lrwork = Math.Max(1, (int)Math.Ceiling(rworkQuery));
        liwork = Math.Max(1, iworkQuery);
        var work = new double[2L * lwork];
        var rwork = new double[lrwork];
        var iwork = new int[liwork];
        fixed (double* pa = a, pw = values, pwork = work, prwork = rwork)
        fixed (int* piwork = iwork)
        {
            _zheevd(&jobz, &uplo, &n, pa, &lda, pw, pwork, &lwork, prwork, &lrwork, piwork, &liwork, &info, 1, 1);
        }
        if (info > 0) throw new ArithmeticException($"LAPACK zheevd did not converge ({info}).");
        CheckInfo("zheevd", info);
    }

    public override BackendInfo Info => _info;

    private BackendInfo _info;

    /// <summary>The same loaded library with another reason in its <see cref="Info"/>.</summary>
    public NativeProvider WithReason(string reason)
    {
        var copy = (NativeProvider)MemberwiseClone();
        copy._info = _info with
        {
            Reason = _info.CoreName is not null && NativeLibrarySet.CoreTypeNote is { } note ? reason + "; " + note : reason,
        };
        return copy;
    }

    /// <summary>Loads <paramref name="kind"/>'s libraries, or returns null with the reason.</summary>
    public static NativeProvider? TryLoad(BackendKind kind, string reason, out string? failure)
    {
        var libs = NativeLibrarySet.TryLoad(kind, out failure);
        if (libs is null) return null;
        try
        {
            return new NativeProvider(libs, libs.Describe(reason));
        }
        catch (EntryPointNotFoundException e)
        {
            failure = e.Message;
            return null;
        }
    }

    public override void SymmetricEigen(int n, double[] a, double[] values, double[] vectors)
    {
        if (n == 0) return;
        byte jobz = (byte)'V', uplo = (byte)'L';
        int lda = n, info = 0, lwork = -1, liwork = -1, iworkQuery = 0;
        double workQuery = 0;
        _dsyevd(&jobz, &uplo, &n, null, &lda, null, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1);
        CheckInfo("dsyevd (workspace query)", info);
        lwork = Math.Max(1, (int)Math.Ceiling(workQuery));
        liwork = Math.Max(1, iworkQuery);
        using var buffer = new AlignedBuffer((long)n * n);
        using var w = new AlignedBuffer(n);
        using var work = new AlignedBuffer(lwork);
        var iwork = (int*)NativeMemory.AlignedAlloc((nuint)liwork * sizeof(int), 64);
        try
        {
            buffer.CopyFrom(a);
            _dsyevd(&jobz, &uplo, &n, buffer.Pointer, &lda, w.Pointer, work.Pointer, &lwork, iwork, &liwork, &info, 1, 1);
        }
        finally
        {
            NativeMemory.AlignedFree(iwork);
        }
        if (info > 0)
            throw new ArithmeticException($"LAPACK dsyevd did not converge ({info} off-diagonal elements of an intermediate tridiagonal form did not vanish); the matrix may contain huge or tiny values.");
        CheckInfo("dsyevd", info);
        buffer.CopyTo(vectors);
        w.CopyTo(values);
    }

    public override int CholeskyFactor(int n, double[] a)
    {
        if (n == 0) return 0;
        byte uplo = (byte)'L';
        int lda = n, info = 0;
        fixed (double* pa = a) _dpotrf(&uplo, &n, pa, &lda, &info, 1);
        if (info < 0) CheckInfo("dpotrf", info);
        if (info == 0)
        {
            for (int j = 1; j < n; j++)
            {
                for (int i = 0; i < j; i++) a[i + (long)j * n] = 0;
            }
        }
        return info;
    }

    public override void CholeskySolve(int n, double[] l, int nrhs, double[] b)
    {
        if (n == 0 || nrhs == 0) return;
        byte uplo = (byte)'L';
        int lda = n, ldb = n, info = 0;
        fixed (double* pl = l)
        fixed (double* pb = b)
        {
            _dpotrs(&uplo, &n, &nrhs, pl, &lda, pb, &ldb, &info, 1);
        }
        CheckInfo("dpotrs", info);
    }

    public override void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double[] a, double[] b,
        double beta, double[] c)
    {
        if (m == 0 || n == 0) return;
        byte ta = (byte)(transA ? 'T' : 'N'), tb = (byte)(transB ? 'T' : 'N');
        int lda = Math.Max(1, transA ? k : m), ldb = Math.Max(1, transB ? n : k), ldc = m;
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            _dgemm(&ta, &tb, &m, &n, &k, &alpha, pa, &lda, pb, &ldb, &beta, pc, &ldc, 1, 1);
        }
    }

    public override void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double* a, long lda,
        double* b, long ldb, double beta, double* c, long ldc)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < m; i++) c[i + j * ldc] = beta == 0 ? 0 : beta * c[i + j * ldc];
            }
            return;
        }
        byte ta = (byte)(transA ? 'T' : 'N'), tb = (byte)(transB ? 'T' : 'N');
        int la = checked((int)lda), lb = checked((int)ldb), lc = checked((int)ldc);
        _dgemm(&ta, &tb, &m, &n, &k, &alpha, a, &la, b, &lb, &beta, c, &lc, 1, 1);
    }

    /// <summary>C ← α·op(A)·op(B) on raw column-major storage with explicit leading dimensions (β = 0): the strided
    /// form the out-of-core kernel writer uses to fill a band of Gram rows in place.</summary>
    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb,
        double* c, int ldc)
    {
        Gemm(transA, transB, m, n, k, alpha, a, (long)lda, b, (long)ldb, 0.0, c, (long)ldc);
    }

    public override void SyrkTransposed(int n, int k, double alpha, double[] a, double beta, double[] c)
    {
        if (n == 0) return;
        byte uplo = (byte)'U', trans = (byte)'T';
        int lda = Math.Max(1, k), ldc = n;
        fixed (double* pa = a)
        fixed (double* pc = c)
        {
            _dsyrk(&uplo, &trans, &n, &k, &alpha, pa, &lda, &beta, pc, &ldc, 1, 1);
        }
    }

    private static void CheckInfo(string routine, int info)
    {
        if (info < 0) throw new InvalidOperationException($"LAPACK {routine} rejected argument {-info} (a bug in NtkSharp's call).");
    }
}
