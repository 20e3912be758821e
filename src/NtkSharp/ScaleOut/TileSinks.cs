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
/// The N1 × N2 float64 C-order .npy files of the result, written a band of rows at a time. The rows of the current band
/// (as many whole tile rows as <see cref="Kernels.KernelOptions.MemoryBudgetBytes"/> allows) are assembled in memory and written
/// with large positioned writes; in a symmetric matrix the transpose of each tile right of the band goes straight into
/// its mirror position in later rows through a memory-mapped window of just that tile, so no full matrix is ever held.
/// </summary>
internal sealed unsafe class NpyMatrixSink : ITileSink
{
    private readonly MappedFile?[] _files;
    private readonly double[]?[] _buffers;
    private readonly long _data;
    private readonly int _n2;
    private readonly bool _symmetric;
    private int _r0, _r1, _c0;

    public NpyMatrixSink(string? nngpPath, string? ntkPath, int n1, int n2, bool symmetric, int bandRows)
    {
        var header = Npy.HeaderBytes([n1, n2]);
        _data = header.Length;
        _n2 = n2;
        _symmetric = symmetric;
        BandRows = Math.Min(bandRows, n1);
        long bytes = 8L * n1 * n2;
        _files = new MappedFile?[2];
        _buffers = new double[]?[2];
        try
        {
            if (nngpPath is not null) _files[0] = MappedFile.Create(nngpPath, header, bytes);
            if (ntkPath is not null) _files[1] = MappedFile.Create(ntkPath, header, bytes);
            for (int m = 0; m < 2; m++)
            {
                if (_files[m] is not null) _buffers[m] = LinearAlgebra.Native.LargeArrays.Allocate((long)BandRows * n2);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Rows assembled in memory at a time.</summary>
    public int BandRows { get; }

    /// <summary>Rows per band for a budget of <paramref name="budgetBytes"/>: whole tile rows, at least one.</summary>
    public static int RowsFor(GramTiling grid, long budgetBytes, int outputs)
    {
        long perRow = 8L * grid.N2 * Math.Max(1, outputs);
        long rows = budgetBytes / perRow / grid.TileRows * grid.TileRows;
        return (int)Math.Clamp(rows, grid.TileRows, (long)grid.RowTiles * grid.TileRows);
    }

    /// <summary>Starts the band of rows [<paramref name="r0"/>, <paramref name="r1"/>): its tiles follow.</summary>
    public void BeginBand(int r0, int r1)
    {
        _r0 = r0;
        _r1 = r1;
        _c0 = _symmetric ? r0 : 0;
    }

    public void Write(GramTile tile, double* nngp, double* ntk, int ld)
    {
        if (_files[0] is not null) WriteOne(0, tile, nngp, ld);
        if (_files[1] is not null) WriteOne(1, tile, ntk, ld);
    }

    private void WriteOne(int m, GramTile tile, double* src, int ld)
    {
        int h = tile.Height, w = tile.Width, bw = _n2 - _c0;
        fixed (double* buffer = _buffers[m])
        {
            double* dst = buffer + (long)(tile.Row0 - _r0) * bw + (tile.Col0 - _c0);
            for (int i = 0; i < h; i++) Buffer.MemoryCopy(src + (long)i * ld, dst + (long)i * bw, 8L * w, 8L * w);
            if (!_symmetric || tile.IsDiagonal) return;
            if (tile.Col0 < _r1)
            {
                // The mirror tile lies in this band too.
                Transpose(src, ld, h, w, buffer + (long)(tile.Col0 - _r0) * bw + (tile.Row0 - _c0), bw);
                return;
            }
        }
        // The mirror tile lies in later rows: write its transpose through a window of just that tile.
        using var win = _files[m]!.Map(_data + 8 * ((long)tile.Col0 * _n2 + tile.Row0), 8 * ((long)(w - 1) * _n2 + h), scattered: true);
        Transpose(src, ld, h, w, (double*)win.Pointer, _n2);
    }

    /// <summary>dst[j·ldd + i] = src[i·lds + j] in 8 × 8 blocks.</summary>
    private static void Transpose(double* src, int lds, int h, int w, double* dst, long ldd)
    {
        for (int j0 = 0; j0 < w; j0 += 8)
        {
            for (int i0 = 0; i0 < h; i0 += 8)
            {
                for (int j = j0; j < Math.Min(w, j0 + 8); j++)
                {
                    double* row = dst + j * ldd;
                    for (int i = i0; i < Math.Min(h, i0 + 8); i++) row[i] = src[(long)i * lds + j];
                }
            }
        }
    }

    /// <summary>Writes the band's rows (columns from the band's first column on; the part left of it was written as
    /// mirror tiles by earlier bands) with positioned writes, one per row or one for the whole band when rows are whole.</summary>
    public void EndBand()
    {
        int bw = _n2 - _c0;
        for (int m = 0; m < 2; m++)
        {
            if (_files[m] is not { } file) continue;
            var buffer = _buffers[m]!;
            var handle = file.Handle;
            if (_c0 == 0)
            {
                WriteDoubles(handle, buffer, 0, (long)(_r1 - _r0) * bw, _data + 8L * _r0 * _n2);
                continue;
            }
            for (int i = _r0; i < _r1; i++)
                WriteDoubles(handle, buffer, (long)(i - _r0) * bw, bw, _data + 8 * ((long)i * _n2 + _c0));
        }
    }

    private static void WriteDoubles(Microsoft.Win32.SafeHandles.SafeFileHandle handle, double[] buffer, long start, long count, long offset)
    {
        const int Chunk = 1 << 24;
        fixed (double* p = buffer)
        {
            for (long done = 0; done < count; done += Chunk)
            {
                int n = (int)Math.Min(Chunk, count - done);
                RandomAccess.Write(handle, new ReadOnlySpan<byte>(p + start + done, n * 8), offset + 8 * done);
            }
        }
    }

    public void Dispose()
    {
        _files[0]?.Dispose();
        _files[1]?.Dispose();
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
