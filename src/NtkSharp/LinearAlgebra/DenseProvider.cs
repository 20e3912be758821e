namespace NtkSharp.LinearAlgebra;

/// <summary>
/// The dense kernels the library needs, on column-major arrays with tight leading dimensions (MathNet's layout).
/// Implemented natively (<see cref="Native.NativeProvider"/>) and by MathNet's provider (<see cref="ManagedProvider"/>).
/// </summary>
internal abstract unsafe class DenseProvider
{
    /// <summary>Which backend this is.</summary>
    public abstract BackendInfo Info { get; }

    /// <summary>Eigen-decomposes the symmetric n×n matrix <paramref name="a"/> (only its lower triangle is read; not
    /// modified): ascending <paramref name="values"/> and orthonormal eigenvector columns in <paramref name="vectors"/>.</summary>
    public abstract void SymmetricEigen(int n, double[] a, double[] values, double[] vectors);

    /// <summary>Overwrites <paramref name="a"/> with its lower Cholesky factor L (A = L·Lᵀ, strict upper triangle
    /// zeroed). Returns 0, or k &gt; 0 when the leading k×k minor is not positive definite (then <paramref name="a"/>
    /// is partly overwritten).</summary>
    public abstract int CholeskyFactor(int n, double[] a);

    /// <summary>Overwrites the n×<paramref name="nrhs"/> right-hand sides <paramref name="b"/> with the solution of
    /// L·Lᵀ·x = b for the factor <paramref name="l"/> from <see cref="CholeskyFactor"/>.</summary>
    public abstract void CholeskySolve(int n, double[] l, int nrhs, double[] b);

    /// <summary>C ← α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n; A is stored m×k (k×m when transposed),
    /// B k×n (n×k when transposed), all column-major and tight.</summary>
    public abstract void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double[] a, double[] b,
        double beta, double[] c);

    /// <summary>The upper triangle of C (n×n) ← α·AᵀA + β·C for A stored k×n column-major (lda = k); the strict
    /// lower triangle of C is left untouched.</summary>
    public abstract void SyrkTransposed(int n, int k, double alpha, double[] a, double beta, double[] c);

    /// <summary>C ← α·op(A)·op(B) + β·C on raw column-major storage with explicit leading dimensions (for
    /// sub-blocks of larger arrays and memory-mapped files). The default copies into tight arrays and calls the
    /// array overload; native providers call dgemm directly.</summary>
    public virtual void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double* a, long lda,
        double* b, long ldb, double beta, double* c, long ldc)
    {
        if (m == 0 || n == 0) return;
        int ra = transA ? k : m, ca = transA ? m : k, rb = transB ? n : k, cb = transB ? k : n;
        var ta = Tight(a, ra, ca, lda);
        var tb = Tight(b, rb, cb, ldb);
        var tc = beta == 0 ? new double[(long)m * n] : Tight(c, m, n, ldc);
        if (k == 0)
        {
            for (int p = 0; p < tc.Length; p++) tc[p] = beta == 0 ? 0 : beta * tc[p];
        }
        else Gemm(transA, transB, m, n, k, alpha, ta, tb, beta == 0 ? 0 : beta, tc);
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++) c[i + j * ldc] = tc[i + (long)j * m];
        }
    }

    private static double[] Tight(double* p, int rows, int cols, long ld)
    {
        var r = new double[(long)rows * cols];
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < rows; i++) r[i + (long)j * rows] = p[i + j * ld];
        }
        return r;
    }
}
