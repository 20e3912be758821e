using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NtkSharp.Kernels;

namespace NtkSharp.ScaleOut;

/// <summary>
/// The scaled input Gram entries s·⟨x1ᵢ, x2ⱼ⟩ of one tile, in a fixed summation order per entry whatever the tile's
/// shape or the entry's position in it: SIMD lanes accumulate the products of the feature chunks with fused multiply-add,
/// the lanes are added in order, then the remainder features. So an entry has the same bits in every tile grid, shard
/// and thread count. 4 × 4 register blocks of row pairs (16 vector accumulators) keep the FMA units busy.
/// </summary>
internal static unsafe class GramTileProduct
{
    /// <summary>c[i·ldc + j] = scale·⟨a_i, b_j⟩ for i &lt; m, j &lt; n (only j ≥ i + <paramref name="diagonalOffset"/> when
    /// it is not null); rows of a and b are d features long at strides lda and ldb.</summary>
    public static void Compute(double* a, int lda, int m, double* b, int ldb, int n, int d, double scale, double* c, long ldc,
        int? diagonalOffset = null)
    {
        if (Vector512.IsHardwareAccelerated) Compute<Simd512, Vector512<double>>(a, lda, m, b, ldb, n, d, scale, c, ldc, diagonalOffset);
        else if (Vector256.IsHardwareAccelerated) Compute<Simd256, Vector256<double>>(a, lda, m, b, ldb, n, d, scale, c, ldc, diagonalOffset);
        else ComputeScalar(a, lda, m, b, ldb, n, d, scale, c, ldc, diagonalOffset);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute<TOps, TV>(double* a, int lda, int m, double* b, int ldb, int n, int d, double scale, double* c,
        long ldc, int? diagonalOffset)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        for (int i = 0; i < m; i += 4)
        {
            int jStart = diagonalOffset is { } off ? Math.Max(0, i + off) : 0;
            for (int j = jStart; j < n; j += 4)
            {
                if (i + 4 <= m && j + 4 <= n && (diagonalOffset is null || j >= i + 3 + diagonalOffset))
                {
                    Block4x4<TOps, TV>(a + (long)i * lda, lda, b + (long)j * ldb, ldb, d, scale, c + i * ldc + j, ldc);
                    continue;
                }
                for (int ii = i; ii < Math.Min(m, i + 4); ii++)
                {
                    int jj0 = diagonalOffset is { } o ? Math.Max(j, ii + o) : j;
                    for (int jj = jj0; jj < Math.Min(n, j + 4); jj++)
                        c[ii * ldc + jj] = scale * Dot<TOps, TV>(a + (long)ii * lda, b + (long)jj * ldb, d);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Finish<TOps, TV>(TV acc, double* x, double* y, int start, int d)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        double* lanes = stackalloc double[TOps.Count];
        TOps.Store(acc, ref *lanes, 0);
        double s = 0;
        for (int l = 0; l < TOps.Count; l++) s += lanes[l];
        for (int k = start; k < d; k++) s = Math.FusedMultiplyAdd(x[k], y[k], s);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot<TOps, TV>(double* x, double* y, int d)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        int w = TOps.Count, end = d - d % w;
        TV acc = TOps.Broadcast(0);
        for (int k = 0; k < end; k += w) acc = TOps.FusedMultiplyAdd(TOps.Load(ref x[k], 0), TOps.Load(ref y[k], 0), acc);
        return Finish<TOps, TV>(acc, x, y, end, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4<TOps, TV>(double* a, int lda, double* b, int ldb, int d, double scale, double* c, long ldc)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        int w = TOps.Count, end = d - d % w;
        double* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        double* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        TV z = TOps.Broadcast(0);
        TV c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        TV c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int k = 0; k < end; k += w)
        {
            TV x0 = TOps.Load(ref a0[k], 0), x1 = TOps.Load(ref a1[k], 0), x2 = TOps.Load(ref a2[k], 0), x3 = TOps.Load(ref a3[k], 0);
            TV y = TOps.Load(ref b0[k], 0);
            c00 = TOps.FusedMultiplyAdd(x0, y, c00); c10 = TOps.FusedMultiplyAdd(x1, y, c10);
            c20 = TOps.FusedMultiplyAdd(x2, y, c20); c30 = TOps.FusedMultiplyAdd(x3, y, c30);
            y = TOps.Load(ref b1[k], 0);
            c01 = TOps.FusedMultiplyAdd(x0, y, c01); c11 = TOps.FusedMultiplyAdd(x1, y, c11);
            c21 = TOps.FusedMultiplyAdd(x2, y, c21); c31 = TOps.FusedMultiplyAdd(x3, y, c31);
            y = TOps.Load(ref b2[k], 0);
            c02 = TOps.FusedMultiplyAdd(x0, y, c02); c12 = TOps.FusedMultiplyAdd(x1, y, c12);
            c22 = TOps.FusedMultiplyAdd(x2, y, c22); c32 = TOps.FusedMultiplyAdd(x3, y, c32);
            y = TOps.Load(ref b3[k], 0);
            c03 = TOps.FusedMultiplyAdd(x0, y, c03); c13 = TOps.FusedMultiplyAdd(x1, y, c13);
            c23 = TOps.FusedMultiplyAdd(x2, y, c23); c33 = TOps.FusedMultiplyAdd(x3, y, c33);
        }
        c[0] = scale * Finish<TOps, TV>(c00, a0, b0, end, d); c[1] = scale * Finish<TOps, TV>(c01, a0, b1, end, d);
        c[2] = scale * Finish<TOps, TV>(c02, a0, b2, end, d); c[3] = scale * Finish<TOps, TV>(c03, a0, b3, end, d);
        c += ldc;
        c[0] = scale * Finish<TOps, TV>(c10, a1, b0, end, d); c[1] = scale * Finish<TOps, TV>(c11, a1, b1, end, d);
        c[2] = scale * Finish<TOps, TV>(c12, a1, b2, end, d); c[3] = scale * Finish<TOps, TV>(c13, a1, b3, end, d);
        c += ldc;
        c[0] = scale * Finish<TOps, TV>(c20, a2, b0, end, d); c[1] = scale * Finish<TOps, TV>(c21, a2, b1, end, d);
        c[2] = scale * Finish<TOps, TV>(c22, a2, b2, end, d); c[3] = scale * Finish<TOps, TV>(c23, a2, b3, end, d);
        c += ldc;
        c[0] = scale * Finish<TOps, TV>(c30, a3, b0, end, d); c[1] = scale * Finish<TOps, TV>(c31, a3, b1, end, d);
        c[2] = scale * Finish<TOps, TV>(c32, a3, b2, end, d); c[3] = scale * Finish<TOps, TV>(c33, a3, b3, end, d);
    }

    private static void ComputeScalar(double* a, int lda, int m, double* b, int ldb, int n, int d, double scale, double* c, long ldc,
        int? diagonalOffset)
    {
        for (int i = 0; i < m; i++)
        {
            int j0 = diagonalOffset is { } off ? Math.Max(0, i + off) : 0;
            for (int j = j0; j < n; j++)
            {
                double* x = a + (long)i * lda, y = b + (long)j * ldb;
                double s = 0;
                for (int k = 0; k < d; k++) s = Math.FusedMultiplyAdd(x[k], y[k], s);
                c[i * ldc + j] = scale * s;
            }
        }
    }
}
