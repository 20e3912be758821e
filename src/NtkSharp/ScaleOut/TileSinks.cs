using NtkSharp.IO;

namespace NtkSharp.ScaleOut;

/// <summary>Where computed tiles go: the output .npy matrices or a shard's data files.</summary>
internal unsafe interface ITileSink : IDisposable
{
    /// <summary>Stores a tile given row-major at <paramref name="nngp"/>/<paramref name="ntk"/> (row stride
    /// <paramref name="ld"/>); a null pointer for an output the sink does not hold is allowed. Thread-safe for distinct tiles.</summary>
    void Write(GramTile tile, double* nngp, double* ntk, int ld);
}

/// <summary>
/// The N1 × N2 float64 C-order .npy files of the result, written through memory-mapped windows tile by tile: a tile's
/// rows are copied into the window that spans them, and in a symmetric matrix the tile's transpose into the window of
/// the mirror tile, so that no full matrix is ever held in memory.
/// </summary>
internal sealed unsafe class NpyMatrixSink : ITileSink
{
    private readonly MappedFile? _nngp;
    private readonly MappedFile? _ntk;
    private readonly long _data;
    private readonly int _n2;
    private readonly bool _symmetric;

    public NpyMatrixSink(string? nngpPath, string? ntkPath, int n1, int n2, bool symmetric)
    {
        var header = Npy.HeaderBytes([n1, n2]);
        _data = header.Length;
        _n2 = n2;
        _symmetric = symmetric;
        long bytes = 8L * n1 * n2;
        try
        {
            if (nngpPath is not null) _nngp = MappedFile.Create(nngpPath, header, bytes);
            if (ntkPath is not null) _ntk = MappedFile.Create(ntkPath, header, bytes);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Write(GramTile tile, double* nngp, double* ntk, int ld)
    {
        if (_nngp is not null) WriteOne(_nngp, tile, nngp, ld);
        if (_ntk is not null) WriteOne(_ntk, tile, ntk, ld);
    }

    private void WriteOne(MappedFile file, GramTile tile, double* src, int ld)
    {
        int h = tile.Height, w = tile.Width;
        using (var win = Window(file, tile.Row0, h, tile.Col0, w))
        {
            var dst = (double*)win.Pointer;
            for (int i = 0; i < h; i++) Buffer.MemoryCopy(src + (long)i * ld, dst + (long)i * _n2, 8L * w, 8L * w);
        }
        if (!_symmetric || tile.IsDiagonal) return;
        using (var win = Window(file, tile.Col0, w, tile.Row0, h))
        {
            var dst = (double*)win.Pointer;
            // Blocks of 8 × 8 so that both the strided reads and the writes stay in few cache lines.
            for (int j0 = 0; j0 < w; j0 += 8)
            {
                for (int i0 = 0; i0 < h; i0 += 8)
                {
                    for (int j = j0; j < Math.Min(w, j0 + 8); j++)
                    {
                        double* row = dst + (long)j * _n2;
                        for (int i = i0; i < Math.Min(h, i0 + 8); i++) row[i] = src[(long)i * ld + j];
                    }
                }
            }
        }
    }

    /// <summary>The window of rows [r0, r0 + h), columns [c0, c0 + w): from the first to the last entry it touches.</summary>
    private MappedFile.Window Window(MappedFile file, int r0, int h, int c0, int w) =>
        file.Map(_data + 8 * ((long)r0 * _n2 + c0), 8 * ((long)(h - 1) * _n2 + w));

    public void Dispose()
    {
        _nngp?.Dispose();
        _ntk?.Dispose();
    }
}

/// <summary>A shard's data files: the block's tiles back to back in band-major order, each row-major, float64.</summary>
internal sealed unsafe class ShardSink : ITileSink
{
    private readonly MappedFile? _nngp;
    private readonly MappedFile? _ntk;
    private readonly Dictionary<long, long> _offsets;

    public ShardSink(GramTiling grid, GramBlock block, string? nngpPath, string? ntkPath)
    {
        _offsets = TileOffsets(grid, block);
        try
        {
            if (nngpPath is not null) _nngp = MappedFile.Create(nngpPath, [], 8 * block.StoredEntries);
            if (ntkPath is not null) _ntk = MappedFile.Create(ntkPath, [], 8 * block.StoredEntries);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The byte offset of each tile of the block in its shard's data files.</summary>
    public static Dictionary<long, long> TileOffsets(GramTiling grid, GramBlock block)
    {
        var offsets = new Dictionary<long, long>();
        long at = 0;
        for (long t = block.FirstTile; t < block.EndTile; t++)
        {
            offsets[t] = at;
            at += 8 * grid.Tile(t).Entries;
        }
        return offsets;
    }

    public void Write(GramTile tile, double* nngp, double* ntk, int ld)
    {
        if (_nngp is not null) WriteOne(_nngp, tile, nngp, ld);
        if (_ntk is not null) WriteOne(_ntk, tile, ntk, ld);
    }

    private void WriteOne(MappedFile file, GramTile tile, double* src, int ld)
    {
        int h = tile.Height, w = tile.Width;
        using var win = file.Map(_offsets[tile.Index], 8 * tile.Entries);
        var dst = (double*)win.Pointer;
        for (int i = 0; i < h; i++) Buffer.MemoryCopy(src + (long)i * ld, dst + (long)i * w, 8L * w, 8L * w);
    }

    public void Dispose()
    {
        _nngp?.Dispose();
        _ntk?.Dispose();
    }
}
