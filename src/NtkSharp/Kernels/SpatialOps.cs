using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NtkSharp.Kernels;

/// <summary>
/// The linear window operators of the spatial kernel algebra on dense row-major tensors, as sums of shifted
/// contiguous blocks (SIMD adds). A tensor is viewed as [outer][axis][inner] (single-axis pass) or
/// [outer][axis][axis][inner] (paired pass of a convolution over the two copies of a spatial axis in the full layout).
/// </summary>
internal static class SpatialOps
{
    /// <summary>dst[i] += src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Span<double> dst, ReadOnlySpan<double> src)
    {
        int n = dst.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vd = MemoryMarshal.Cast<double, Vector<double>>(dst);
            var vs = MemoryMarshal.Cast<double, Vector<double>>(src[..n]);
            for (int v = 0; v < vd.Length; v++) vd[v] += vs[v];
            i = vd.Length * Vector<double>.Count;
        }
        for (; i < n; i++) dst[i] += src[i];
    }

    /// <summary>x[i] ← a·x[i] + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Affine(Span<double> x, double a, double b)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            for (int v = 0; v < vx.Length; v++) vx[v] = vx[v] * va + vb;
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) x[i] = a * x[i] + b;
    }

    /// <summary>The coefficients (a, b, c) of an affine layer's NTK update Θ ← a·K + b·Θ + c on the window-summed
    /// covariances: (σ_w², σ_w², σ_b²) in the NTK parameterisation, (fan-in, σ_w², [bias]) in the standard one
    /// (Novak et al. 2020, neural-tangents' <c>stax.Conv</c>). Shared by the CPU (<see cref="Combine"/>) and device
    /// spatial engines.</summary>
    public static (double A, double B, double C) ThetaAffine(bool standard, double fanIn, double w2, double b2, double biasNtk)
        => standard ? (fanIn, w2, biasNtk) : (w2, w2, b2);

    /// <summary>y[i] ← a·x[i] + b·y[i] + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(ReadOnlySpan<double> x, Span<double> y, double a, double b, double c)
    {
        int n = y.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..n]);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            var vc = new Vector<double>(c);
            for (int v = 0; v < vy.Length; v++) vy[v] = vx[v] * va + vy[v] * vb + vc;
            i = vy.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] = a * x[i] + b * y[i] + c;
    }

    /// <summary>Single-axis window sum: dst[o][x][·] = Σ_d src[o][Source(x, d)][·] over blocks of <paramref name="inner"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AxisPass(ReadOnlySpan<double> src, Span<double> dst, int outer, AxisWindow ax, int inner)
    {
        int inBlock = ax.InLength * inner, outBlock = ax.OutLength * inner;
        dst[..(outer * outBlock)].Clear();
        for (int o = 0; o < outer; o++)
        {
            var s = src.Slice(o * inBlock, inBlock);
            var t = dst.Slice(o * outBlock, outBlock);
            for (int d = 0; d < ax.Taps; d++) AddTap(s, t, ax.Segments[d], inner);
        }
    }

    /// <summary>Paired window sum of a convolution in the full layout:
    /// dst[o][a][a′][·] = Σ_d src[o][Source(a, d)][Source(a′, d)][·] over blocks of <paramref name="inner"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PairPass(ReadOnlySpan<double> src, Span<double> dst, int outer, AxisWindow ax, int inner)
    {
        int n = ax.InLength, m = ax.OutLength, f = ax.Taps;
        int inRow = n * inner, outRow = m * inner;
        int inBlock = n * inRow, outBlock = m * outRow;
        dst[..(outer * outBlock)].Clear();
        var source = ax.Source;
        for (int o = 0; o < outer; o++)
        {
            var s = src.Slice(o * inBlock, inBlock);
            var t = dst.Slice(o * outBlock, outBlock);
            for (int a = 0; a < m; a++)
            {
                var tRow = t.Slice(a * outRow, outRow);
                for (int d = 0; d < f; d++)
                {
                    int r = source[a * f + d];
                    if (r < 0) continue;
                    AddTap(s.Slice(r * inRow, inRow), tRow, ax.Segments[d], inner);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTap(ReadOnlySpan<double> s, Span<double> t, TapSegment[] segs, int inner)
    {
        foreach (var seg in segs)
        {
            if (seg.SrcStride == 1)
            {
                int len = seg.Length * inner;
                AddTo(t.Slice(seg.OutStart * inner, len), s.Slice(seg.SrcStart * inner, len));
            }
            else if (inner == 1)
            {
                for (int k = 0; k < seg.Length; k++) t[seg.OutStart + k] += s[seg.SrcStart + k * seg.SrcStride];
            }
            else
            {
                for (int k = 0; k < seg.Length; k++)
                    AddTo(t.Slice((seg.OutStart + k) * inner, inner), s.Slice((seg.SrcStart + k * seg.SrcStride) * inner, inner));
            }
        }
    }
}
