using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.ScaleOut;

/// <summary>
/// Gram matrices written straight into .npy files on the CPU: the tiles of <see cref="GramTiling"/> are computed in
/// parallel and copied into the output files (their transposes into the mirror positions when x2 is absent), so memory
/// holds the inputs, the per-input variances, a few tiles per thread and one band of rows — never a whole
/// matrix. The files are numpy's float64 C-order .npy (version 1.0, data 64-byte aligned). Rows are assembled in bands
/// of at most <see cref="KernelOptions.MemoryBudgetBytes"/> (default 2 GiB; the whole matrix when it fits) and written
/// with large positioned writes; the mirror tiles of later rows go through memory-mapped windows, one tile at a time.
/// </summary>
/// <remarks>The kernels are those of <see cref="KernelFunction.Compute(Tensor, Tensor?, KernelOutputs, KernelOptions?, IProgress{KernelProgress}?, CancellationToken)"/>
/// on the CPU engine (input kernel x·x′/d, then each layer's update; Lee et al. 2018, Jacot et al. 2018, Arora et al.
/// 2019, Novak et al. 2020), agreeing with it to rounding (the input Gram entries are summed in a fixed order here,
/// independent of the tiling), and bit for bit with a sharded run merged by <see cref="KernelShards.Merge"/>.</remarks>
public static class OutOfCoreKernel
{
    /// <summary>Computes the N1 × N2 NNGP and/or NTK Gram matrices of <paramref name="network"/> between x1 and x2 (x1
    /// itself when null) into the .npy files <paramref name="nngpPath"/> and <paramref name="ntkPath"/> (created or
    /// replaced; give the path of each output asked for in <paramref name="outputs"/>).</summary>
    /// <exception cref="ArgumentException">Non-finite inputs, mismatched example shapes, an input shape the architecture
    /// cannot take, or a missing path for a requested output.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (the files are then incomplete: write to temporary names).</exception>
    public static void WriteNpy(Layer network, Tensor x1, Tensor? x2, KernelOutputs outputs, string? nngpPath, string? ntkPath,
        KernelOptions? options = null, IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = Validate(network, x1, x2, outputs, ref options);
        if ((outputs & KernelOutputs.Nngp) != 0 && nngpPath is null) throw new ArgumentNullException(nameof(nngpPath), "The NNGP kernel was asked for: give its path.");
        if ((outputs & KernelOutputs.Ntk) != 0 && ntkPath is null) throw new ArgumentNullException(nameof(ntkPath), "The NTK was asked for: give its path.");
        var grid = new GramTiling(x1.Count, x2?.Count ?? x1.Count, x2 is null);
        int count = outputs == KernelOutputs.Both ? 2 : 1;
        EnsureDiskSpace((nngpPath ?? ntkPath)!, 8.0 * grid.N1 * grid.N2 * count,
            $"the {grid.N1}×{grid.N2} kernel matrix(es) of x1 ({x1.Count} examples){(x2 is null ? "" : $" and x2 ({x2.Count} examples)")}");
        var computer = TileComputer.Create(plan, x1, x2, outputs, options!, cancellationToken);
        int rows = NpyMatrixSink.RowsFor(grid, options!.BudgetOr(), outputs == KernelOutputs.Both ? 2 : 1);
        using var sink = new NpyMatrixSink((outputs & KernelOutputs.Nngp) != 0 ? nngpPath : null,
            (outputs & KernelOutputs.Ntk) != 0 ? ntkPath : null, grid.N1, grid.N2, grid.IsSymmetric, rows);
        ForEachBand(grid, sink, (first, end) =>
            TileRunner.Run(grid, first, end, computer, sink, progress, cancellationToken, first, grid.TileCount));
    }

    /// <summary>Runs <paramref name="tiles"/> on the tile range of each band of <paramref name="sink"/>'s rows, between
    /// its <see cref="NpyMatrixSink.BeginBand"/> and <see cref="NpyMatrixSink.EndBand"/>.</summary>
    internal static void ForEachBand(GramTiling grid, NpyMatrixSink sink, Action<long, long> tiles)
    {
        for (int r0 = 0; r0 < grid.N1; r0 += sink.BandRows)
        {
            int r1 = Math.Min(grid.N1, r0 + sink.BandRows);
            sink.BeginBand(r0, r1);
            tiles(grid.BandStart(r0 / grid.TileRows), grid.BandStart((r1 + grid.TileRows - 1) / grid.TileRows));
            sink.EndBand();
        }
    }

    /// <summary>Fails fast, naming x1, when the disk holding <paramref name="path"/> has less free space than
    /// <paramref name="bytes"/> (written sparse files would otherwise fail hours later).</summary>
    /// <exception cref="ArgumentException">Not enough free disk space.</exception>
    internal static void EnsureDiskSpace(string path, double bytes, string what)
    {
        long free;
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            free = new DriveInfo(string.IsNullOrEmpty(dir) ? "." : dir).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return; // unknown: let the writes report it
        }
        if (bytes > free)
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{what} need {bytes:G4} bytes ({bytes / (1L << 30):G3} GiB) on disk but the output folder's disk has {free} bytes ({free / (double)(1L << 30):G3} GiB) free; use fewer inputs, another output folder, or shards on several machines (--shard I/K)."), "x1");
    }

    /// <summary>The checks of <see cref="KernelFunction.Compute(Tensor, Tensor?, KernelOutputs, KernelOptions?, IProgress{KernelProgress}?, CancellationToken)"/>;
    /// returns the network's kernel plan for these inputs (validated once).</summary>
    internal static KernelPlan Validate(Layer network, Tensor x1, Tensor? x2, KernelOutputs outputs, ref KernelOptions? options)
    {
        ArgumentNullException.ThrowIfNull(network);
        (options, var plan) = KernelFunction.ValidateInputs(network, x1, x2, outputs, options);
        return plan;
    }
}
