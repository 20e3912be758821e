namespace NtkSharp.LinearAlgebra;

/// <summary>
/// The dense kernels the library needs, on column-major arrays with tight leading dimensions (MathNet's layout).
/// Implemented natively (<see cref="Native.NativeProvider"/>) and by MathNet's provider (<see cref="ManagedProvider"/>).
/// </summary>
internal abstract class DenseProvider
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
}
