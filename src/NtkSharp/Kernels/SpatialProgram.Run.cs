using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

internal sealed partial class SpatialProgram
{
    /// <summary>
    /// Runs the program on one pair of examples (row-major (H, W, C) slices). <paramref name="var1"/> and
    /// <paramref name="var2"/> hold the examples' recorded diagonal variances (<see cref="SlotTotal"/> doubles each);
    /// when <paramref name="record"/> is not empty (the self pass, x1 = x2, var1 = var2 = record) every nonlinearity
    /// first writes its input's diagonal there. <paramref name="self"/> marks the self pass (one example with itself),
    /// the only pass in which Dropout scales (the same example and position).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(SpatialWorkspace ws, ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<double> var1,
        ReadOnlySpan<double> var2, Span<double> record, bool wantNtk, out double nngp, out double ntk, bool self = false)
    {
        InputKernel(x1, x2, ws.K[0]);
        ws.T[0].AsSpan(0, Size(InH, InW)).Clear();
        foreach (var ins in Code)
        {
            var k = ws.K[ins.Reg];
            var t = ws.T[ins.Reg];
            int inSize = Size(ins.InH, ins.InW), outSize = Size(ins.OutH, ins.OutW), span = inSize * ins.InBlocks;
            switch (ins.Op)
            {
                case SpatialOpCode.Affine:
                    AffineUpdate(ins, k.AsSpan(0, span), t.AsSpan(0, span), wantNtk);
                    break;
                case SpatialOpCode.Conv:
                    Window(ins, k, ws.Tmp);
                    if (wantNtk && !ins.ThetaZero) Window(ins, t, ws.Tmp);
                    AffineUpdate(ins, k.AsSpan(0, outSize), t.AsSpan(0, outSize), wantNtk);
                    break;
                case SpatialOpCode.Pool:
                    for (int u = 0; u < ins.InBlocks; u++)
                    {
                        // Block u's result moves to u·outSize, never after its input nor onto a later block's input.
                        PoolFull(ins, k.AsSpan(u * inSize), ws.Tmp);
                        if (u > 0) k.AsSpan(u * inSize, outSize).CopyTo(k.AsSpan(u * outSize));
                        if (!wantNtk || ins.ThetaZero) continue;
                        PoolFull(ins, t.AsSpan(u * inSize), ws.Tmp);
                        if (u > 0) t.AsSpan(u * inSize, outSize).CopyTo(t.AsSpan(u * outSize));
                    }
                    break;
                case SpatialOpCode.GlobalPool:
                    k[0] = ins.Scale * Sum(k.AsSpan(0, span));
                    if (wantNtk) t[0] = ins.Scale * Sum(t.AsSpan(0, span));
                    break;
                case SpatialOpCode.Flatten:
                    k[0] = ins.Scale * DiagonalSum(k, ins.InH, ins.InW);
                    if (wantNtk) t[0] = ins.Scale * DiagonalSum(t, ins.InH, ins.InW);
                    break;
                case SpatialOpCode.Activation:
                    for (int u = 0; u < ins.InBlocks; u++)
                        Activate(ins, ws, k.AsSpan(u * inSize, inSize), wantNtk ? t.AsSpan(u * inSize, inSize) : default, var1, var2, u == 0 ? record : default);
                    break;
                case SpatialOpCode.Copy:
                    ws.K[ins.Src].AsSpan(0, span).CopyTo(k);
                    if (wantNtk) ws.T[ins.Src].AsSpan(0, span).CopyTo(t);
                    break;
                case SpatialOpCode.Add:
                    SpatialOps.AddTo(k.AsSpan(0, span), ws.K[ins.Src]);
                    if (wantNtk) SpatialOps.AddTo(t.AsSpan(0, span), ws.T[ins.Src]);
                    break;
                case SpatialOpCode.Lift:
                case SpatialOpCode.GroupConv:
                    GroupConvolution(ins, ws, k, t, wantNtk);
                    break;
                case SpatialOpCode.GroupPool:
                    GroupMean(ins, k);
                    if (wantNtk) GroupMean(ins, t);
                    break;
                case SpatialOpCode.Dropout:
                    if (!self) break;
                    ScaleDiagonal(k, ins.InH, ins.InW, ins.Scale);
                    if (wantNtk) ScaleDiagonal(t, ins.InH, ins.InW, ins.Scale);
                    break;
            }
        }
        nngp = ws.K[0][0];
        ntk = wantNtk ? ws.T[0][0] : 0.0;
    }

    /// <summary>K⁰(p, p′) = Σ_c x1(p, c)·x2(p′, c)/C in the program's layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InputKernel(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, Span<double> k)
    {
        int h = InH, w = InW, c = InC;
        double inv = 1.0 / c;
        if (Layout == SpatialLayout.Diagonal)
        {
            if (c == 1)
            {
                for (int p = 0; p < h * w; p++) k[p] = x1[p] * x2[p];
            }
            else
            {
                for (int p = 0; p < h * w; p++) k[p] = inv * Dot(x1.Slice(p * c, c), x2.Slice(p * c, c));
            }
            return;
        }
        for (int a = 0; a < h; a++)
        {
            for (int b = 0; b < h; b++)
            {
                var plane = k.Slice((a * h + b) * w * w, w * w);
                for (int u = 0; u < w; u++)
                {
                    var row = plane.Slice(u * w, w);
                    var xu = x1.Slice((a * w + u) * c, c);
                    if (c == 1)
                    {
                        x2.Slice(b * w, w).CopyTo(row);
                        SpatialOps.Affine(row, xu[0], 0.0);
                    }
                    else
                    {
                        for (int v = 0; v < w; v++) row[v] = inv * Dot(xu, x2.Slice((b * w + v) * c, c));
                    }
                }
            }
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => LinearAlgebra.GramMatrix.Dot(a, b);

    /// <summary>K ← σ_w²·K + σ_b²; Θ ← σ_w²·Θ + K′ (NTK) or FanIn·K + σ_w²·Θ + [bias] (standard), with K the
    /// (window-summed) input.</summary>
    private static void AffineUpdate(SpatialInstruction ins, Span<double> k, Span<double> t, bool wantNtk)
    {
        if (wantNtk)
        {
            var (a, b, c) = SpatialOps.ThetaAffine(ins.Standard, ins.FanIn, ins.W2, ins.B2, ins.BiasNtk);
            SpatialOps.Combine(k, t, a, b, c);
        }
        SpatialOps.Affine(k, ins.W2, ins.B2);
    }

    /// <summary>x ← (1/(h·w))·Σ_d x(p·s + d, p′·s + d): the normalised convolution window sum, separable over H and W.</summary>
    private void Window(SpatialInstruction ins, double[] x, double[] tmp)
    {
        var ah = ins.AxisH!;
        var aw = ins.AxisW!;
        if (Layout == SpatialLayout.Full)
        {
            SpatialOps.PairPass(x, tmp, 1, ah, ins.InW * ins.InW);
            SpatialOps.PairPass(tmp, x, ah.OutLength * ah.OutLength, aw, 1);
        }
        else
        {
            SpatialOps.AxisPass(x, tmp, 1, ah, ins.InW);
            SpatialOps.AxisPass(tmp, x, ah.OutLength, aw, 1);
        }
        SpatialOps.Affine(x.AsSpan(0, Size(ins.OutH, ins.OutW)), ins.Scale, 0.0);
    }

    /// <summary>x ← c²·Σ_{d, d′} x(p·s + d, p′·s + d′): four single-axis window sums over [h][h′][w][w′].</summary>
    private static void PoolFull(SpatialInstruction ins, Span<double> x, double[] tmp)
    {
        var ah = ins.AxisH!;
        var aw = ins.AxisW!;
        int h = ins.InH, w = ins.InW, ho = ah.OutLength, wo = aw.OutLength;
        SpatialOps.AxisPass(x, tmp, 1, ah, h * w * w);
        SpatialOps.AxisPass(tmp, x, ho, ah, w * w);
        SpatialOps.AxisPass(x, tmp, ho * ho, aw, w);
        SpatialOps.AxisPass(tmp, x, ho * ho * wo, aw, 1);
        SpatialOps.Affine(x[..(ho * ho * wo * wo)], ins.Scale, 0.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Sum(ReadOnlySpan<double> x)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < x.Length; i += 4)
        {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < x.Length; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Σ_p K(p, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double DiagonalSum(double[] x, int h, int w)
    {
        if (Layout == SpatialLayout.Diagonal) return Sum(x.AsSpan(0, h * w));
        double s = 0;
        for (int a = 0; a < h; a++)
        {
            for (int u = 0; u < w; u++) s += x[((a * h + a) * w + u) * w + u];
        }
        return s;
    }

    /// <summary>Dropout in the self pass: x(p, p) ← factor·x(p, p) for every position p of block 0 (the same unit; the
    /// other blocks of a group signal pair different group elements).</summary>
    private void ScaleDiagonal(double[] x, int h, int w, double factor)
    {
        if (Layout == SpatialLayout.Diagonal)
        {
            for (int p = 0; p < h * w; p++) x[p] *= factor;
            return;
        }
        for (int a = 0; a < h; a++)
        {
            for (int u = 0; u < w; u++) x[((a * h + a) * w + u) * w + u] *= factor;
        }
    }

    /// <summary>The nonlinearity's dual on every entry, with variances K(x1, x1)(p, p) and K(x2, x2)(p′, p′).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Activate(SpatialInstruction ins, SpatialWorkspace ws, Span<double> k, Span<double> t,
        ReadOnlySpan<double> var1, ReadOnlySpan<double> var2, Span<double> record)
    {
        int h = ins.InH, w = ins.InW, p = h * w, off = ins.SlotOffset;
        if (!record.IsEmpty)
        {
            var rec = record.Slice(off, p);
            if (Layout == SpatialLayout.Diagonal) k[..p].CopyTo(rec);
            else
            {
                for (int a = 0; a < h; a++)
                {
                    for (int u = 0; u < w; u++) rec[a * w + u] = k[((a * h + a) * w + u) * w + u];
                }
            }
        }
        var v1 = var1.Slice(off, p);
        var v2 = var2.Slice(off, p);
        if (Layout == SpatialLayout.Diagonal)
        {
            ins.Family!.Run(ins.Activation, v1, v2, k[..p], t.IsEmpty ? default : t[..p]);
            return;
        }
        // Full layout [h][h′][w][w′]: plane (a, b) holds the pairs ((a, u), (b, v)); its variances are v1(a, u) broadcast
        // along v and v2(b, v) repeated along u. Whole planes go through the pair form (no short runs, no scalar tails).
        if (w == 1)
        {
            for (int a = 0; a < h; a++)
                ins.Family!.Run(ins.Activation, v2, v1[a], k.Slice(a * h, h), t.IsEmpty ? default : t.Slice(a * h, h));
            return;
        }
        int plane = w * w;
        var c11 = ws.Var1Plane.AsSpan(0, plane);
        var c22 = ws.Var2Planes.AsSpan(0, h * plane);
        for (int b = 0; b < h; b++)
        {
            for (int u = 0; u < w; u++) v2.Slice(b * w, w).CopyTo(c22.Slice(b * plane + u * w, w));
        }
        for (int a = 0; a < h; a++)
        {
            for (int u = 0; u < w; u++) c11.Slice(u * w, w).Fill(v1[a * w + u]);
            for (int b = 0; b < h; b++)
            {
                int start = (a * h + b) * plane;
                ins.Family!.Run(ins.Activation, c11, c22.Slice(b * plane, plane), k.Slice(start, plane),
                    t.IsEmpty ? default : t.Slice(start, plane));
            }
        }
    }
}
