using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NtkSharp.Kernels;

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
        if (Use512) Kernel<Vector512<double>, Simd512>(ap, bp, kc, alpha, c, ldc);
        else Kernel<Vector256<double>, Simd256>(ap, bp, kc, alpha, c, ldc);
    }

    /// <summary>The 6 × (2 vectors) micro-kernel: C[0..6, 0..2·W] += α·Σ_k a[k, 0..6] ⊗ b[k, 0..2·W] over packed panels,
    /// for the vector width W of <typeparamref name="TOps"/> (specialised per struct type argument by the JIT).</summary>
    private static void Kernel<TV, TOps>(ReadOnlySpan<double> ap, ReadOnlySpan<double> bp, int kc, double alpha, Span<double> c, int ldc)
        where TV : struct
        where TOps : ISimdOps<TV>
    {
        int w = TOps.Count, nr = 2 * w;
        ref double a = ref MemoryMarshal.GetReference(ap);
        ref double b = ref MemoryMarshal.GetReference(bp);
        TV c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TV c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nuint ao = 0, bo = 0;
        for (int kk = 0; kk < kc; kk++, ao += MR, bo += (nuint)nr)
        {
            var b0 = TOps.Load(ref b, bo);
            var b1 = TOps.Load(ref b, bo + (nuint)w);
            var x = TOps.Broadcast(Unsafe.Add(ref a, ao));
            c00 = TOps.FusedMultiplyAdd(x, b0, c00);
            c01 = TOps.FusedMultiplyAdd(x, b1, c01);
            x = TOps.Broadcast(Unsafe.Add(ref a, ao + 1));
            c10 = TOps.FusedMultiplyAdd(x, b0, c10);
            c11 = TOps.FusedMultiplyAdd(x, b1, c11);
            x = TOps.Broadcast(Unsafe.Add(ref a, ao + 2));
            c20 = TOps.FusedMultiplyAdd(x, b0, c20);
            c21 = TOps.FusedMultiplyAdd(x, b1, c21);
            x = TOps.Broadcast(Unsafe.Add(ref a, ao + 3));
            c30 = TOps.FusedMultiplyAdd(x, b0, c30);
            c31 = TOps.FusedMultiplyAdd(x, b1, c31);
            x = TOps.Broadcast(Unsafe.Add(ref a, ao + 4));
            c40 = TOps.FusedMultiplyAdd(x, b0, c40);
            c41 = TOps.FusedMultiplyAdd(x, b1, c41);
            x = TOps.Broadcast(Unsafe.Add(ref a, ao + 5));
            c50 = TOps.FusedMultiplyAdd(x, b0, c50);
            c51 = TOps.FusedMultiplyAdd(x, b1, c51);
        }
        var al = TOps.Broadcast(alpha);
        ref double row = ref MemoryMarshal.GetReference(c);
        StoreRow<TV, TOps>(ref row, 0, w, al, c00, c01);
        StoreRow<TV, TOps>(ref row, (nuint)ldc, w, al, c10, c11);
        StoreRow<TV, TOps>(ref row, (nuint)(2 * ldc), w, al, c20, c21);
        StoreRow<TV, TOps>(ref row, (nuint)(3 * ldc), w, al, c30, c31);
        StoreRow<TV, TOps>(ref row, (nuint)(4 * ldc), w, al, c40, c41);
        StoreRow<TV, TOps>(ref row, (nuint)(5 * ldc), w, al, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TV, TOps>(ref double c, nuint offset, int w, TV alpha, TV v0, TV v1)
        where TV : struct
        where TOps : ISimdOps<TV>
    {
        TOps.Store(TOps.FusedMultiplyAdd(alpha, v0, TOps.Load(ref c, offset)), ref c, offset);
        TOps.Store(TOps.FusedMultiplyAdd(alpha, v1, TOps.Load(ref c, offset + (nuint)w)), ref c, offset + (nuint)w);
    }
}
