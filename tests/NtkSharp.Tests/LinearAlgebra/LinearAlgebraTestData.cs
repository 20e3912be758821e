using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.LinearAlgebra;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.Tests.LinearAlgebra;

/// <summary>Random test matrices with fixed seeds, naive reference products, and every provider that loads here.</summary>
internal static class LinearAlgebraTestData
{
    public static Matrix<double> Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new DenseMatrix(rows, cols);
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < rows; i++) m[i, j] = 2 * rng.NextDouble() - 1;
        }
        return m;
    }

    /// <summary>A random symmetric positive definite matrix B·Bᵀ/n + 0.1·I (condition number in the hundreds).</summary>
    public static Matrix<double> RandomSpd(int n, int seed)
    {
        var b = Random(n, n, seed);
        var a = NaiveMultiply(b, b.Transpose()) / n;
        for (int i = 0; i < n; i++) a[i, i] += 0.1;
        return a;
    }

    /// <summary>Textbook triple loop, independent of every provider.</summary>
    public static Matrix<double> NaiveMultiply(Matrix<double> a, Matrix<double> b)
    {
        var c = new DenseMatrix(a.RowCount, b.ColumnCount);
        for (int i = 0; i < a.RowCount; i++)
        {
            for (int j = 0; j < b.ColumnCount; j++)
            {
                double s = 0;
                for (int k = 0; k < a.ColumnCount; k++) s += a[i, k] * b[k, j];
                c[i, j] = s;
            }
        }
        return c;
    }

    /// <summary>The managed provider, the active one, and each native kind whose library loads on this machine
    /// (none on a machine without LAPACK: the tests then check the managed provider alone).</summary>
    public static IEnumerable<DenseProvider> Providers()
    {
        yield return Backend.ManagedInstance;
        foreach (var kind in new[] { BackendKind.Mkl, BackendKind.OpenBlas, BackendKind.SystemLapack })
        {
            var p = NativeProvider.TryLoad(kind, "test", out _);
            if (p is not null) yield return p;
        }
    }

    public static double RelativeError(Matrix<double> actual, Matrix<double> expected) =>
        (actual - expected).FrobeniusNorm() / expected.FrobeniusNorm();
}
