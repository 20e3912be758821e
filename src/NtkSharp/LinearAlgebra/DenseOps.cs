using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace NtkSharp.LinearAlgebra;

/// <summary>
/// Matrix products on MathNet matrices through the active <see cref="Backend"/> (native dgemm/dsyrk when
/// available, MathNet's provider otherwise).
/// </summary>
public static class DenseOps
{
    /// <summary>op(A)·op(B), where op transposes when asked.</summary>
    /// <exception cref="ArgumentException">The inner dimensions differ.</exception>
    public static Matrix<double> Multiply(Matrix<double> a, Matrix<double> b, bool transposeA = false, bool transposeB = false) =>
        Multiply(Backend.Provider, a, b, transposeA, transposeB);

    /// <summary>The symmetric Gram matrix AᵀA (both triangles filled).</summary>
    public static Matrix<double> TransposeAndMultiplySelf(Matrix<double> a) => Gram(Backend.Provider, a);

    internal static Matrix<double> Multiply(DenseProvider provider, Matrix<double> a, Matrix<double> b, bool transposeA,
        bool transposeB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int m = transposeA ? a.ColumnCount : a.RowCount, k = transposeA ? a.RowCount : a.ColumnCount;
        int kb = transposeB ? b.ColumnCount : b.RowCount, n = transposeB ? b.RowCount : b.ColumnCount;
        if (k != kb)
            throw new ArgumentException($"Inner dimensions differ: op(A) is {m}×{k} but op(B) is {kb}×{n}.", nameof(b));
        var c = Native.LargeArrays.Allocate((long)m * n);
        if (k > 0) provider.Gemm(transposeA, transposeB, m, n, k, 1.0, MatrixChecks.Dense(a), MatrixChecks.Dense(b), 0.0, c);
        return new DenseMatrix(m, n, c);
    }

    internal static Matrix<double> Gram(DenseProvider provider, Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        int n = a.ColumnCount, k = a.RowCount;
        var c = Native.LargeArrays.Allocate((long)n * n);
        if (k > 0) provider.SyrkTransposed(n, k, 1.0, MatrixChecks.Dense(a), 0.0, c);
        MirrorUpper(n, c);
        return new DenseMatrix(n, n, c);
    }

    /// <summary>Copies the upper triangle of a column-major n×n array into its lower triangle.</summary>
    internal static void MirrorUpper(int n, double[] c)
    {
        for (int j = 0; j < n; j++)
        {
            for (int i = j + 1; i < n; i++) c[i + (long)j * n] = c[j + (long)i * n];
        }
    }
}
