using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NtkSharp.Finite;

/// <summary>
/// Single-threaded dense matrix product C = α·op(A)·op(B) + β·C on row-major spans (the finite networks' forward and
/// backward passes; parallelism comes from running members or samples on separate cores). Packed panels and a
/// 6×(2 vectors) register micro-kernel with fused multiply-adds, AVX-512 when the hardware has it.
/// </summary>
internal static class Gemm
{
    private const int MR = 6;
    private const int KC = 256;
    private const int MC = 96;
    private const int NC = 2048;

    private static readonly bool Use512 = Vector512.IsHardwareAccelerated;

    /// <summary>Columns of one packed B panel (two SIMD vectors).</summary>
    internal static int NR => Use512 ? 16 : 8;

    /// <summary>The scratch length a caller must provide for any product.</summary>
    internal static int ScratchLength => KC * NC + MC * KC + MR * 16;

    /// <summary>C (m×n, row stride ldc) = α·op(A)·op(B) + β·C with op(A) m×k and op(B) k×n.</summary>
    /// <remarks>transA: A is stored k×m (row stride lda) and used transposed; transB: B is stored n×k (row stride ldb)
    /// and used transposed. <paramref name="scratch"/> holds at least <see cref="ScratchLength"/> values.</remarks>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc,
        Span<double> scratch)
    {
        if (m == 0 || n == 0) return;
        if (beta != 1.0)
        {
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * ldc, n);
                if (beta == 0.0) row.Clear();
                else
                {
                    for (int j = 0; j < n; j++) row[j] *= beta;
                }
            }
        }
        if (k == 0 || alpha == 0.0) return;
        int nr = NR;
        var bPack = scratch[..(KC * NC)];
        var aPack = scratch.Slice(KC * NC, MC * KC);
        var tile = scratch.Slice(KC * NC + MC * KC, MR * 16);
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            int nPanels = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                PackB(transB, b, ldb, pc, kc, jc, nc, nr, bPack);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    int mPanels = (mc + MR - 1) / MR;
                    PackA(transA, a, lda, ic, mc, pc, kc, aPack);
                    for (int jp = 0; jp < nPanels; jp++)
                    {
                        int j0 = jc + jp * nr;
                        int nValid = Math.Min(nr, n - j0);
                        var bp = bPack.Slice(jp * kc * nr, kc * nr);
                        for (int ip = 0; ip < mPanels; ip++)
                        {
                            int i0 = ic + ip * MR;
                            int mValid = Math.Min(MR, m - i0);
                            var ap = aPack.Slice(ip * kc * MR, kc * MR);
                            if (mValid == MR && nValid == nr)
                            {
                                Kernel(ap, bp, kc, alpha, c.Slice(i0 * ldc + j0), ldc);
                            }
                            else
                            {
                                tile.Clear();
                                Kernel(ap, bp, kc, alpha, tile, nr);
                                for (int i = 0; i < mValid; i++)
                                {
                                    var dst = c.Slice((i0 + i) * ldc + j0, nValid);
                                    var src = tile.Slice(i * nr, nValid);
                                    for (int j = 0; j < nValid; j++) dst[j] += src[j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void PackB(bool transB, ReadOnlySpan<double> b, int ldb, int pc, int kc, int jc, int nc, int nr, Span<double> dst)
    {
        int nPanels = (nc + nr - 1) / nr;
        for (int jp = 0; jp < nPanels; jp++)
        {
            int j0 = jc + jp * nr;
            int nValid = Math.Min(nr, jc + nc - j0);
            var panel = dst.Slice(jp * kc * nr, kc * nr);
            if (!transB)
            {
                for (int kk = 0; kk < kc; kk++)
                {
                    var src = b.Slice((pc + kk) * ldb + j0, nValid);
                    var d = panel.Slice(kk * nr, nr);
                    src.CopyTo(d);
                    if (nValid < nr) d[nValid..].Clear();
                }
            }
            else
            {
                if (nValid < nr) panel.Clear();
                for (int j = 0; j < nValid; j++)
                {
                    var src = b.Slice((j0 + j) * ldb + pc, kc);
                    for (int kk = 0; kk < kc; kk++) panel[kk * nr + j] = src[kk];
                }
            }
        }
    }

    private static void PackA(bool transA, ReadOnlySpan<double> a, int lda, int ic, int mc, int pc, int kc, Span<double> dst)
    {
        int mPanels = (mc + MR - 1) / MR;
        for (int ip = 0; ip < mPanels; ip++)
        {
            int i0 = ic + ip * MR;
            int mValid = Math.Min(MR, ic + mc - i0);
            var panel = dst.Slice(ip * kc * MR, kc * MR);
            if (mValid < MR) panel.Clear();
            if (!transA)
            {
                for (int i = 0; i < mValid; i++)
                {
                    var src = a.Slice((i0 + i) * lda + pc, kc);
                    for (int kk = 0; kk < kc; kk++) panel[kk * MR + i] = src[kk];
                }
            }
            else
            {
                for (int kk = 0; kk < kc; kk++)
                {
                    var src = a.Slice((pc + kk) * lda + i0, mValid);
                    var d = panel.Slice(kk * MR, MR);
                    for (int i = 0; i < mValid; i++) d[i] = src[i];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(ReadOnlySpan<double> ap, ReadOnlySpan<double> bp, int kc, double alpha, Span<double> c, int ldc)
    {
        if (Use512) Kernel512(ap, bp, kc, alpha, c, ldc);
        else Kernel256(ap, bp, kc, alpha, c, ldc);
    }

    private static unsafe void Kernel512(ReadOnlySpan<double> ap, ReadOnlySpan<double> bp, int kc, double alpha, Span<double> c, int ldc)
    {
        fixed (double* pa = ap, pb = bp, pcc = c)
        {
            Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector512<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            double* a = pa;
            double* b = pb;
            for (int kk = 0; kk < kc; kk++, a += MR, b += 16)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 8);
                var x = Vector512.Create(a[0]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(a[1]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a[2]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a[3]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(a[4]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(a[5]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            }
            var al = Vector512.Create(alpha);
            Store512(pcc, al, c00, c01);
            Store512(pcc + ldc, al, c10, c11);
            Store512(pcc + 2 * ldc, al, c20, c21);
            Store512(pcc + 3 * ldc, al, c30, c31);
            Store512(pcc + 4 * ldc, al, c40, c41);
            Store512(pcc + 5 * ldc, al, c50, c51);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store512(double* row, Vector512<double> alpha, Vector512<double> v0, Vector512<double> v1)
    {
        Vector512.FusedMultiplyAdd(alpha, v0, Vector512.Load(row)).Store(row);
        Vector512.FusedMultiplyAdd(alpha, v1, Vector512.Load(row + 8)).Store(row + 8);
    }

    private static unsafe void Kernel256(ReadOnlySpan<double> ap, ReadOnlySpan<double> bp, int kc, double alpha, Span<double> c, int ldc)
    {
        fixed (double* pa = ap, pb = bp, pcc = c)
        {
            Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            double* a = pa;
            double* b = pb;
            for (int kk = 0; kk < kc; kk++, a += MR, b += 8)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 4);
                var x = Vector256.Create(a[0]);
                c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
                x = Vector256.Create(a[1]);
                c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
                x = Vector256.Create(a[2]);
                c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
                x = Vector256.Create(a[3]);
                c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
                x = Vector256.Create(a[4]);
                c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
                x = Vector256.Create(a[5]);
                c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            }
            var al = Vector256.Create(alpha);
            Store256(pcc, al, c00, c01);
            Store256(pcc + ldc, al, c10, c11);
            Store256(pcc + 2 * ldc, al, c20, c21);
            Store256(pcc + 3 * ldc, al, c30, c31);
            Store256(pcc + 4 * ldc, al, c40, c41);
            Store256(pcc + 5 * ldc, al, c50, c51);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store256(double* row, Vector256<double> alpha, Vector256<double> v0, Vector256<double> v1)
    {
        Vector256.FusedMultiplyAdd(alpha, v0, Vector256.Load(row)).Store(row);
        Vector256.FusedMultiplyAdd(alpha, v1, Vector256.Load(row + 4)).Store(row + 4);
    }
}
