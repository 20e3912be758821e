using ILGPU;
using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The device engine (ILGPU; CUDA or ILGPU's CPU accelerator). Fully-connected networks run as the CPU engine does —
/// a self pass for the per-slot variances, the scaled input Gram, and the fused per-entry program — but on the device
/// and tile by tile: the N1×N2 result is cut into square tiles whose device buffers fit
/// <see cref="KernelOptions.MemoryBudgetBytes"/>; each tile's Gram comes from cuBLAS <c>dgemm</c> when available (else
/// a shared-memory tiled GEMM kernel), the whole depth is applied to each entry in registers by one kernel launch, and
/// the tile is copied into the managed result. Without x2 only tiles on or above the diagonal are computed.
/// Spatial inputs (images, signals) go to <see cref="GpuSpatialEngine"/>.
/// </summary>
internal sealed class GpuKernelEngine : IKernelEngine
{
    private const int BytesPerDouble = sizeof(double);
    private readonly ComputeContext _context;

    public GpuKernelEngine(ComputeContext context) => _context = context;

    private double[]? _staging;
    private PageLockScope<double>? _stagingLock;

    /// <summary>Where the time of the last computation went (for the GPU runner's report).</summary>
    internal GpuPhaseTimes LastTimes { get; private set; } = new(0, 0, 0, 0, 0, 0);

    public KernelResult Compute(Layer network, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        IProgress<KernelProgress>? progress, CancellationToken cancellationToken)
    {
        if (x1.Shape.Length > 2)
        {
            var spatial = SpatialProgram.Compile(network, x1.ExampleShape);
            lock (_context.Gate) return GpuSpatialEngine.Compute(_context, spatial, x1, x2, outputs, options, progress, cancellationToken);
        }
        int d = x1.ExampleSize;
        var program = FcProgram.TryCompile(network, d)
            ?? throw new NotSupportedException($"The GPU engine cannot compile {network.Name} for inputs of shape ({string.Join(", ", x1.Shape)}).");
        if (program.Registers > GpuKernels.MaxRegisters)
            throw new NotSupportedException($"{network.Name} needs {program.Registers} parallel branches at once; the GPU engine supports at most {GpuKernels.MaxRegisters}.");
        lock (_context.Gate)
        {
            return ComputeFullyConnected(program, x1, x2, outputs, options, progress, cancellationToken);
        }
    }

    /// <summary>The tile edge T: two T×T double buffers (K and Θ; one without Θ) within the budget, a multiple of the
    /// GEMM group size, and balanced: the fewest tiles along max(N1, N2) that fit, all of (nearly) equal size, so that
    /// no device→host copy moves a mostly empty ragged tile.</summary>
    internal static int TileEdge(long budgetBytes, bool wantNtk, int n1, int n2)
    {
        const int Ts = GpuKernels.GramTileSize;
        long perEntry = BytesPerDouble * (wantNtk ? 2L : 1L);
        long edge = (long)Math.Floor(Math.Sqrt(Math.Max(0, budgetBytes) / (double)perEntry));
        edge = Math.Min(edge, 46_336); // T² < 2³¹ entries (kernel index range, pinned staging array)
        edge = Math.Max(Ts, edge / Ts * Ts);
        long n = Math.Max(n1, n2);
        long tiles = (n + edge - 1) / edge;
        long balanced = (n + tiles - 1) / tiles;
        return (int)Math.Min(edge, (balanced + Ts - 1) / Ts * Ts);
    }

    private KernelResult ComputeFullyConnected(FcProgram program, Tensor x1, Tensor? x2, KernelOutputs outputs,
        KernelOptions options, IProgress<KernelProgress>? progress, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var accelerator = _context.Accelerator;
        var kernels = _context.Kernels;
        double setup = clock.Elapsed.TotalSeconds, gramTime = 0, entryTime = 0, gatherTime = 0;
        var blas = _context.Backend == ComputeBackend.Cuda ? _context.Blas : null;
        int n1 = x1.Count, n2 = x2?.Count ?? n1, d = x1.ExampleSize, slots = program.Slots;
        bool sym = x2 is null;
        bool wantNtk = (outputs & KernelOutputs.Ntk) != 0;

        using var codeBuffer = accelerator.Allocate1D<FcInstruction>(Math.Max(1, program.Code.Length));
        if (program.Code.Length > 0) codeBuffer.View.SubView(0, program.Code.Length).CopyFromCPU(program.Code);
        var code = codeBuffer.View.SubView(0, program.Code.Length);

        using var x1Buffer = accelerator.Allocate1D(x1.Data);
        using var var1Buffer = accelerator.Allocate1D<double>(Math.Max(1L, (long)n1 * slots));
        var (nngpDiag1, ntkDiag1) = SelfPass(kernels, accelerator, x1Buffer.View, n1, d, code, slots, var1Buffer.View);
        using var x2Buffer = sym ? null : accelerator.Allocate1D(x2!.Data);
        using var var2Buffer = sym ? null : accelerator.Allocate1D<double>(Math.Max(1L, (long)n2 * slots));
        var (nngpDiag2, ntkDiag2) = sym
            ? (nngpDiag1, ntkDiag1)
            : SelfPass(kernels, accelerator, x2Buffer!.View, n2, d, code, slots, var2Buffer!.View);
        accelerator.Synchronize();
        double selfTime = clock.Elapsed.TotalSeconds - setup;
        var x2View = sym ? x1Buffer.View : x2Buffer!.View;
        var var2View = sym ? var1Buffer.View : var2Buffer!.View;
        ct.ThrowIfCancellationRequested();

        int edge = TileEdge(options.MemoryBudgetBytes, wantNtk, n1, n2);
        using var kTile = accelerator.Allocate1D<double>((long)edge * edge);
        using var tTile = accelerator.Allocate1D<double>(wantNtk ? (long)edge * edge : 1);
        var (staging, stagingLock) = Staging(accelerator, edge * edge);
        var nngp = new double[(long)n1 * n2];
        var ntk = wantNtk ? new double[(long)n1 * n2] : null;

        int rowTiles = (n1 + edge - 1) / edge, colTiles = (n2 + edge - 1) / edge;
        long total = sym ? (long)colTiles * (colTiles + 1) / 2 : (long)rowTiles * colTiles, done = 0;
        double scale = 1.0 / d;
        for (int jb = 0; jb < colTiles; jb++)
        {
            for (int ib = 0; ib < (sym ? jb + 1 : rowTiles); ib++)
            {
                ct.ThrowIfCancellationRequested();
                double t0 = clock.Elapsed.TotalSeconds;
                int i0 = ib * edge, j0 = jb * edge;
                var tile = new TileGeometry(i0, j0, Math.Min(edge, n1 - i0), Math.Min(edge, n2 - j0), sym ? 1 : 0, wantNtk ? 1 : 0);
                if (blas is not null)
                {
                    blas.Dgemm(true, false, tile.Rows, tile.Cols, d, scale,
                        x1Buffer.NativePtr + (nint)((long)i0 * d * BytesPerDouble), d,
                        (sym ? x1Buffer : x2Buffer!).NativePtr + (nint)((long)j0 * d * BytesPerDouble), d,
                        0.0, kTile.NativePtr, tile.Rows);
                }
                else
                {
                    kernels.LaunchGram(x1Buffer.View, x2View, d, scale, tile, kTile.View);
                }
                accelerator.Synchronize();
                double t1 = clock.Elapsed.TotalSeconds;
                int entries = tile.Rows * tile.Cols;
                kernels.FcTile(entries, code, slots, var1Buffer.View, var2View, tile, kTile.View, tTile.View);
                accelerator.Synchronize();
                double t2 = clock.Elapsed.TotalSeconds;
                Gather(accelerator, kTile.View, tile, stagingLock, staging, nngp, n1, options);
                if (ntk is not null) Gather(accelerator, tTile.View, tile, stagingLock, staging, ntk, n1, options);
                gramTime += t1 - t0;
                entryTime += t2 - t1;
                gatherTime += clock.Elapsed.TotalSeconds - t2;
                done++;
                progress?.Report(new KernelProgress(done, total));
            }
        }
        if (sym) CpuKernelEngine.CompleteSymmetric(nngp, ntk, n1, nngpDiag1, ntkDiag1, options.ParallelOptions(ct));
        LastTimes = new GpuPhaseTimes(setup, selfTime, gramTime, entryTime, gatherTime, clock.Elapsed.TotalSeconds);
        return KernelResult.FromColumnMajor(n1, n2, nngp, ntk, outputs, nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2, sym);
    }

    private static (Vector<double> Nngp, Vector<double> Ntk) SelfPass(GpuKernelSet kernels, Accelerator accelerator,
        ArrayView<double> x, int n, int d, ArrayView<FcInstruction> code, int slots, ArrayView<double> variances)
    {
        using var kd = accelerator.Allocate1D<double>(Math.Max(1, n));
        using var td = accelerator.Allocate1D<double>(Math.Max(1, n));
        kernels.SelfPass(n, x, d, code, slots, variances, kd.View, td.View);
        var k = new double[n];
        var t = new double[n];
        kd.View.SubView(0, n).CopyToCPU(k);
        td.View.SubView(0, n).CopyToCPU(t);
        return (Vector<double>.Build.Dense(k), Vector<double>.Build.Dense(t));
    }

    /// <summary>The page-locked host staging array of exactly <paramref name="length"/> doubles (ILGPU copies the whole
    /// locked length), kept between calls with the same tile size — page-locking a gigabyte costs tens of
    /// milliseconds — and replaced when the tile size changes.</summary>
    private (double[] Staging, PageLockScope<double> Lock) Staging(Accelerator accelerator, int length)
    {
        if (_staging is null || _stagingLock is null || _staging.Length != length)
        {
            ReleaseStaging();
            _staging = GC.AllocateArray<double>(length, pinned: true);
            _stagingLock = accelerator.CreatePageLockFromPinned(_staging);
        }
        return (_staging, _stagingLock);
    }

    /// <summary>Unlocks and drops the staging array (called by the owning context when it is disposed).</summary>
    internal void ReleaseStaging()
    {
        _stagingLock?.Dispose();
        _stagingLock = null;
        _staging = null;
    }

    /// <summary>Copies a device tile (column-major, leading dimension Rows) through the page-locked staging array into
    /// the column-major N1×N2 result (columns scattered in parallel). ILGPU 1.5.3 copies the whole page-locked length
    /// (T² values) from the start of the view, so the device tile buffers have exactly that length.</summary>
    private static void Gather(Accelerator accelerator, ArrayView<double> tileView, TileGeometry tile,
        PageLockScope<double> stagingLock, double[] staging, double[] result, int n1, KernelOptions options)
    {
        int entries = tile.Rows * tile.Cols;
        tileView.SubView(0, entries).CopyToPageLockedAsync(accelerator.DefaultStream, stagingLock);
        accelerator.DefaultStream.Synchronize();
        Parallel.For(0, tile.Cols, options.ParallelOptions(CancellationToken.None), jl =>
            Array.Copy(staging, (long)jl * tile.Rows, result, (long)(tile.J0 + jl) * n1 + tile.I0, tile.Rows));
    }
}

/// <summary>Seconds spent in each phase of one GPU kernel computation (device synchronised between phases).</summary>
/// <param name="Setup">Kernel compilation on first use, buffer set-up.</param>
/// <param name="SelfPass">Input upload and the self pass.</param>
/// <param name="Gram">Input Gram tiles (cuBLAS or the tiled kernel).</param>
/// <param name="PerEntry">The fused per-entry program over all tiles.</param>
/// <param name="Gather">Device-to-host copies of the tiles into the managed result.</param>
/// <param name="Total">Wall time of the whole computation, mirroring included.</param>
internal readonly record struct GpuPhaseTimes(double Setup, double SelfPass, double Gram, double PerEntry, double Gather, double Total);
