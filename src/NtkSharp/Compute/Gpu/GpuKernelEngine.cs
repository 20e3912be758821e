using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The device engine (ILGPU; CUDA or ILGPU's CPU accelerator). Fully-connected networks run as the CPU engine does —
/// a self pass for the per-slot variances, the scaled input Gram, and the fused per-entry program — but on the device
/// and tile by tile: the N1×N2 result is cut into square tiles whose device buffers (two sets, for the pipeline) fit
/// <see cref="KernelOptions.MemoryBudgetBytes"/>; each tile's Gram comes from cuBLAS <c>dgemm</c>/<c>sgemm</c> when
/// available (else a shared-memory tiled GEMM kernel), the whole depth is applied to each entry in registers by one
/// kernel launch, and the tile is copied into the managed result while the device computes the next tile. Without x2
/// only tiles on or above the diagonal are computed. <see cref="KernelOptions.Precision"/> picks the storage format
/// of the inputs and tiles (<see cref="ITileStorage{T}"/>); the self pass and the per-entry arithmetic are double
/// precision in both. Spatial inputs (images, signals) go to <see cref="GpuSpatialEngine"/>.
/// </summary>
internal sealed class GpuKernelEngine : IKernelEngine
{
    /// <summary>Device tile sets in flight: tile k+1 is computed while tile k is copied and scattered.</summary>
    internal const int PipelineDepth = 2;

    private readonly ComputeContext _context;

    /// <summary>Page-locked host staging arrays, [slot·2 + (0: K, 1: Θ)], kept between calls (see <see cref="Staging{T}"/>).</summary>
    private readonly IDisposable?[] _staging = new IDisposable?[2 * PipelineDepth];

    public GpuKernelEngine(ComputeContext context) => _context = context;

    /// <summary>Where the time of the last computation went (for the GPU runner's report).</summary>
    internal GpuPhaseTimes LastTimes { get; private set; } = new(0, 0, 0, 0, 0, 0, 0);

    public KernelResult Compute(KernelPlan plan, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        IProgress<KernelProgress>? progress, CancellationToken cancellationToken)
    {
        if (FcProgram.From(plan) is not { } program)
        {
            var spatial = SpatialProgram.From(plan);
            lock (_context.Gate) return GpuSpatialEngine.Compute(_context, spatial, x1, x2, outputs, options, progress, cancellationToken);
        }
        if (program.Registers > GpuKernels.MaxRegisters)
            throw new NotSupportedException($"{plan.Network.Name} needs {program.Registers} parallel branches at once; the GPU engine supports at most {GpuKernels.MaxRegisters}.");
        program.RequireDeviceBodies();
        // The quadrature activations' coefficient records (one per example and activation) come out of the tiles' budget.
        var quad = new QuadratureArgs(program.QuadratureSets, QuadratureMemory.Degree(program.Families));
        long budget = options.BudgetOr();
        if (quad.Sets > 0) budget -= QuadratureMemory.Reserve(quad, x1.Count + (x2?.Count ?? 0), budget,
                program.Paths.Where((_, pc) => program.Code[pc].Coeff >= 0));;
        lock (_context.Gate)
        {
            return options.Precision == KernelPrecision.Float32
                ? ComputeFullyConnected(k => k.Float32Tiles, program, quad, budget, x1, x2, outputs, options, progress, cancellationToken)
                : ComputeFullyConnected(k => k.Float64Tiles, program, quad, budget, x1, x2, outputs, options, progress, cancellationToken);
        }
    }

    /// <summary>The tile edge T: <see cref="PipelineDepth"/> sets of T×T buffers of <paramref name="bytesPerEntry"/>-byte
    /// entries (K and Θ; K alone without Θ) within the budget — float tiles have twice the area of double ones — a
    /// multiple of the GEMM group size, and balanced: the fewest tiles along max(N1, N2) that fit, all of (nearly)
    /// equal size. The square tiles of symmetric results; see <see cref="TileShape"/> for rectangular ones.</summary>
    internal static int TileEdge(long budgetBytes, bool wantNtk, int bytesPerEntry, int n1, int n2)
    {
        long edge = Math.Max(GroupSize, MaxEdge(budgetBytes, wantNtk, bytesPerEntry) / GroupSize * GroupSize);
        return Balanced(Math.Max(n1, n2), edge);
    }

    /// <summary>The tile shape (rows, columns): square (<see cref="TileEdge"/>) for symmetric results; for x1 × x2 each
    /// axis gets its own edge — a short axis is covered whole (rounded up to the GEMM group size) and the long one takes
    /// the rest of the budget — so that the device buffers, whose whole length every copy moves, are not mostly empty
    /// when one input set is small (e.g. 1,000 test × 20,000 training examples).</summary>
    internal static (int Rows, int Cols) TileShape(long budgetBytes, bool wantNtk, int bytesPerEntry, int n1, int n2, bool symmetric)
    {
        if (symmetric)
        {
            int e = TileEdge(budgetBytes, wantNtk, bytesPerEntry, n1, n2);
            return (e, e);
        }
        long square = Math.Max(GroupSize, MaxEdge(budgetBytes, wantNtk, bytesPerEntry) / GroupSize * GroupSize);
        long area = Math.Min(square * square, MaxEntries);
        long r = RoundUp(n1), c = RoundUp(n2);
        if (r * c <= area) return ((int)r, (int)c);
        if (r <= square) return ((int)r, Balanced(n2, Math.Max(GroupSize, area / r / GroupSize * GroupSize)));
        if (c <= square) return (Balanced(n1, Math.Max(GroupSize, area / c / GroupSize * GroupSize)), (int)c);
        return (Balanced(n1, square), Balanced(n2, square));
    }

    private const int GroupSize = GpuKernels.GramTileSize;

    /// <summary>Entries of one tile buffer at most: below 2³¹ (kernel index range, pinned staging array).</summary>
    private const long MaxEntries = 46_336L * 46_336L;

    /// <summary>The largest square edge whose <see cref="PipelineDepth"/> buffer sets fit the budget (at most 46,336).</summary>
    private static long MaxEdge(long budgetBytes, bool wantNtk, int bytesPerEntry)
    {
        long perEntry = PipelineDepth * (long)bytesPerEntry * (wantNtk ? 2L : 1L);
        long edge = (long)Math.Floor(Math.Sqrt(Math.Max(0, budgetBytes) / (double)perEntry));
        return Math.Min(edge, 46_336);
    }

    private static long RoundUp(long n) => (n + GroupSize - 1) / GroupSize * GroupSize;

    /// <summary>The fewest tiles of edge at most <paramref name="edge"/> along <paramref name="n"/>, all of (nearly) equal
    /// size, rounded up to the group size.</summary>
    private static int Balanced(long n, long edge)
    {
        long tiles = (n + edge - 1) / edge;
        long balanced = (n + tiles - 1) / tiles;
        return (int)Math.Min(edge, RoundUp(balanced));
    }

    /// <summary>
    /// The documented accuracy of <see cref="KernelPrecision.Float32"/> for a fully-connected network: the bound on
    /// max |Δ| / max |K| (K and Θ) against double precision, ((L + 1)·(2 + 2√d) + 1)·2⁻²⁴ for L dense layers on d
    /// features. The input Gram's error relative to √(K₁₁K₂₂) is 2u from rounding the inputs plus the float
    /// accumulation over d products (Higham and Mary's probabilistic bound λ√d·u, λ = 2); each layer's map is
    /// 1-Lipschitz relative to the diagonal scale away from correlation ±1 (Θ sums L such terms, hence L + 1); the
    /// final store rounds once more. It does not hold for pairs of (nearly) identical examples across x1 and x2 (see
    /// docs/gpu.md): there Θ is accurate to about √u per layer.
    /// </summary>
    internal static double Float32ErrorBound(Layer network, int d)
    {
        var program = FcProgram.TryCompile(network, d)
            ?? throw new ArgumentException($"{network.Name} is not a fully-connected network.", nameof(network));
        int depth = program.Code.Count(i => i.Op == FcOpCode.Affine);
        return ((depth + 1) * (2 + 2 * Math.Sqrt(d)) + 1) / (1 << 24);
    }

    // selectTiles picks the tile kernels of the storage format (compiled on first use, so timed as set-up); budget is the
    // tiles' share of the memory budget.
    private KernelResult ComputeFullyConnected<T, TStorage>(Func<GpuKernelSet, TileKernels<T, TStorage>> selectTiles,
        FcProgram program, QuadratureArgs quad, long budget, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        IProgress<KernelProgress>? progress, CancellationToken ct)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var accelerator = _context.Accelerator;
        var kernels = _context.Kernels;
        var tileKernels = selectTiles(kernels);
        double setup = clock.Elapsed.TotalSeconds;
        var blas = _context.DeviceGemm;
        int n1 = x1.Count, n2 = x2?.Count ?? n1, d = x1.ExampleSize, slots = program.Slots;
        bool sym = x2 is null;
        bool wantNtk = (outputs & KernelOutputs.Ntk) != 0;

        using var codeBuffer = accelerator.Allocate1D<FcInstruction>(Math.Max(1, program.Code.Length));
        if (program.Code.Length > 0) codeBuffer.View.SubView(0, program.Code.Length).CopyFromCPU(program.Code);
        var code = codeBuffer.View.SubView(0, program.Code.Length);

        var in1 = Prepare<T, TStorage>(kernels, accelerator, x1, code, program, quad, options.ParallelOptions(ct));
        using var x1Buffer = in1.X;
        using var var1Buffer = in1.Variances;
        using var coeff1Buffer = in1.Coefficients;
        var in2 = sym ? in1 : Prepare<T, TStorage>(kernels, accelerator, x2!, code, program, quad, options.ParallelOptions(ct));
        using var x2Buffer = sym ? null : in2.X;
        using var var2Buffer = sym ? null : in2.Variances;
        using var coeff2Buffer = sym ? null : in2.Coefficients;
        accelerator.Synchronize();
        double selfTime = clock.Elapsed.TotalSeconds - setup;
        ct.ThrowIfCancellationRequested();

        var (rowEdge, colEdge) = TileShape(budget, wantNtk, Unsafe.SizeOf<T>(), n1, n2, sym);
        var tiles = Tiles(n1, n2, rowEdge, colEdge, sym, wantNtk);
        var nngp = LargeArrays.Allocate((long)n1 * n2);
        var ntk = wantNtk ? LargeArrays.Allocate((long)n1 * n2) : null;
        var device = new DeviceTiles<T>[Math.Min(PipelineDepth, tiles.Count)];
        double scale = 1.0 / d;
        var storage = default(TStorage);
        int elementBytes = Unsafe.SizeOf<T>();

        // Enqueues tile t into device tile set s on the default stream (cuBLAS is bound to it too).
        void Launch(int t, DeviceTiles<T> s)
        {
            var tile = tiles[t];
            if (blas is not null)
            {
                storage.Gram(blas, tile.Rows, tile.Cols, d, storage.GemmScale(scale),
                    in1.X.NativePtr + (nint)((long)tile.I0 * d * elementBytes),
                    in2.X.NativePtr + (nint)((long)tile.J0 * d * elementBytes), s.K.NativePtr);
            }
            else
            {
                tileKernels.LaunchGram(in1.X.View, in2.X.View, d, storage.GemmScale(scale), tile, s.K.View);
            }
            tileKernels.FcTile(tile.Rows * tile.Cols, code, slots, in1.Variances.View, in2.Variances.View, tile,
                storage.EntryScale(scale), s.K.View, s.Theta.View, in1.Coefficients.View, in2.Coefficients.View, quad);
        }

        double waitCompute = 0, waitCopy = 0, waitScatter = 0, tilesStart = clock.Elapsed.TotalSeconds;
        var scatter = Task.CompletedTask;
        bool completed = false;
        using var copyStream = accelerator.CreateStream();
        try
        {
            for (int s = 0; s < device.Length; s++)
            {
                int area = rowEdge * colEdge;
                device[s] = new DeviceTiles<T>(accelerator, area, wantNtk,
                    Staging<T>(accelerator, 2 * s, area), wantNtk ? Staging<T>(accelerator, 2 * s + 1, area) : null);
            }
            // Pipeline: while tile k is copied to the host (second stream) and scattered (thread pool), the default
            // stream computes tile k+1 into the other tile set. Tile set k+1 mod 2 was last read by copy k−1 (done);
            // the staging arrays of set k mod 2 were last read by scatter k−2 (done).
            Launch(0, device[0]);
            for (int k = 0; k < tiles.Count; k++)
            {
                ct.ThrowIfCancellationRequested();
                var current = device[k % device.Length];
                double t0 = clock.Elapsed.TotalSeconds;
                accelerator.DefaultStream.Synchronize();
                double t1 = clock.Elapsed.TotalSeconds;
                current.K.View.CopyToPageLockedAsync(copyStream, current.KHost.Lock);
                if (current.ThetaHost is not null) current.Theta.View.CopyToPageLockedAsync(copyStream, current.ThetaHost.Lock);
                if (k + 1 < tiles.Count) Launch(k + 1, device[(k + 1) % device.Length]);
                double t2 = clock.Elapsed.TotalSeconds;
                copyStream.Synchronize();
                double t3 = clock.Elapsed.TotalSeconds;
                scatter.GetAwaiter().GetResult();
                double t4 = clock.Elapsed.TotalSeconds;
                waitCompute += t1 - t0;
                waitCopy += t3 - t2;
                waitScatter += t4 - t3;
                if (k > 0) progress?.Report(new KernelProgress(k, tiles.Count));
                var tile = tiles[k];
                scatter = Task.Run(() =>
                {
                    Scatter<T, TStorage>(current.KHost.Array, tile, nngp, n1, options);
                    if (ntk is not null) Scatter<T, TStorage>(current.ThetaHost!.Array, tile, ntk, n1, options);
                });
            }
            double t5 = clock.Elapsed.TotalSeconds;
            scatter.GetAwaiter().GetResult();
            waitScatter += clock.Elapsed.TotalSeconds - t5;
            progress?.Report(new KernelProgress(tiles.Count, tiles.Count));
            completed = true;
        }
        finally
        {
            if (!completed)
            {
                // An exception is in flight: let the scatter and the device finish before the buffers go.
                try
                {
                    scatter.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // The exception in flight is the one reported.
                }
                accelerator.Synchronize();
            }
            foreach (var s in device) s?.Dispose();
        }
        double tileTime = clock.Elapsed.TotalSeconds - tilesStart;
        if (sym) CpuKernelEngine.CompleteSymmetric(nngp, ntk, n1, in1.NngpDiag, in1.NtkDiag, options.ParallelOptions(ct));
        LastTimes = new GpuPhaseTimes(setup, selfTime, tileTime, waitCompute, waitCopy, waitScatter, clock.Elapsed.TotalSeconds);
        return KernelResult.FromColumnMajor(n1, n2, nngp, ntk, outputs, in1.NngpDiag, in1.NtkDiag, in2.NngpDiag, in2.NtkDiag, sym);
    }

    /// <summary>The tiles of the N1×N2 result, column block by column block (on or above the diagonal only when
    /// symmetric), ragged at the far edges.</summary>
    private static List<TileGeometry> Tiles(int n1, int n2, int rowEdge, int colEdge, bool sym, bool wantNtk)
    {
        int rowTiles = (n1 + rowEdge - 1) / rowEdge, colTiles = (n2 + colEdge - 1) / colEdge;
        var tiles = new List<TileGeometry>();
        for (int jb = 0; jb < colTiles; jb++)
        {
            for (int ib = 0; ib < (sym ? jb + 1 : rowTiles); ib++)
            {
                int i0 = ib * rowEdge, j0 = jb * colEdge;
                tiles.Add(new TileGeometry(i0, j0, Math.Min(rowEdge, n1 - i0), Math.Min(colEdge, n2 - j0), sym ? 1 : 0, wantNtk ? 1 : 0));
            }
        }
        return tiles;
    }

    /// <summary>Uploads one input set in double precision, runs the self pass on it (exact double variances, coefficient
    /// records and diagonal in both precisions), and returns the inputs in the storage format: the same buffer for
    /// double storage, else a host-rounded copy (the double buffer is freed first).</summary>
    private static DeviceInputs<T> Prepare<T, TStorage>(GpuKernelSet kernels, Accelerator accelerator, Tensor x,
        ArrayView<FcInstruction> code, FcProgram program, QuadratureArgs quad, ParallelOptions po)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        int n = x.Count, d = x.ExampleSize, slots = program.Slots;
        var variances = accelerator.Allocate1D<double>(Math.Max(1L, (long)n * slots));
        var coefficients = accelerator.Allocate1D<double>(Math.Max(1L, quad.At(n, 0)));
        var xDouble = accelerator.Allocate1D(x.Data);
        try
        {
            Vector<double> nngp, ntk;
            if (program.NeedsMeans)
            {
                // A LayerNorm needs the feature means E[φ(u)] of the nonlinearities before it (host-side family code):
                // the O(N) self pass runs on the host, and the tiles read its records on the device — the variances
                // and the quadrature activations' coefficient records of those variances (the same core as the device's).
                (var host, nngp, ntk) = CpuKernelEngine.SelfPass(program, x, null, po);
                if ((long)n * slots > 0) variances.View.BaseView.SubView(0, (long)n * slots).CopyFromCPU(host.AsSpan(0, n * slots));
                if (quad.Sets > 0) coefficients.View.BaseView.SubView(0, quad.At(n, 0)).CopyFromCPU(HostRecords(program, host, n, quad, po));
            }
            else
            {
                (nngp, ntk) = SelfPass(kernels, accelerator, xDouble.View, n, d, code, slots, variances.View, coefficients.View, quad);
                CheckVariances(program.Limits, variances.View, n * slots, slots);
            }
            if (xDouble is MemoryBuffer1D<T, Stride1D.Dense> same) return new DeviceInputs<T>(same, variances, coefficients, nngp, ntk);
            xDouble.Dispose();
            var storage = default(TStorage);
            var narrow = new T[x.Data.Length];
            for (int i = 0; i < narrow.Length; i++) narrow[i] = storage.Narrow(x.Data[i]);
            return new DeviceInputs<T>(accelerator.Allocate1D(narrow), variances, coefficients, nngp, ntk);
        }
        catch
        {
            xDouble.Dispose();
            variances.Dispose();
            coefficients.Dispose();
            throw;
        }
    }

    /// <summary>Checks the self pass's variances against the activations that can diverge (copied to the host only when
    /// there are any), as the CPU engine does.</summary>
    internal static void CheckVariances(VarianceLimits limits, ArrayView<double> variances, int count, int perExample)
    {
        if (!limits.Any || count == 0) return;
        var host = new double[count];
        variances.SubView(0, count).CopyToCPU(host);
        limits.Check(host, perExample);
    }

    /// <summary>The quadrature activations' coefficient records of a host self pass (<paramref name="variances"/>, n ×
    /// slots), laid out as the device self pass writes them (<see cref="QuadratureArgs"/>).</summary>
    private static double[] HostRecords(FcProgram program, double[] variances, int n, QuadratureArgs quad, ParallelOptions po)
    {
        var records = new double[quad.At(n, 0)];
        var store = new ArrayCoefficients(records);
        int slots = program.Slots;
        Parallel.For(0, n, po, i =>
        {
            foreach (var ins in program.Code)
            {
                if (ins.Coeff >= 0) QuadratureSteps.Prepare(ins.Activation, variances[(long)i * slots + ins.Slot], quad.Degree, store, quad.At(i, ins.Coeff));
            }
        });
        return records;
    }

    private static (Vector<double> Nngp, Vector<double> Ntk) SelfPass(GpuKernelSet kernels, Accelerator accelerator,
        ArrayView<double> x, int n, int d, ArrayView<FcInstruction> code, int slots, ArrayView<double> variances,
        ArrayView<double> coefficients, QuadratureArgs quad)
    {
        using var kd = accelerator.Allocate1D<double>(Math.Max(1, n));
        using var td = accelerator.Allocate1D<double>(Math.Max(1, n));
        kernels.SelfPass(n, x, d, code, slots, variances, kd.View, td.View, coefficients, quad);
        var k = new double[n];
        var t = new double[n];
        kd.View.SubView(0, n).CopyToCPU(k);
        td.View.SubView(0, n).CopyToCPU(t);
        return (Vector<double>.Build.Dense(k), Vector<double>.Build.Dense(t));
    }

    /// <summary>The page-locked host staging array number <paramref name="index"/> of exactly <paramref name="length"/>
    /// elements (ILGPU copies the whole locked length), kept between calls with the same tile size and format —
    /// page-locking a gigabyte costs tens of milliseconds — and replaced when either changes.</summary>
    private PinnedStaging<T> Staging<T>(Accelerator accelerator, int index, int length) where T : unmanaged
    {
        if (_staging[index] is PinnedStaging<T> kept && kept.Array.Length == length) return kept;
        _staging[index]?.Dispose();
        _staging[index] = null;
        var created = new PinnedStaging<T>(accelerator, length);
        _staging[index] = created;
        return created;
    }

    /// <summary>Unlocks and drops the staging arrays (called by the owning context when it is disposed).</summary>
    internal void ReleaseStaging()
    {
        for (int i = 0; i < _staging.Length; i++)
        {
            _staging[i]?.Dispose();
            _staging[i] = null;
        }
    }

    /// <summary>Scatters a staged tile (column-major, leading dimension Rows) into the column-major N1×N2 result,
    /// widened to double, columns in parallel.</summary>
    private static void Scatter<T, TStorage>(T[] staging, TileGeometry tile, double[] result, int n1, KernelOptions options)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        Parallel.For(0, tile.Cols, options.ParallelOptions(CancellationToken.None), jl =>
            default(TStorage).WidenAll(staging.AsSpan(jl * tile.Rows, tile.Rows),
                result.AsSpan((int)((long)(tile.J0 + jl) * n1 + tile.I0), tile.Rows)));
    }
}

/// <summary>The inputs of one side on the device: examples in the storage format, per-slot variances, the quadrature
/// activations' coefficient records and the self pass's diagonal values (double).</summary>
internal readonly record struct DeviceInputs<T>(MemoryBuffer1D<T, Stride1D.Dense> X, MemoryBuffer1D<double, Stride1D.Dense> Variances,
    MemoryBuffer1D<double, Stride1D.Dense> Coefficients, Vector<double> NngpDiag, Vector<double> NtkDiag) where T : unmanaged;

/// <summary>One set of device tile buffers (K, Θ) of exactly T² elements and the page-locked host arrays they are
/// copied to (not owned: the engine keeps those between calls).</summary>
internal sealed class DeviceTiles<T> : IDisposable where T : unmanaged
{
    public DeviceTiles(Accelerator accelerator, long length, bool wantNtk, PinnedStaging<T> kHost, PinnedStaging<T>? thetaHost)
    {
        K = accelerator.Allocate1D<T>(length);
        try
        {
            Theta = accelerator.Allocate1D<T>(wantNtk ? length : 1);
        }
        catch
        {
            K.Dispose();
            throw;
        }
        KHost = kHost;
        ThetaHost = thetaHost;
    }

    public MemoryBuffer1D<T, Stride1D.Dense> K { get; }

    public MemoryBuffer1D<T, Stride1D.Dense> Theta { get; }

    public PinnedStaging<T> KHost { get; }

    public PinnedStaging<T>? ThetaHost { get; }

    public void Dispose()
    {
        K.Dispose();
        Theta.Dispose();
    }
}

/// <summary>A pinned managed array registered as page-locked with the accelerator (fast asynchronous copies).</summary>
internal sealed class PinnedStaging<T> : IDisposable where T : unmanaged
{
    public PinnedStaging(Accelerator accelerator, int length)
    {
        Array = GC.AllocateArray<T>(length, pinned: true);
        Lock = accelerator.CreatePageLockFromPinned(Array);
    }

    public T[] Array { get; }

    public PageLockScope<T> Lock { get; }

    public void Dispose() => Lock.Dispose();
}

/// <summary>Seconds spent in each phase of one GPU kernel computation. The tile phases overlap (tile k+1 is computed
/// while tile k is copied and scattered), so they are reported as the time the host spent waiting on each stage: the
/// stage with the largest wait is the bottleneck.</summary>
/// <param name="Setup">Kernel compilation on first use, buffer set-up.</param>
/// <param name="SelfPass">Input upload and the self pass.</param>
/// <param name="Tiles">Wall time of the tile pipeline (Gram, per-entry program, device→host copies, scatter).</param>
/// <param name="WaitCompute">Host waiting for tile computations (Gram and per-entry program) not hidden behind
/// transfers.</param>
/// <param name="WaitCopy">Host waiting for device→host copies.</param>
/// <param name="WaitScatter">Host waiting for the scatter of the previous tile into the managed result.</param>
/// <param name="Total">Wall time of the whole computation, mirroring included.</param>
internal readonly record struct GpuPhaseTimes(double Setup, double SelfPass, double Tiles, double WaitCompute, double WaitCopy,
    double WaitScatter, double Total);
