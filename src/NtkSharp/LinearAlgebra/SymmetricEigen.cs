using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace NtkSharp.LinearAlgebra;

/// <summary>
/// The eigendecomposition A = V·diag(λ)·Vᵀ of a real symmetric matrix, through LAPACK <c>dsyevd</c> (divide and
/// conquer) on the native backend or MathNet's tridiagonal QL otherwise.
/// </summary>
/// <remarks>Eigenvalues are in ascending order; eigenvector columns are orthonormal. Only the lower triangle is
/// read, after checking that A is symmetric to a relative tolerance of 1e-8 of its largest entry.</remarks>
public sealed class SymmetricEigen
{
    private SymmetricEigen(Vector<double> values, Matrix<double> vectors)
    {
        EigenValues = values;
        EigenVectors = vectors;
    }

    /// <summary>λ₁ ≤ … ≤ λₙ.</summary>
    public Vector<double> EigenValues { get; }

    /// <summary>V, whose column i is the unit eigenvector of λᵢ.</summary>
    public Matrix<double> EigenVectors { get; }

    /// <summary>The order n.</summary>
    public int Order => EigenValues.Count;

    /// <summary>Decomposes <paramref name="a"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, not finite, or not symmetric.</exception>
    public static SymmetricEigen Compute(Matrix<double> a) => Compute(Backend.Provider, a);

    internal static SymmetricEigen Compute(DenseProvider provider, Matrix<double> a)
    {
        MatrixChecks.Symmetric(a, nameof(a));
        return ComputeTrusted(provider, a);
    }

    /// <summary>Decomposes a matrix already checked to be square, finite and symmetric (no second scan).</summary>
    internal static SymmetricEigen ComputeTrusted(DenseProvider provider, Matrix<double> a)
    {
        int n = a.RowCount;
        var values = new double[n];
        var vectors = Native.LargeArrays.Allocate((long)n * n);
        provider.SymmetricEigen(n, MatrixChecks.Dense(a), values, vectors);
        return new SymmetricEigen(new DenseVector(values), new DenseMatrix(n, n, vectors));
    }

    /// <summary>V·diag(f(λ))·Vᵀ.</summary>
    public Matrix<double> Apply(Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        int n = Order;
        var v = MatrixChecks.Dense(EigenVectors);
        var scaled = Native.LargeArrays.Allocate(v.Length);
        for (int j = 0; j < n; j++)
        {
            double s = f(EigenValues[j]);
            for (int i = 0; i < n; i++) scaled[i + (long)j * n] = s * v[i + (long)j * n];
        }
        return DenseOps.Multiply(new DenseMatrix(n, n, scaled), EigenVectors, transposeB: true);
    }

    /// <summary>V·diag(λ)·Vᵀ (equal to the decomposed matrix up to rounding).</summary>
    public Matrix<double> Reconstruct() => Apply(l => l);
}
