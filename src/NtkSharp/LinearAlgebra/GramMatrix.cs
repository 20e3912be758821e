using System.Numerics;
using System.Runtime.InteropServices;

namespace NtkSharp.LinearAlgebra;

/// <summary>
/// The scaled input Gram matrix G = s·X1·X2ᵀ of row-major example matrices, written column-major (MathNet's layout).
/// Native BLAS dgemm/dsyrk when a native backend is active, else a blocked, multithreaded SIMD loop.
/// </summary>
internal static class GramMatrix
{
    /// <summary>Computes <paramref name="result"/>[i + j·n1] = scale·⟨x1ᵢ, x2ⱼ⟩; with <paramref name="x2"/> null,
    /// x2 = x1 and at least the upper triangle (i ≤ j) is written.</summary>
    public static void Compute(double[] x1, int n1, double[]? x2, int n2, int d, double scale, double[] result,
        ParallelOptions parallel)
    {
        var provider = Backend.Provider;
        if (provider.Info.Kind == BackendKind.Managed || d == 0)
        {
            ComputeManaged(x1, n1, x2, n2, d, scale, result, parallel);
            return;
        }
        parallel.CancellationToken.ThrowIfCancellationRequested();
        // Row-major N×d example matrices are column-major d×N matrices, so G = s·X1ᵀ-as-stored · X2-as-stored.
        if (x2 is null) provider.SyrkTransposed(n1, d, scale, x1, 0.0, result);
        else provider.Gemm(true, false, n1, n2, d, scale, x1, x2, 0.0, result);
    }

    /// <summary>The managed fallback: 4×4 register blocks of SIMD dot products, parallel over column blocks.</summary>
    public static void ComputeManaged(double[] x1, int n1, double[]? x2, int n2, int d, double scale, double[] result,
        ParallelOptions parallel)
    {
        bool sym = x2 is null;
        var b = x2 ?? x1;
        const int Block = 4;
        int colBlocks = (n2 + Block - 1) / Block;
        Parallel.For(0, colBlocks, parallel, jb =>
        {
            int j0 = jb * Block, j1 = Math.Min(n2, j0 + Block);
            int iEnd = sym ? j1 : n1;
            for (int j = j0; j < j1; j++)
            {
                var bj = new ReadOnlySpan<double>(b, j * d, d);
                for (int i = 0; i < iEnd; i++)
                {
                    result[i + (long)j * n1] = scale * Dot(new ReadOnlySpan<double>(x1, i * d, d), bj);
                }
            }
        });
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count * 2)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            Vector<double> acc0 = Vector<double>.Zero, acc1 = Vector<double>.Zero;
            int v = 0;
            for (; v + 1 < va.Length; v += 2)
            {
                acc0 += va[v] * vb[v];
                acc1 += va[v + 1] * vb[v + 1];
            }
            for (; v < va.Length; v++) acc0 += va[v] * vb[v];
            s = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }
}
