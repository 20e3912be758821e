namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The cuSOLVER dense routines the predictor needs — symmetric eigendecomposition (<c>cusolverDnDsyevd</c>),
/// Cholesky factorisation and solve (<c>cusolverDnDpotrf</c>/<c>Dpotrs</c>) — called through function pointers on raw
/// device pointers of ILGPU buffers, on the accelerator's stream.
/// </summary>
internal sealed unsafe class CudaSolver : IDeviceSolver, IDisposable
{
    /// <summary><c>CUBLAS_FILL_MODE_LOWER</c>.</summary>
    public const int FillLower = 0;

    private readonly IntPtr _handle;
    private readonly delegate* unmanaged<IntPtr, int> _destroy;
    private readonly delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, int*, int> _syevdBufferSize;
    private readonly delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, IntPtr, int, IntPtr, int> _syevd;
    private readonly delegate* unmanaged<IntPtr, int, int, IntPtr, int, int*, int> _potrfBufferSize;
    private readonly delegate* unmanaged<IntPtr, int, int, IntPtr, int, IntPtr, int, IntPtr, int> _potrf;
    private readonly delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, int, IntPtr, int> _potrs;

    private CudaSolver(NativeCudaLibrary library, IntPtr stream)
    {
        Library = library;
        var create = (delegate* unmanaged<IntPtr*, int>)library.Export("cusolverDnCreate");
        var setStream = (delegate* unmanaged<IntPtr, IntPtr, int>)library.Export("cusolverDnSetStream");
        _destroy = (delegate* unmanaged<IntPtr, int>)library.Export("cusolverDnDestroy");
        _syevdBufferSize = (delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, int*, int>)library.Export("cusolverDnDsyevd_bufferSize");
        _syevd = (delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, IntPtr, int, IntPtr, int>)library.Export("cusolverDnDsyevd");
        _potrfBufferSize = (delegate* unmanaged<IntPtr, int, int, IntPtr, int, int*, int>)library.Export("cusolverDnDpotrf_bufferSize");
        _potrf = (delegate* unmanaged<IntPtr, int, int, IntPtr, int, IntPtr, int, IntPtr, int>)library.Export("cusolverDnDpotrf");
        _potrs = (delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, int, IntPtr, int>)library.Export("cusolverDnDpotrs");
        IntPtr h;
        Check(create(&h), "cusolverDnCreate");
        _handle = h;
        Check(setStream(_handle, stream), "cusolverDnSetStream");
    }

    /// <summary>The loaded library.</summary>
    public NativeCudaLibrary Library { get; }

    /// <summary>cuSOLVER on <paramref name="stream"/>, or null when no cuSOLVER library can be loaded or initialised.</summary>
    public static CudaSolver? TryCreate(IntPtr stream)
    {
        var lib = NativeCudaLibrary.TryLoad(NativeCudaLibrary.CusolverNames);
        if (lib is null) return null;
        try
        {
            return new CudaSolver(lib, stream);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or InvalidOperationException)
        {
            lib.Dispose();
            return null;
        }
    }

    /// <summary>Workspace length (doubles) of <see cref="Syevd"/>.</summary>
    public int SyevdWorkspace(int n, IntPtr a, int lda, IntPtr w)
    {
        int lwork;
        Check(_syevdBufferSize(_handle, 1, FillLower, n, a, lda, w, &lwork), "cusolverDnDsyevd_bufferSize");
        return lwork;
    }

    /// <summary>Eigenvalues (ascending, into <paramref name="w"/>) and eigenvectors (overwriting A's columns) of the
    /// symmetric matrix whose lower triangle is in <paramref name="a"/>; <paramref name="info"/> is a device int.</summary>
    public void Syevd(int n, IntPtr a, int lda, IntPtr w, IntPtr work, int lwork, IntPtr info) =>
        Check(_syevd(_handle, 1, FillLower, n, a, lda, w, work, lwork, info), "cusolverDnDsyevd");

    /// <summary>Workspace length (doubles) of <see cref="Potrf"/>.</summary>
    public int PotrfWorkspace(int n, IntPtr a, int lda)
    {
        int lwork;
        Check(_potrfBufferSize(_handle, FillLower, n, a, lda, &lwork), "cusolverDnDpotrf_bufferSize");
        return lwork;
    }

    /// <summary>The Cholesky factor L (lower triangle of <paramref name="a"/>, in place).</summary>
    public void Potrf(int n, IntPtr a, int lda, IntPtr work, int lwork, IntPtr info) =>
        Check(_potrf(_handle, FillLower, n, a, lda, work, lwork, info), "cusolverDnDpotrf");

    /// <summary>Solves L·Lᵀ·X = B in place of <paramref name="b"/> with the factor of <see cref="Potrf"/>.</summary>
    public void Potrs(int n, int nrhs, IntPtr a, int lda, IntPtr b, int ldb, IntPtr info) =>
        Check(_potrs(_handle, FillLower, n, nrhs, a, lda, b, ldb, info), "cusolverDnDpotrs");

    /// <summary>Destroys the handle and unloads the library.</summary>
    public void Dispose()
    {
        _destroy(_handle);
        Library.Dispose();
    }

    private static void Check(int status, string call)
    {
        if (status != 0) throw new InvalidOperationException($"{call} failed with cuSOLVER status {status}.");
    }
}
