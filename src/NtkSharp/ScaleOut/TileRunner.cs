using System.Runtime.InteropServices;
using NtkSharp.Kernels;

namespace NtkSharp.ScaleOut;

/// <summary>Computes a run of tiles in parallel (one tile per work item, each thread with its own workspace and tile
/// buffers) and hands each finished tile to a sink; reports progress in tiles and stops between tiles when cancelled.</summary>
internal static unsafe class TileRunner
{
    public static void Run(GramTiling grid, long first, long end, TileComputer computer, ITileSink sink,
        IProgress<KernelProgress>? progress, CancellationToken ct, long progressOffset = 0, long progressTotal = -1)
    {
        var po = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = computer.Threads };
        long total = progressTotal < 0 ? end - first : progressTotal, done = progressOffset;
        int area = grid.TileRows * grid.TileCols;
        // Band by band: what a band's tiles share (the fully-connected input Gram rows) is prepared on this thread, then
        // its tiles run in parallel.
        for (long bandFirst = first; bandFirst < end;)
        {
            var head = grid.Tile(bandFirst);
            long bandEnd = bandFirst;
            int col1 = head.Col1;
            while (bandEnd < end && grid.Tile(bandEnd) is { } t && t.Row0 == head.Row0)
            {
                col1 = t.Col1;
                bandEnd++;
            }
            ct.ThrowIfCancellationRequested();
            computer.BeginBand(grid, head.Row0 / grid.TileRows, head.Col0, col1);
            try
            {
                RunBand(grid, bandFirst, bandEnd, computer, sink, progress, po, area, total, ref done);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The first failure of a tile as itself (an overflow, an I/O error), not wrapped by Parallel.For.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            bandFirst = bandEnd;
        }
    }

    private static void RunBand(GramTiling grid, long bandFirst, long bandEnd, TileComputer computer, ITileSink sink,
        IProgress<KernelProgress>? progress, ParallelOptions po, int area, long total, ref long doneRef)
    {
        long done = doneRef;
        try
        {
            Parallel.For(bandFirst, bandEnd, po, () => new Local(computer.NewWorkspace(), area, computer.WantNtk), (t, _, local) =>
            {
                var tile = grid.Tile(t);
                double* k = local.Nngp, th = local.Ntk;
                computer.Compute(tile, k, th, tile.Width, local.Workspace);
                computer.CheckFinite(tile, k, th, tile.Width);
                sink.Write(tile, k, computer.WantNtk ? th : null, tile.Width);
                if (progress is not null) progress.Report(new KernelProgress(Interlocked.Increment(ref done), total));
                return local;
            }, local =>
            {
                computer.Return(local.Workspace);
                local.Free();
            });
        }
        finally
        {
            doneRef = done;
        }
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
