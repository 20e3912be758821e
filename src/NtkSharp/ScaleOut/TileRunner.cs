using System.Runtime.InteropServices;
using NtkSharp.Kernels;

namespace NtkSharp.ScaleOut;

/// <summary>Computes a run of tiles in parallel (one tile per work item, each thread with its own workspace and tile
/// buffers) and hands each finished tile to a sink; reports progress in tiles and stops between tiles when cancelled.</summary>
internal static unsafe class TileRunner
{
    public static void Run(GramTiling grid, long first, long end, TileComputer computer, ITileSink sink,
        IProgress<KernelProgress>? progress, CancellationToken ct)
    {
        var po = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = computer.Threads };
        long total = end - first, done = 0;
        int area = grid.TileRows * grid.TileCols;
        Parallel.For(first, end, po, () => new Local(computer.NewWorkspace(), area, computer.WantNtk), (t, _, local) =>
        {
            var tile = grid.Tile(t);
            double* k = local.Nngp, th = local.Ntk;
            computer.Compute(tile, k, th, tile.Width, local.Workspace);
            sink.Write(tile, k, computer.WantNtk ? th : null, tile.Width);
            if (progress is not null) progress.Report(new KernelProgress(Interlocked.Increment(ref done), total));
            return local;
        }, local =>
        {
            computer.Return(local.Workspace);
            local.Free();
        });
    }

    /// <summary>A thread's workspace and native tile buffers (64-byte aligned, outside the GC heap).</summary>
    private sealed class Local(object workspace, int area, bool ntk)
    {
        public object Workspace { get; } = workspace;

        public double* Nngp { get; private set; } = (double*)NativeMemory.AlignedAlloc((nuint)(8L * area), 64);

        public double* Ntk { get; private set; } = ntk ? (double*)NativeMemory.AlignedAlloc((nuint)(8L * area), 64) : null;

        public void Free()
        {
            NativeMemory.AlignedFree(Nngp);
            NativeMemory.AlignedFree(Ntk);
            Nngp = null;
            Ntk = null;
        }
    }
}
