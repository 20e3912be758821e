using System.Numerics;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace NtkSharp.LinearAlgebra;

/// <summary>MathNet.Numerics' linear algebra provider (its managed one unless the application switched MathNet to
/// a native provider itself).</summary>
internal sealed class ManagedProvider : DenseProvider
{
    private ManagedProvider(string reason)
    {
        Info = new BackendInfo(BackendKind.Managed, [], null, LinearAlgebraControl.Provider.ToString(),
            Environment.ProcessorCount, reason);
    }

    public static ManagedProvider Create(string reason) => new(reason);

    public override BackendInfo Info { get; }

    public override void SymmetricEigen(int n, double[] a, double[] values, double[] vectors)
    {
        var copy = new double[(long)n * n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
                copy[i + (long)j * n] = i >= j ? a[i + (long)j * n] : a[j + (long)i * n];
        }
        var complexValues = new Complex[n];
        var d = new double[(long)n * n];
        LinearAlgebraControl.Provider.EigenDecomp(true, n, copy, vectors, complexValues, d);
        for (int i = 0; i < n; i++) values[i] = complexValues[i].Real;
        SortAscending(n, values, vectors);
    }

    public override int CholeskyFactor(int n, double[] a)
    {
        // MathNet's factorisation reads the lower triangle and throws on a non-positive pivot; find the pivot's
        // position ourselves so the contract matches LAPACK's info.
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < j; i++) a[i + (long)j * n] = a[j + (long)i * n];
        }
        var backup = (double[])a.Clone();
        try
        {
            LinearAlgebraControl.Provider.CholeskyFactor(a, n);
            for (int j = 1; j < n; j++)
            {
                for (int i = 0; i < j; i++) a[i + (long)j * n] = 0;
            }
            return 0;
        }
        catch (ArgumentException)
        {
            return FirstNonPositivePivot(n, backup);
        }
    }

    public override void CholeskySolve(int n, double[] l, int nrhs, double[] b) =>
        LinearAlgebraControl.Provider.CholeskySolveFactored(l, n, b, nrhs);

    public override void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double[] a, double[] b,
        double beta, double[] c)
    {
        int rowsA = transA ? k : m, colsA = transA ? m : k, rowsB = transB ? n : k, colsB = transB ? k : n;
        LinearAlgebraControl.Provider.MatrixMultiplyWithUpdate(transA ? Transpose.Transpose : Transpose.DontTranspose,
            transB ? Transpose.Transpose : Transpose.DontTranspose, alpha, a, rowsA, colsA, b, rowsB, colsB, beta, c);
    }

    public override void SyrkTransposed(int n, int k, double alpha, double[] a, double beta, double[] c)
    {
        var full = new double[(long)n * n];
        LinearAlgebraControl.Provider.MatrixMultiplyWithUpdate(Transpose.Transpose, Transpose.DontTranspose, alpha, a,
            k, n, a, k, n, 0.0, full);
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                long p = i + (long)j * n;
                c[p] = full[p] + (beta == 0 ? 0 : beta * c[p]);
            }
        }
    }

    private static void SortAscending(int n, double[] values, double[] vectors)
    {
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = values[i - 1] <= values[i];
        if (sorted) return;
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var v = (double[])values.Clone();
        var w = (double[])vectors.Clone();
        for (int j = 0; j < n; j++)
        {
            values[j] = v[order[j]];
            Array.Copy(w, (long)order[j] * n, vectors, (long)j * n, n);
        }
    }

    /// <summary>The unblocked Cholesky–Crout recurrence, stopped at the first pivot that is not positive (LAPACK's
    /// <c>info</c>, 1-based).</summary>
    private static int FirstNonPositivePivot(int n, double[] a)
    {
        for (int j = 0; j < n; j++)
        {
            double s = a[j + (long)j * n];
            for (int p = 0; p < j; p++) s -= a[j + (long)p * n] * a[j + (long)p * n];
            if (!(s > 0)) return j + 1;
            double ljj = Math.Sqrt(s);
            a[j + (long)j * n] = ljj;
            for (int i = j + 1; i < n; i++)
            {
                double t = a[i + (long)j * n];
                for (int p = 0; p < j; p++) t -= a[i + (long)p * n] * a[j + (long)p * n];
                a[i + (long)j * n] = t / ljj;
            }
        }
        return n;
    }
}
