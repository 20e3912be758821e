using ILGPU;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// Device kernels of the spatial (convolutional) programs. Both run the same interpreter of the flattened
/// <see cref="SpatialProgram"/> — the same steps, in the same order, with the same per-entry arithmetic as
/// <see cref="SpatialProgram.Run"/> on the CPU: input covariance, affine and convolution window sums (per axis, through
/// the window index maps of <see cref="AxisWindow"/>), pooling, global pooling, Flatten, Dropout, and the nonlinearities through
/// <see cref="DeviceActivations.Dual"/>. They differ in who works on a pair (<see cref="ISpatialLanes"/>):
/// <list type="bullet">
/// <item><see cref="Threads{T, TStorage}"/>: one thread per pair with an interleaved workspace (element q of launch entry e at
/// q·Stride + e), so that the threads of a warp, which hold consecutive pairs, touch consecutive addresses. For the
/// diagonal layout (O(P) doubles per pair), where very many pairs fit at once.</item>
/// <item><see cref="Groups{T, TStorage}"/>: one thread group per pair with a contiguous workspace slice; every loop over a tensor's
/// entries is strided across the group's threads (consecutive threads, consecutive entries), dependent passes are
/// separated by group barriers, and sums are shared-memory tree reductions. For the full layout (O(P²) doubles per
/// pair), where only a few thousand pairs fit.</item>
/// </list>
/// Both are generic over the storage format of the workspace tensors (<see cref="ITileStorage{T}"/>, as the tile kernels
/// of <see cref="GpuKernels"/>): the interpreter reads and writes them through <see cref="ISpatialWorkspace"/>, which
/// widens every load to double and rounds every store to the format, so all arithmetic is double precision; inputs,
/// recorded variances and per-pair results are double in both instances. With <see cref="Float64Storage"/> the only
/// arithmetic that differs from the CPU is the summation order of the reductions (global pooling and Flatten) in the
/// group kernel; with <see cref="Float32Storage"/> every stored pass also rounds once to float.
/// </summary>
internal static class GpuSpatialKernels
{
    /// <summary>The most threads a group of <see cref="Groups{T, TStorage}"/> may have (its shared reduction buffer).</summary>
    public const int MaxGroupSize = 256;

    // Store modes of the last window pass of a step (the affine modes fuse the update of the following affine map).
    private const int Plain = 0, Scaled = 1, AffineOfK = 2, AffineOfTheta = 3;

    /// <summary>One thread per pair: launch entry <paramref name="index"/> computes pair <see cref="SpatialArgs.First"/> +
    /// index (see <see cref="SpatialPairMode"/>) with its tensors interleaved in <paramref name="ws"/>, and writes K and Θ
    /// to <paramref name="nngp"/>/<paramref name="ntk"/>[index].</summary>
    public static void Threads<T, TStorage>(Index1D index, ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps,
        SpatialArgs args, ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1, ArrayView<double> var2,
        ArrayView<T> ws, ArrayView<double> nngp, ArrayView<double> ntk, ArrayView<double> coeff1, ArrayView<double> coeff2)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        int e = index;
        if (e >= args.Count) return;
        Run(new SpatialWorkspace<T, TStorage, ThreadLanes>(ws, new ThreadLanes(e, args.Stride)), e, code, maps, args, x1, x2,
            var1, var2, nngp, ntk, coeff1, coeff2);
    }

    /// <summary>One thread group per pair (explicitly grouped, any group size up to <see cref="MaxGroupSize"/>): group g
    /// computes pair <see cref="SpatialArgs.First"/> + g in its workspace slice g·Stride …, and writes K and Θ to
    /// <paramref name="nngp"/>/<paramref name="ntk"/>[g].</summary>
    public static void Groups<T, TStorage>(ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps, SpatialArgs args,
        ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1, ArrayView<double> var2,
        ArrayView<T> ws, ArrayView<double> nngp, ArrayView<double> ntk, ArrayView<double> coeff1, ArrayView<double> coeff2)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        var shared = SharedMemory.Allocate<double>(MaxGroupSize);
        int g = Grid.IdxX;
        if (g >= args.Count) return; // uniform across the group: no barrier is left waiting
        Run(new SpatialWorkspace<T, TStorage, GroupLanes>(ws, new GroupLanes(shared, g * args.Stride)), g, code, maps, args, x1, x2,
            var1, var2, nngp, ntk, coeff1, coeff2);
    }

    /// <summary>The pair (i, j) of linear pair index <paramref name="l"/> (also used by the host to place results).</summary>
    public static void PairOf(SpatialPairMode mode, int n1, long l, out int i, out int j)
    {
        if (mode == SpatialPairMode.Self)
        {
            i = (int)l;
            j = i;
        }
        else if (mode == SpatialPairMode.Rectangular)
        {
            j = (int)(l / n1);
            i = (int)(l - (long)j * n1);
        }
        else
        {
            // Column j starts at j(j − 1)/2; the square root is exact enough to need at most one correction each way.
            long c = (long)((1.0 + Math.Sqrt(1.0 + 8.0 * l)) * 0.5);
            while (c * (c - 1) / 2 > l) c--;
            while ((c + 1) * c / 2 <= l) c++;
            j = (int)c;
            i = (int)(l - c * (c - 1) / 2);
        }
    }

    private static void Run<TWs>(TWs ws, int e, ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps,
        SpatialArgs args, ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1, ArrayView<double> var2,
        ArrayView<double> nngp, ArrayView<double> ntk, ArrayView<double> coeff1, ArrayView<double> coeff2)
        where TWs : struct, ISpatialWorkspace
    {
        PairOf(args.Mode, args.N1, args.First + e, out int i, out int j);
        long exampleSize = (long)args.InH * args.InW * args.InC;
        long registerSize = args.MaxSize;
        long tmp = 2L * args.Registers * registerSize;
        long theta0 = args.Registers * registerSize;
        bool wantNtk = args.WantNtk != 0;
        InputKernel(ws, args, x1, i * exampleSize, x2, j * exampleSize);
        int size = Size(args, args.InH, args.InW);
        for (int p = ws.Lane; p < size; p += ws.Count) ws[theta0 + p] = 0.0;
        ws.Sync();
        long v1 = (long)i * args.Slots, v2 = (long)j * args.Slots;
        for (int pc = 0; pc < code.IntLength; pc++)
        {
            var ins = code[pc];
            long k = ins.Reg * registerSize;
            long t = (args.Registers + ins.Reg) * registerSize;
            int inSize = Size(args, ins.InH, ins.InW) * ins.InBlocks;
            bool thetaMaps = wantNtk && ins.ThetaZero == 0;
            switch (ins.Op)
            {
                case SpatialOpCode.Affine:
                    for (int p = ws.Lane; p < inSize; p += ws.Count)
                        AffineEntry(ws, ins, k + p, t + p, ws[k + p], wantNtk ? ws[t + p] : 0.0, wantNtk);
                    ws.Sync();
                    break;
                case SpatialOpCode.Conv:
                    // K's window sum, then Θ's; the last pass of the two also applies the affine map to every entry.
                    Window(ws, args, ins, maps, k, tmp, thetaMaps ? Scaled : AffineOfK, k, t, wantNtk);
                    if (thetaMaps) Window(ws, args, ins, maps, t, tmp, AffineOfTheta, k, t, wantNtk);
                    break;
                case SpatialOpCode.Pool:
                    Pool(ws, ins, maps, k, tmp);
                    if (thetaMaps) Pool(ws, ins, maps, t, tmp);
                    break;
                case SpatialOpCode.GlobalPool:
                    Reduce(ws, k, ins.Scale * ws.Reduce(PartialSum(ws, k, inSize, 0, 0, 0)));
                    if (wantNtk) Reduce(ws, t, ins.Scale * ws.Reduce(PartialSum(ws, t, inSize, 0, 0, 0)));
                    break;
                case SpatialOpCode.Flatten:
                {
                    // Σ_p K(p, p): contiguous in the diagonal layout, entry ((a·h + a)·w + u)·w + u in the full one.
                    int h = ins.InH, w = ins.InW, rowStep = args.Full != 0 ? (h + 1) * w * w : w, colStep = args.Full != 0 ? w + 1 : 1;
                    Reduce(ws, k, ins.Scale * ws.Reduce(PartialSum(ws, k, h * w, w, rowStep, colStep)));
                    if (wantNtk) Reduce(ws, t, ins.Scale * ws.Reduce(PartialSum(ws, t, h * w, w, rowStep, colStep)));
                    break;
                }
                case SpatialOpCode.Activation:
                    Activate(ws, args, ins, k, t, wantNtk, var1, v1, var2, v2, new PairRecords(coeff1, i, coeff2, j));
                    break;
                case SpatialOpCode.LayerNorm:
                    Normalize(ws, args, ins, k, t, wantNtk, var1, v1, var2, v2);
                    break;
                case SpatialOpCode.Lift:
                case SpatialOpCode.GroupConv:
                {
                    // Window sums of every block into tmp, then stored back (× Scale, affine) as a convolution's.
                    int outSize = Size(args, ins.OutH, ins.OutW) * ins.OutBlocks;
                    if (wantNtk && ins.ThetaZero != 0)
                    {
                        for (int p = ws.Lane; p < outSize; p += ws.Count) ws[t + p] = 0.0;
                        ws.Sync();
                    }
                    GroupWindow(ws, ins, maps, k, tmp);
                    for (int p = ws.Lane; p < outSize; p += ws.Count) Store(ws, ins, thetaMaps ? Scaled : AffineOfK, k, k, t, p, ws[tmp + p], wantNtk);
                    ws.Sync();
                    if (!thetaMaps) break;
                    GroupWindow(ws, ins, maps, t, tmp);
                    for (int p = ws.Lane; p < outSize; p += ws.Count) Store(ws, ins, AffineOfTheta, t, k, t, p, ws[tmp + p], wantNtk);
                    ws.Sync();
                    break;
                }
                case SpatialOpCode.GroupPool:
                    GroupMean(ws, args, ins, k);
                    if (wantNtk) GroupMean(ws, args, ins, t);
                    break;
                case SpatialOpCode.Dropout:
                {
                    // The self pass only: K(p, p) and Θ(p, p) of block 0 times 1/rate (as SpatialProgram.Run).
                    if (args.Mode != SpatialPairMode.Self) break;
                    int h = ins.InH, w = ins.InW;
                    for (int p = ws.Lane; p < h * w; p += ws.Count)
                    {
                        int a = p / w, u = p - a * w;
                        long at = args.Full != 0 ? ((long)(a * h + a) * w + u) * w + u : p;
                        ws[k + at] = ws[k + at] * ins.Scale;
                        if (wantNtk) ws[t + at] = ws[t + at] * ins.Scale;
                    }
                    ws.Sync();
                    break;
                }
                case SpatialOpCode.Copy:
                case SpatialOpCode.Add:
                {
                    long ks = ins.Src * registerSize, ts = (args.Registers + ins.Src) * registerSize;
                    bool add = ins.Op == SpatialOpCode.Add;
                    for (int p = ws.Lane; p < inSize; p += ws.Count)
                    {
                        long kp = k + p, tp = t + p;
                        ws[kp] = add ? ws[kp] + ws[ks + p] : ws[ks + p];
                        if (wantNtk) ws[tp] = add ? ws[tp] + ws[ts + p] : ws[ts + p];
                    }
                    ws.Sync();
                    break;
                }
            }
        }
        if (ws.Lane != 0) return;
        nngp[e] = ws[0];
        if (wantNtk) ntk[e] = ws[theta0];
    }

    private static int Size(SpatialArgs args, int h, int w) => args.Full != 0 ? h * w * h * w : h * w;

    /// <summary>K⁰(p, p′) = Σ_c x1(p, c)·x2(p′, c)/C in the program's layout, into register 0.</summary>
    private static void InputKernel<TWs>(TWs ws, SpatialArgs args, ArrayView<double> x1, long xa,
        ArrayView<double> x2, long xb)
        where TWs : struct, ISpatialWorkspace
    {
        int h = args.InH, w = args.InW, c = args.InC;
        double inv = 1.0 / c;
        int size = Size(args, h, w);
        for (int p = ws.Lane; p < size; p += ws.Count)
        {
            var (first, second) = Positions(args.Full != 0, p, h, w);
            long xu = xa + (long)first * c, xv = xb + (long)second * c;
            ws[p] = c == 1 ? x2[xv] * x1[xu] : inv * Dot(x1, xu, x2, xv, c);
        }
    }

    private static double Dot(ArrayView<double> a, long ia, ArrayView<double> b, long ib, int n)
    {
        double s = 0.0;
        for (int q = 0; q < n; q++) s += a[ia + q] * b[ib + q];
        return s;
    }

    /// <summary>One entry of an affine step, as <c>SpatialOps.Combine</c> then <c>SpatialOps.Affine</c> on the CPU:
    /// Θ ← a·K + σ_w²·Θ + c (NTK: a = σ_w², c = σ_b²; standard: a = fan-in, c = [bias]), then K ← σ_w²·K + σ_b², from the
    /// (window-summed) values <paramref name="kv"/> and <paramref name="tv"/>.</summary>
    private static void AffineEntry<TWs>(TWs ws, SpatialDeviceInstruction ins, long k, long t,
        double kv, double tv, bool wantNtk)
        where TWs : struct, ISpatialWorkspace
    {
        if (wantNtk)
        {
            var (a, b, c) = SpatialOps.ThetaAffine(ins.Parameterization == Layers.Parameterization.Standard, ins.FanIn, ins.W2, ins.B2, ins.BiasNtk);
            ws[t] = a * kv + b * tv + c;
        }
        ws[k] = kv * ins.W2 + ins.B2;
    }

    /// <summary>Writes the window sum <paramref name="s"/> of output entry <paramref name="p"/> of a pass:
    /// as is (<see cref="Plain"/>); × Scale (<see cref="Scaled"/>, <c>SpatialOps.Affine(x, Scale, 0)</c> on the CPU); or
    /// × Scale and then the step's affine update with this value as the window-summed K (<see cref="AffineOfK"/>) or Θ
    /// (<see cref="AffineOfTheta"/>).</summary>
    private static void Store<TWs>(TWs ws, SpatialDeviceInstruction ins, int mode, long dst,
        long k, long t, int p, double s, bool wantNtk)
        where TWs : struct, ISpatialWorkspace
    {
        if (mode == Plain)
        {
            ws[dst + p] = s;
            return;
        }
        double scaled = ins.Scale * s + 0.0;
        if (mode == Scaled) ws[dst + p] = scaled;
        else if (mode == AffineOfK) AffineEntry(ws, ins, k + p, t + p, scaled, wantNtk ? ws[t + p] : 0.0, wantNtk);
        else AffineEntry(ws, ins, k + p, t + p, ws[k + p], scaled, true);
    }

    /// <summary>The normalised convolution window sum of tensor <paramref name="x"/> (separable over H and W, through
    /// <paramref name="tmp"/>), stored back into <paramref name="x"/> by <paramref name="mode"/>.</summary>
    private static void Window<TWs>(TWs ws, SpatialArgs args, SpatialDeviceInstruction ins, ArrayView<int> maps,
        long x, long tmp, int mode, long k, long t, bool wantNtk)
        where TWs : struct, ISpatialWorkspace
    {
        if (args.Full != 0)
        {
            PairPass(ws, ins, x, tmp, 1, maps, ins.HMap, ins.HTaps, ins.HIn, ins.HOut, ins.InW * ins.InW, Plain, k, t, wantNtk);
            PairPass(ws, ins, tmp, x, ins.HOut * ins.HOut, maps, ins.WMap, ins.WTaps, ins.WIn, ins.WOut, 1, mode, k, t, wantNtk);
        }
        else
        {
            AxisPass(ws, ins, x, tmp, 1, maps, ins.HMap, ins.HTaps, ins.HIn, ins.HOut, ins.InW, Plain, k, t, wantNtk);
            AxisPass(ws, ins, tmp, x, ins.HOut, maps, ins.WMap, ins.WTaps, ins.WIn, ins.WOut, 1, mode, k, t, wantNtk);
        }
    }

    /// <summary>Pooling in the full layout: four single-axis window sums over [h][h′][w][w′], the last × Scale.</summary>
    private static void Pool<TWs>(TWs ws, SpatialDeviceInstruction ins, ArrayView<int> maps,
        long x, long tmp)
        where TWs : struct, ISpatialWorkspace
    {
        int h = ins.InH, w = ins.InW, ho = ins.HOut, wo = ins.WOut;
        AxisPass(ws, ins, x, tmp, 1, maps, ins.HMap, ins.HTaps, ins.HIn, ho, h * w * w, Plain, 0, 0, false);
        AxisPass(ws, ins, tmp, x, ho, maps, ins.HMap, ins.HTaps, ins.HIn, ho, w * w, Plain, 0, 0, false);
        AxisPass(ws, ins, x, tmp, ho * ho, maps, ins.WMap, ins.WTaps, ins.WIn, wo, w, Plain, 0, 0, false);
        AxisPass(ws, ins, tmp, x, ho * ho * wo, maps, ins.WMap, ins.WTaps, ins.WIn, wo, 1, Scaled, 0, 0, false);
    }

    /// <summary>dst[o][x][i] = Σ_d src[o][Source(x, d)][i] (taps in order, as <c>SpatialOps.AxisPass</c>), then a barrier.</summary>
    private static void AxisPass<TWs>(TWs ws, SpatialDeviceInstruction ins, long src, long dst,
        int outer, ArrayView<int> maps, int map, int taps, int inLength, int outLength, int inner, int mode, long k, long t, bool wantNtk)
        where TWs : struct, ISpatialWorkspace
    {
        int inBlock = inLength * inner, outBlock = outLength * inner, total = outer * outBlock;
        for (int p = ws.Lane; p < total; p += ws.Count)
        {
            int o = p / outBlock, rest = p - o * outBlock;
            int x = rest / inner, q = rest - x * inner;
            long from = src + (long)o * inBlock + q;
            double s = 0.0;
            for (int d = 0; d < taps; d++)
            {
                int r = maps[map + x * taps + d];
                if (r >= 0) s += ws[from + (long)r * inner];
            }
            Store(ws, ins, mode, dst, k, t, p, s, wantNtk);
        }
        ws.Sync();
    }

    /// <summary>dst[o][a][a′][i] = Σ_d src[o][Source(a, d)][Source(a′, d)][i] (as <c>SpatialOps.PairPass</c>), then a barrier.</summary>
    private static void PairPass<TWs>(TWs ws, SpatialDeviceInstruction ins, long src, long dst,
        int outer, ArrayView<int> maps, int map, int taps, int inLength, int outLength, int inner, int mode, long k, long t, bool wantNtk)
        where TWs : struct, ISpatialWorkspace
    {
        int inRow = inLength * inner, outRow = outLength * inner;
        int inBlock = inLength * inRow, outBlock = outLength * outRow, total = outer * outBlock;
        for (int p = ws.Lane; p < total; p += ws.Count)
        {
            int o = p / outBlock, rest = p - o * outBlock;
            int a = rest / outRow;
            rest -= a * outRow;
            int a2 = rest / inner, q = rest - a2 * inner;
            long from = src + (long)o * inBlock + q;
            double s = 0.0;
            for (int d = 0; d < taps; d++)
            {
                int r = maps[map + a * taps + d], r2 = maps[map + a2 * taps + d];
                if (r >= 0 && r2 >= 0) s += ws[from + (long)r * inRow + (long)r2 * inner];
            }
            Store(ws, ins, mode, dst, k, t, p, s, wantNtk);
        }
        ws.Sync();
    }

    /// <summary>This lane's share of Σ_m x[offset(m)] over m = lane, lane + lanes, … &lt; <paramref name="n"/>, with
    /// offset(m) = (m div <paramref name="rowLength"/>)·<paramref name="rowStep"/> + (m mod rowLength)·<paramref name="colStep"/>
    /// (rowLength 0: offset(m) = m), in four interleaved accumulators (one lane: exactly the CPU's <c>Sum</c>).</summary>
    private static double PartialSum<TWs>(TWs ws, long x, int n, int rowLength, int rowStep, int colStep)
        where TWs : struct, ISpatialWorkspace
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int step = ws.Count, m = ws.Lane;
        for (; m + 3 * step < n; m += 4 * step)
        {
            s0 += ws[x + Offset(m, rowLength, rowStep, colStep)];
            s1 += ws[x + Offset(m + step, rowLength, rowStep, colStep)];
            s2 += ws[x + Offset(m + 2 * step, rowLength, rowStep, colStep)];
            s3 += ws[x + Offset(m + 3 * step, rowLength, rowStep, colStep)];
        }
        for (; m < n; m += step) s0 += ws[x + Offset(m, rowLength, rowStep, colStep)];
        return (s0 + s1) + (s2 + s3);
    }

    private static long Offset(int m, int rowLength, int rowStep, int colStep)
    {
        if (rowLength == 0) return m;
        int row = m / rowLength;
        return (long)row * rowStep + (long)(m - row * rowLength) * colStep;
    }

    /// <summary>Lane 0 writes a reduction's result to entry 0 of <paramref name="x"/>; then a barrier.</summary>
    private static void Reduce<TWs>(TWs ws, long x, double value)
        where TWs : struct, ISpatialWorkspace
    {
        if (ws.Lane == 0) ws[x] = value;
        ws.Sync();
    }

    /// <summary>The dual per entry with variances K(x1, x1)(p, p) and K(x2, x2)(p′, p′); the self pass first records
    /// the input diagonal (and waits for it: other lanes read it), and for a quadrature activation the coefficient record
    /// of every position's variance (and waits again). A quadrature activation's entries read the records of their two
    /// positions (<see cref="QuadratureSteps.Dual{TS1, TS2}"/>).</summary>
    private static void Activate<TWs>(TWs ws, SpatialArgs args, SpatialDeviceInstruction ins,
        long k, long t, bool wantNtk, ArrayView<double> var1, long v1, ArrayView<double> var2, long v2, PairRecords records)
        where TWs : struct, ISpatialWorkspace
    {
        int h = ins.InH, w = ins.InW, off = ins.SlotOffset;
        bool full = args.Full != 0;
        var quad = args.Quad;
        if (args.Mode == SpatialPairMode.Self)
        {
            for (int m = ws.Lane; m < h * w; m += ws.Count)
            {
                int a = m / w, u = m - a * w;
                long at = full ? ((long)(a * h + a) * w + u) * w + u : m;
                var1[v1 + off + m] = ws[k + at];
            }
            ws.Sync();
            if (ins.CoeffOffset >= 0)
            {
                for (int m = ws.Lane; m < h * w; m += ws.Count)
                {
                    QuadratureSteps.Prepare(ins.Activation, var1[v1 + off + m], quad.Degree, new ViewCoefficients(records.First),
                        quad.At(records.I, ins.CoeffOffset + m));
                }
                ws.Sync();
            }
        }
        int size = Size(args, h, w);
        for (int p = ws.Lane; p < size * ins.InBlocks; p += ws.Count)
        {
            // every block of a group signal has the same variances (those of the u = e block)
            var (first, second) = Positions(full, p % size, h, w);
            long kp = k + p;
            double tv, td;
            if (ins.CoeffOffset >= 0)
            {
                QuadratureSteps.Dual(ins.Activation, quad.Degree, new ViewCoefficients(records.First), quad.At(records.I, ins.CoeffOffset + first),
                    new ViewCoefficients(records.Second), quad.At(records.J, ins.CoeffOffset + second),
                    var1[v1 + off + first], ws[kp], var2[v2 + off + second], out tv, out td);
            }
            else
            {
                DeviceActivations.Dual(ins.Activation, var1[v1 + off + first], ws[kp], var2[v2 + off + second], out tv, out td);
            }
            ws[kp] = tv;
            if (wantNtk)
            {
                long tp = t + p;
                ws[tp] *= td;
            }
        }
        ws.Sync();
    }

    /// <summary>LayerNorm on every entry of every block: K ← (K − μ₁(p)μ₂(p′))/(s₁(p)s₂(p′)), Θ ← Θ/(s₁(p)s₂(p′)) with the
    /// means and scales recorded by the host self pass (P means, then P scales, per example).</summary>
    private static void Normalize<TWs>(TWs ws, SpatialArgs args, SpatialDeviceInstruction ins,
        long k, long t, bool wantNtk, ArrayView<double> var1, long v1, ArrayView<double> var2, long v2)
        where TWs : struct, ISpatialWorkspace
    {
        int h = ins.InH, w = ins.InW, positions = h * w;
        long m1 = v1 + ins.SlotOffset, m2 = v2 + ins.SlotOffset;
        bool full = args.Full != 0;
        int size = Size(args, h, w);
        for (int p = ws.Lane; p < size * ins.InBlocks; p += ws.Count)
        {
            var (first, second) = Positions(full, p % size, h, w);
            double kv = ws[k + p], tv = wantNtk ? ws[t + p] : 0.0;
            LayerNormMath.Normalize(ref kv, ref tv, var1[m1 + first], var1[m1 + positions + first], var2[m2 + second],
                var2[m2 + positions + second]);
            ws[k + p] = kv;
            if (wantNtk) ws[t + p] = tv;
        }
        ws.Sync();
    }

    /// <summary>tmp[u·S + q] = Σ_d x[block(u)][(a + d_h, a′ + (u·d)_h, b + d_w, b′ + (u·d)_w)] for entry
    /// q = ((a·h + a′)·w + b)·w + b′ of every output block u (block(u) = 0 when lifting), unscaled (as the CPU's
    /// <c>GroupSpatial.Window</c>, summed directly over the k² taps); then a barrier.</summary>
    private static void GroupWindow<TWs>(TWs ws, SpatialDeviceInstruction ins, ArrayView<int> maps, long x, long tmp)
        where TWs : struct, ISpatialWorkspace
    {
        int h = ins.InH, w = ins.InW, k = ins.HTaps, c = k / 2, size = h * h * w * w, total = size * ins.OutBlocks;
        for (int p = ws.Lane; p < total; p += ws.Count)
        {
            int u = p / size, q = p - u * size;
            int b2 = q % w, rest = q / w;
            int b = rest % w;
            rest /= w;
            int a2 = rest % h, a = rest / h;
            int m = ins.GroupMap + 4 * u;
            int u00 = maps[m], u10 = maps[m + 1], u01 = maps[m + 2], u11 = maps[m + 3];
            long from = x + (ins.Op == SpatialOpCode.Lift ? 0L : (long)u * size);
            double s = 0.0;
            for (int th = 0; th < k; th++)
            {
                int ra = maps[ins.HMap + a * k + th];
                if (ra < 0) continue;
                for (int tw = 0; tw < k; tw++)
                {
                    int dh = th - c, dw = tw - c;
                    int ra2 = maps[ins.HMap + a2 * k + u00 * dh + u01 * dw + c];
                    int rb = maps[ins.WMap + b * k + tw];
                    int rb2 = maps[ins.WMap + b2 * k + u10 * dh + u11 * dw + c];
                    if (ra2 >= 0 && rb >= 0 && rb2 >= 0) s += ws[from + ((long)(ra * h + ra2) * w + rb) * w + rb2];
                }
            }
            ws[tmp + p] = s;
        }
        ws.Sync();
    }

    /// <summary>GroupPool: x[q] ← Scale·Σ_u x[u·S + q] (each lane reads and writes only its own entries q).</summary>
    private static void GroupMean<TWs>(TWs ws, SpatialArgs args, SpatialDeviceInstruction ins, long x)
        where TWs : struct, ISpatialWorkspace
    {
        int size = Size(args, ins.InH, ins.InW);
        for (int q = ws.Lane; q < size; q += ws.Count)
        {
            double s = ws[x + q];
            for (int u = 1; u < ins.InBlocks; u++) s += ws[x + (long)u * size + q];
            ws[x + q] = ins.Scale * s;
        }
        ws.Sync();
    }

    /// <summary>The positions of x1 and x2 that entry <paramref name="p"/> pairs: itself twice in the diagonal layout; in
    /// the full layout p = ((a·h + b)·w + u)·w + v pairs position (a, u) of x1 with (b, v) of x2.</summary>
    private static (int First, int Second) Positions(bool full, int p, int h, int w)
    {
        if (!full) return (p, p);
        int v = p % w, rest = p / w;
        int u = rest % w;
        rest /= w;
        int b = rest % h, a = rest / h;
        return (a * w + u, b * w + v);
    }
}

/// <summary>The coefficient record buffers of a pair's two examples (<paramref name="I"/> in <paramref name="First"/>,
/// <paramref name="J"/> in <paramref name="Second"/>; the same buffer in the self pass).</summary>
internal readonly record struct PairRecords(ArrayView<double> First, int I, ArrayView<double> Second, int J);
