using ILGPU;
using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// Convolutional architectures on the device: the <see cref="SpatialProgram"/> of the CPU spatial engine, flattened
/// (<see cref="SpatialDeviceProgram"/>) and run by <see cref="GpuSpatialKernels.Pairs"/>, one thread per pair with its
/// register tensors in a device workspace. The workspace of all concurrent pairs, (2·registers + 1)·MaxSize doubles
/// each, is sized by <see cref="KernelOptions.MemoryBudgetBytes"/>; pairs go in square tiles of the (N1, N2) grid,
/// only on or above the diagonal when x2 is absent.
/// </summary>
internal static class GpuSpatialEngine
{
    public static KernelResult Compute(ComputeContext context, SpatialProgram program, Tensor x1, Tensor? x2,
        KernelOutputs outputs, KernelOptions options, IProgress<KernelProgress>? progress, CancellationToken ct)
    {
        var device = new SpatialDeviceProgram(program);
        var accelerator = context.Accelerator;
        var pairs = context.Kernels.SpatialPairs;
        int n1 = x1.Count, n2 = x2?.Count ?? n1, slots = program.SlotTotal;
        bool sym = x2 is null, wantNtk = (outputs & KernelOutputs.Ntk) != 0;

        long perPair = device.WorkspacePerPair;
        long concurrency = Math.Min(options.MemoryBudgetBytes / sizeof(double) / perPair, 1L << 22);
        if (concurrency < 1)
            throw new ArgumentException(
                $"The memory budget ({options.MemoryBudgetBytes} bytes) is below the {perPair * sizeof(double)} bytes of device workspace one pair's {program.Layout} spatial covariances need; raise KernelOptions.MemoryBudgetBytes.",
                nameof(options));
        int side = (int)Math.Max(1, Math.Min(Math.Floor(Math.Sqrt(concurrency)), Math.Max(n1, n2)));
        int chunk = side * side;

        using var code = accelerator.Allocate1D(device.Code);
        using var maps = accelerator.Allocate1D(device.Maps);
        using var ws = accelerator.Allocate1D<double>(chunk * perPair);
        using var x1Buffer = accelerator.Allocate1D(x1.Data);
        using var x2Buffer = sym ? null : accelerator.Allocate1D(x2!.Data);
        using var var1 = accelerator.Allocate1D<double>(Math.Max(1L, (long)n1 * slots));
        using var var2 = sym ? null : accelerator.Allocate1D<double>(Math.Max(1L, (long)n2 * slots));
        var (nngpDiag1, ntkDiag1) = SelfPass(accelerator, pairs, device, code.View, maps.View, x1Buffer.View, var1.View, ws.View, n1, chunk);
        var (nngpDiag2, ntkDiag2) = sym ? (nngpDiag1, ntkDiag1)
            : SelfPass(accelerator, pairs, device, code.View, maps.View, x2Buffer!.View, var2!.View, ws.View, n2, chunk);
        ct.ThrowIfCancellationRequested();

        using var kTile = accelerator.Allocate1D<double>(chunk);
        using var tTile = accelerator.Allocate1D<double>(wantNtk ? chunk : 1);
        var staging = new double[chunk];
        var nngp = new double[(long)n1 * n2];
        var ntk = wantNtk ? new double[(long)n1 * n2] : null;
        int rowTiles = (n1 + side - 1) / side, colTiles = (n2 + side - 1) / side;
        long total = sym ? (long)colTiles * (colTiles + 1) / 2 : (long)rowTiles * colTiles, done = 0;
        for (int jb = 0; jb < colTiles; jb++)
        {
            for (int ib = 0; ib < (sym ? jb + 1 : rowTiles); ib++)
            {
                ct.ThrowIfCancellationRequested();
                int i0 = ib * side, j0 = jb * side;
                var tile = new TileGeometry(i0, j0, Math.Min(side, n1 - i0), Math.Min(side, n2 - j0), sym ? 1 : 0, wantNtk ? 1 : 0);
                pairs(tile.Rows * tile.Cols, code.View, maps.View, device.Args(wantNtk, false, tile), x1Buffer.View,
                    sym ? x1Buffer.View : x2Buffer!.View, var1.View, sym ? var1.View : var2!.View, ws.View, kTile.View, tTile.View);
                Gather(kTile.View, tile, staging, nngp, n1);
                if (ntk is not null) Gather(tTile.View, tile, staging, ntk, n1);
                progress?.Report(new KernelProgress(++done, total));
            }
        }
        if (sym) CpuKernelEngine.CompleteSymmetric(nngp, ntk, n1, nngpDiag1, ntkDiag1, options.ParallelOptions(ct));
        return KernelResult.FromColumnMajor(n1, n2, nngp, ntk, outputs, nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2, sym);
    }

    private static (Vector<double> Nngp, Vector<double> Ntk) SelfPass(Accelerator accelerator,
        Action<Index1D, ArrayView<SpatialDeviceInstruction>, ArrayView<int>, SpatialArgs, ArrayView<double>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>> pairs,
        SpatialDeviceProgram device, ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps, ArrayView<double> x,
        ArrayView<double> variances, ArrayView<double> ws, int n, int chunk)
    {
        using var kd = accelerator.Allocate1D<double>(Math.Max(1, n));
        using var td = accelerator.Allocate1D<double>(Math.Max(1, n));
        for (int start = 0; start < n; start += chunk)
        {
            int count = Math.Min(chunk, n - start);
            var tile = new TileGeometry(start, start, count, 1, 0, 1);
            pairs(count, code, maps, device.Args(true, true, tile), x, x, variances, variances, ws,
                kd.View.SubView(start, count), td.View.SubView(start, count));
        }
        var k = new double[n];
        var t = new double[n];
        kd.View.SubView(0, n).CopyToCPU(k);
        td.View.SubView(0, n).CopyToCPU(t);
        return (Vector<double>.Build.Dense(k), Vector<double>.Build.Dense(t));
    }

    private static void Gather(ArrayView<double> tileView, TileGeometry tile, double[] staging, double[] result, int n1)
    {
        int entries = tile.Rows * tile.Cols;
        tileView.SubView(0, entries).CopyToCPU(staging.AsSpan(0, entries));
        for (int jl = 0; jl < tile.Cols; jl++)
            Array.Copy(staging, (long)jl * tile.Rows, result, (long)(tile.J0 + jl) * n1 + tile.I0, tile.Rows);
    }
}
