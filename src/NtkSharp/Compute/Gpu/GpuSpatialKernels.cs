using ILGPU;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// Device kernels of the spatial (convolutional) programs: one thread runs the whole <see cref="SpatialProgram"/> on
/// one pair of examples, with its register tensors in a slice of a device workspace — the same steps, in the same
/// order, as <see cref="SpatialProgram.Run"/> on the CPU: input covariance, affine and convolution window sums (per
/// axis, through the window index maps of <see cref="AxisWindow"/>), pooling, global pooling, Flatten, and the
/// nonlinearities through <see cref="DualActivations.Evaluate"/>.
/// </summary>
internal static class GpuSpatialKernels
{
    /// <summary>
    /// The pair of launch entry <paramref name="index"/>: in the self pass (<see cref="SpatialArgs.Self"/>) example
    /// Tile.I0 + e with itself, recording every nonlinearity's input diagonal into <paramref name="var1"/> and
    /// writing K(x, x), Θ(x, x) to <paramref name="nngp"/>/<paramref name="ntk"/>[e]; otherwise pair
    /// (I0 + e mod Rows, J0 + e div Rows) of the tile, written column-major into the tile buffers.
    /// </summary>
    public static void Pairs(Index1D index, ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps, SpatialArgs args,
        ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1, ArrayView<double> var2,
        ArrayView<double> ws, ArrayView<double> nngp, ArrayView<double> ntk)
    {
        int e = index;
        var tile = args.Tile;
        int i, j;
        if (args.Self != 0)
        {
            if (e >= tile.Rows) return;
            i = tile.I0 + e;
            j = i;
        }
        else
        {
            int il = e % tile.Rows, jl = e / tile.Rows;
            if (jl >= tile.Cols) return;
            i = tile.I0 + il;
            j = tile.J0 + jl;
            if (tile.UpperOnly != 0 && i > j) return;
        }
        int size = args.Full != 0 ? args.InH * args.InW * args.InH * args.InW : args.InH * args.InW;
        long exampleSize = (long)args.InH * args.InW * args.InC;
        long xa = i * exampleSize, xb = j * exampleSize;
        var xs2 = args.Self != 0 ? x1 : x2;
        long baseWs = (long)e * (2L * args.Registers + 1) * args.MaxSize;
        long tmp = baseWs + 2L * args.Registers * args.MaxSize;
        long k0 = baseWs, t0 = baseWs + (long)args.Registers * args.MaxSize;
        InputKernel(args, x1, xa, xs2, xb, ws, k0);
        for (int p = 0; p < size; p++) ws[t0 + p] = 0.0;
        long v1 = (long)i * args.Slots;
        long v2 = (long)j * args.Slots;
        var vs2 = args.Self != 0 ? var1 : var2;
        bool wantNtk = args.WantNtk != 0;
        for (int pc = 0; pc < code.IntLength; pc++)
        {
            var ins = code[pc];
            long k = baseWs + (long)ins.Reg * args.MaxSize;
            long t = baseWs + (long)(args.Registers + ins.Reg) * args.MaxSize;
            int inSize = args.Full != 0 ? ins.InH * ins.InW * ins.InH * ins.InW : ins.InH * ins.InW;
            int outSize = args.Full != 0 ? ins.OutH * ins.OutW * ins.OutH * ins.OutW : ins.OutH * ins.OutW;
            switch (ins.Op)
            {
                case SpatialOpCode.Affine:
                    AffineUpdate(ins, ws, k, t, inSize, wantNtk);
                    break;
                case SpatialOpCode.Conv:
                    Window(args, ins, maps, ws, k, tmp);
                    if (wantNtk) Window(args, ins, maps, ws, t, tmp);
                    AffineUpdate(ins, ws, k, t, outSize, wantNtk);
                    break;
                case SpatialOpCode.Pool:
                    PoolFull(ins, maps, ws, k, tmp);
                    if (wantNtk) PoolFull(ins, maps, ws, t, tmp);
                    break;
                case SpatialOpCode.GlobalPool:
                    ws[k] = ins.Scale * Sum(ws, k, inSize);
                    if (wantNtk) ws[t] = ins.Scale * Sum(ws, t, inSize);
                    break;
                case SpatialOpCode.Flatten:
                    ws[k] = ins.Scale * DiagonalSum(args, ws, k, ins.InH, ins.InW);
                    if (wantNtk) ws[t] = ins.Scale * DiagonalSum(args, ws, t, ins.InH, ins.InW);
                    break;
                case SpatialOpCode.Activation:
                    Activate(args, ins, ws, k, t, wantNtk, var1, v1, vs2, v2);
                    break;
                case SpatialOpCode.Copy:
                {
                    long ks = baseWs + (long)ins.Src * args.MaxSize, ts = baseWs + (long)(args.Registers + ins.Src) * args.MaxSize;
                    for (int p = 0; p < inSize; p++) ws[k + p] = ws[ks + p];
                    if (wantNtk) for (int p = 0; p < inSize; p++) ws[t + p] = ws[ts + p];
                    break;
                }
                case SpatialOpCode.Add:
                {
                    long ks = baseWs + (long)ins.Src * args.MaxSize, ts = baseWs + (long)(args.Registers + ins.Src) * args.MaxSize;
                    for (int p = 0; p < inSize; p++) ws[k + p] += ws[ks + p];
                    if (wantNtk) for (int p = 0; p < inSize; p++) ws[t + p] += ws[ts + p];
                    break;
                }
            }
        }
        nngp[e] = ws[k0];
        if (wantNtk) ntk[e] = ws[t0];
    }

    /// <summary>K⁰(p, p′) = Σ_c x1(p, c)·x2(p′, c)/C in the program's layout.</summary>
    private static void InputKernel(SpatialArgs args, ArrayView<double> x1, long xa, ArrayView<double> x2, long xb,
        ArrayView<double> ws, long k)
    {
        int h = args.InH, w = args.InW, c = args.InC;
        double inv = 1.0 / c;
        if (args.Full == 0)
        {
            for (int p = 0; p < h * w; p++) ws[k + p] = inv * Dot(x1, xa + (long)p * c, x2, xb + (long)p * c, c);
            return;
        }
        for (int a = 0; a < h; a++)
        {
            for (int b = 0; b < h; b++)
            {
                for (int u = 0; u < w; u++)
                {
                    long row = k + (long)((a * h + b) * w + u) * w;
                    long xu = xa + (long)(a * w + u) * c;
                    for (int v = 0; v < w; v++)
                    {
                        long xv = xb + (long)(b * w + v) * c;
                        ws[row + v] = c == 1 ? x2[xv] * x1[xu] : inv * Dot(x1, xu, x2, xv, c);
                    }
                }
            }
        }
    }

    private static double Dot(ArrayView<double> a, long ia, ArrayView<double> b, long ib, int n)
    {
        double s = 0.0;
        for (int q = 0; q < n; q++) s += a[ia + q] * b[ib + q];
        return s;
    }

    /// <summary>K ← σ_w²K + σ_b²; Θ ← a·K + b·Θ + c (NTK: a = b = σ_w², c = σ_b²; standard: a = fan-in, b = σ_w²,
    /// c = [bias]), as <c>SpatialOps.Combine</c> then <c>SpatialOps.Affine</c>.</summary>
    private static void AffineUpdate(SpatialDeviceInstruction ins, ArrayView<double> ws, long k, long t, int n, bool wantNtk)
    {
        bool standard = ins.Parameterization == Layers.Parameterization.Standard;
        double a = standard ? ins.FanIn : ins.W2, c = standard ? ins.BiasNtk : ins.B2;
        for (int p = 0; p < n; p++)
        {
            double kv = ws[k + p];
            if (wantNtk) ws[t + p] = kv * a + ws[t + p] * ins.W2 + c;
            ws[k + p] = kv * ins.W2 + ins.B2;
        }
    }

    /// <summary>The normalised convolution window sum (separable over H and W), then × Scale.</summary>
    private static void Window(SpatialArgs args, SpatialDeviceInstruction ins, ArrayView<int> maps, ArrayView<double> ws,
        long x, long tmp)
    {
        if (args.Full != 0)
        {
            PairPass(ws, x, tmp, 1, maps, ins.HMap, ins.HTaps, ins.HIn, ins.HOut, ins.InW * ins.InW);
            PairPass(ws, tmp, x, ins.HOut * ins.HOut, maps, ins.WMap, ins.WTaps, ins.WIn, ins.WOut, 1);
        }
        else
        {
            AxisPass(ws, x, tmp, 1, maps, ins.HMap, ins.HTaps, ins.HIn, ins.HOut, ins.InW);
            AxisPass(ws, tmp, x, ins.HOut, maps, ins.WMap, ins.WTaps, ins.WIn, ins.WOut, 1);
        }
        int outSize = args.Full != 0 ? ins.OutH * ins.OutW * ins.OutH * ins.OutW : ins.OutH * ins.OutW;
        for (int p = 0; p < outSize; p++) ws[x + p] = ins.Scale * ws[x + p] + 0.0;
    }

    /// <summary>Pooling in the full layout: four single-axis window sums over [h][h′][w][w′], then × Scale.</summary>
    private static void PoolFull(SpatialDeviceInstruction ins, ArrayView<int> maps, ArrayView<double> ws, long x, long tmp)
    {
        int h = ins.InH, w = ins.InW, ho = ins.HOut, wo = ins.WOut;
        AxisPass(ws, x, tmp, 1, maps, ins.HMap, ins.HTaps, ins.HIn, ho, h * w * w);
        AxisPass(ws, tmp, x, ho, maps, ins.HMap, ins.HTaps, ins.HIn, ho, w * w);
        AxisPass(ws, x, tmp, ho * ho, maps, ins.WMap, ins.WTaps, ins.WIn, wo, w);
        AxisPass(ws, tmp, x, ho * ho * wo, maps, ins.WMap, ins.WTaps, ins.WIn, wo, 1);
        int n = ho * ho * wo * wo;
        for (int p = 0; p < n; p++) ws[x + p] = ins.Scale * ws[x + p] + 0.0;
    }

    /// <summary>dst[o][x][i] = Σ_d src[o][Source(x, d)][i] (taps in order, as <c>SpatialOps.AxisPass</c>).</summary>
    private static void AxisPass(ArrayView<double> ws, long src, long dst, int outer, ArrayView<int> maps, int map, int taps,
        int inLength, int outLength, int inner)
    {
        long inBlock = (long)inLength * inner, outBlock = (long)outLength * inner;
        for (int o = 0; o < outer; o++)
        {
            for (int x = 0; x < outLength; x++)
            {
                for (int q = 0; q < inner; q++)
                {
                    double s = 0.0;
                    for (int d = 0; d < taps; d++)
                    {
                        int r = maps[map + x * taps + d];
                        if (r >= 0) s += ws[src + o * inBlock + (long)r * inner + q];
                    }
                    ws[dst + o * outBlock + (long)x * inner + q] = s;
                }
            }
        }
    }

    /// <summary>dst[o][a][a′][i] = Σ_d src[o][Source(a, d)][Source(a′, d)][i] (as <c>SpatialOps.PairPass</c>).</summary>
    private static void PairPass(ArrayView<double> ws, long src, long dst, int outer, ArrayView<int> maps, int map, int taps,
        int inLength, int outLength, int inner)
    {
        long inRow = (long)inLength * inner, outRow = (long)outLength * inner;
        long inBlock = inLength * inRow, outBlock = outLength * outRow;
        for (int o = 0; o < outer; o++)
        {
            for (int a = 0; a < outLength; a++)
            {
                for (int a2 = 0; a2 < outLength; a2++)
                {
                    for (int q = 0; q < inner; q++)
                    {
                        double s = 0.0;
                        for (int d = 0; d < taps; d++)
                        {
                            int r = maps[map + a * taps + d], r2 = maps[map + a2 * taps + d];
                            if (r >= 0 && r2 >= 0) s += ws[src + o * inBlock + r * inRow + (long)r2 * inner + q];
                        }
                        ws[dst + o * outBlock + a * outRow + (long)a2 * inner + q] = s;
                    }
                }
            }
        }
    }

    /// <summary>Σ x with four interleaved accumulators, as the CPU's <c>Sum</c>.</summary>
    private static double Sum(ArrayView<double> ws, long x, int n)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int q = 0;
        for (; q + 3 < n; q += 4)
        {
            s0 += ws[x + q];
            s1 += ws[x + q + 1];
            s2 += ws[x + q + 2];
            s3 += ws[x + q + 3];
        }
        for (; q < n; q++) s0 += ws[x + q];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Σ_p K(p, p).</summary>
    private static double DiagonalSum(SpatialArgs args, ArrayView<double> ws, long x, int h, int w)
    {
        if (args.Full == 0) return Sum(ws, x, h * w);
        double s = 0;
        for (int a = 0; a < h; a++)
        {
            for (int u = 0; u < w; u++) s += ws[x + ((a * h + a) * w + u) * w + u];
        }
        return s;
    }

    /// <summary>The dual per entry with variances K(x1, x1)(p, p) and K(x2, x2)(p′, p′); the self pass first records
    /// the input diagonal.</summary>
    private static void Activate(SpatialArgs args, SpatialDeviceInstruction ins, ArrayView<double> ws, long k, long t,
        bool wantNtk, ArrayView<double> var1, long v1, ArrayView<double> var2, long v2)
    {
        int h = ins.InH, w = ins.InW, off = ins.SlotOffset;
        if (args.Self != 0)
        {
            for (int a = 0; a < h; a++)
            {
                for (int u = 0; u < w; u++)
                {
                    long at = args.Full == 0 ? a * w + u : ((a * h + a) * w + u) * w + u;
                    var1[v1 + off + a * w + u] = ws[k + at];
                }
            }
        }
        if (args.Full == 0)
        {
            for (int p = 0; p < h * w; p++)
                Update(ins, ws, k + p, t + p, wantNtk, var1[v1 + off + p], var2[v2 + off + p]);
            return;
        }
        for (int a = 0; a < h; a++)
        {
            for (int b = 0; b < h; b++)
            {
                for (int u = 0; u < w; u++)
                {
                    double c11 = var1[v1 + off + a * w + u];
                    long start = ((a * h + b) * w + u) * w;
                    for (int v = 0; v < w; v++) Update(ins, ws, k + start + v, t + start + v, wantNtk, c11, var2[v2 + off + b * w + v]);
                }
            }
        }
    }

    private static void Update(SpatialDeviceInstruction ins, ArrayView<double> ws, long k, long t, bool wantNtk, double c11, double c22)
    {
        DualActivations.Evaluate(ins.Kind, ins.A, ins.B, c11, ws[k], c22, out double tv, out double td);
        ws[k] = tv;
        if (wantNtk) ws[t] *= td;
    }
}
