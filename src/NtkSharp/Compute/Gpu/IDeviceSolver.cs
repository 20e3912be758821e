namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The cuSOLVER dense routines of <see cref="CudaDenseProvider"/> on raw device pointers, with cuSOLVER's conventions
/// (column-major, lower fill mode, workspace queries in doubles, <c>info</c> as a device int). Implemented by
/// <see cref="CudaSolver"/>; the tests substitute a managed implementation of the same conventions on ILGPU's CPU
/// accelerator so that the provider's uploads, fill modes, layouts and info handling are checked without a GPU.
/// </summary>
internal interface IDeviceSolver
{
    /// <summary>Workspace length (doubles) of <see cref="Syevd"/>.</summary>
    int SyevdWorkspace(int n, IntPtr a, int lda, IntPtr w);

    /// <summary>Eigenvalues (ascending, into <paramref name="w"/>) and eigenvectors (overwriting A's columns) of the
    /// symmetric matrix whose lower triangle is in <paramref name="a"/>.</summary>
    void Syevd(int n, IntPtr a, int lda, IntPtr w, IntPtr work, int lwork, IntPtr info);

    /// <summary>Workspace length (doubles) of <see cref="Potrf"/>.</summary>
    int PotrfWorkspace(int n, IntPtr a, int lda);

    /// <summary>The Cholesky factor L in the lower triangle of <paramref name="a"/> (info = k &gt; 0: the leading minor
    /// of order k is not positive definite).</summary>
    void Potrf(int n, IntPtr a, int lda, IntPtr work, int lwork, IntPtr info);

    /// <summary>Solves L·Lᵀ·X = B in place of <paramref name="b"/> with the factor of <see cref="Potrf"/>.</summary>
    void Potrs(int n, int nrhs, IntPtr a, int lda, IntPtr b, int ldb, IntPtr info);
}
