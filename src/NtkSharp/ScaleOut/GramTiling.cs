namespace NtkSharp.ScaleOut;

/// <summary>
/// The fixed tile grid of an N1 × N2 Gram matrix that the out-of-core writer, the shards and the merge share. Tiles are
/// squares of <see cref="TileRows"/> × <see cref="TileCols"/> entries (smaller at the last row and column), numbered in
/// band-major order (tile row by tile row, left to right); a symmetric matrix (x2 absent) has only the tiles on and
/// above the diagonal, the lower triangle being their mirror image.
/// </summary>
/// <remarks>
/// The grid depends on N1, N2 and symmetry only, never on the number of shards or threads, and every entry is computed
/// by the same code inside the same tile whatever runs it: a sharded run merged is bit for bit the single-process run.
/// The side is N/16 rounded up to a multiple of 8, between 8 and 256 (256 × 256 tiles keep a fully-connected tile's
/// Gram rows and kernel registers in the L2 cache; the lower bound keeps small problems divisible among shards).
/// </remarks>
public sealed class GramTiling
{
    /// <summary>The largest tile side.</summary>
    public const int MaxSide = 256;

    private readonly long[] _bandStart;

    /// <summary>The grid of an <paramref name="n1"/> × <paramref name="n2"/> Gram matrix; <paramref name="symmetric"/>
    /// when x2 is x1 (then <paramref name="n2"/> must equal <paramref name="n1"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive size, or a symmetric matrix that is not square.</exception>
    public GramTiling(int n1, int n2, bool symmetric)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n1, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n2, 1);
        if (symmetric && n1 != n2) throw new ArgumentOutOfRangeException(nameof(n2), n2, $"A symmetric Gram matrix is square: n2 must equal n1 = {n1}.");
        N1 = n1;
        N2 = n2;
        IsSymmetric = symmetric;
        TileRows = Side(n1);
        TileCols = symmetric ? TileRows : Side(n2);
        RowTiles = (n1 + TileRows - 1) / TileRows;
        ColTiles = (n2 + TileCols - 1) / TileCols;
        _bandStart = new long[RowTiles + 1];
        for (int b = 0; b < RowTiles; b++) _bandStart[b + 1] = _bandStart[b] + (symmetric ? RowTiles - b : ColTiles);
        TileCount = _bandStart[RowTiles];
    }

    /// <summary>Rows (examples of x1).</summary>
    public int N1 { get; }

    /// <summary>Columns (examples of x2, or of x1 when symmetric).</summary>
    public int N2 { get; }

    /// <summary>True when x2 is x1: only tiles on and above the diagonal exist.</summary>
    public bool IsSymmetric { get; }

    /// <summary>Rows per tile (the last tile row may have fewer).</summary>
    public int TileRows { get; }

    /// <summary>Columns per tile (the last tile column may have fewer).</summary>
    public int TileCols { get; }

    /// <summary>Tile rows (bands).</summary>
    public int RowTiles { get; }

    /// <summary>Tile columns.</summary>
    public int ColTiles { get; }

    /// <summary>Tiles in the grid: RowTiles·(RowTiles + 1)/2 when symmetric, RowTiles·ColTiles otherwise.</summary>
    public long TileCount { get; }

    /// <summary>The tile side for <paramref name="n"/> examples: ⌈n/16⌉ rounded up to a multiple of 8, within [8, 256].</summary>
    public static int Side(int n) => Math.Clamp((int)(((n + 15L) / 16 + 7) / 8 * 8), 8, MaxSide);

    /// <summary>The tile at <paramref name="index"/> in band-major order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, <see cref="TileCount"/>).</exception>
    public GramTile Tile(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, TileCount);
        int band = Array.BinarySearch(_bandStart, index);
        if (band < 0) band = ~band - 1;
        while (band + 1 < _bandStart.Length && _bandStart[band + 1] <= index) band++;
        int col = (int)(index - _bandStart[band]) + (IsSymmetric ? band : 0);
        int r0 = band * TileRows, c0 = col * TileCols;
        return new GramTile(index, r0, Math.Min(N1, r0 + TileRows), c0, Math.Min(N2, c0 + TileCols));
    }

    /// <summary>The index of the first tile of tile row (band) <paramref name="band"/>; <see cref="TileCount"/> for
    /// <paramref name="band"/> = <see cref="RowTiles"/>.</summary>
    public long BandStart(int band)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(band);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(band, RowTiles);
        return _bandStart[band];
    }

    /// <summary>Entries computed for a tile: h(h+1)/2 for a diagonal tile of a symmetric matrix, h·w otherwise.</summary>
    public long Work(GramTile tile) => IsSymmetric && tile.IsDiagonal ? (long)tile.Height * (tile.Height + 1) / 2 : tile.Entries;

    /// <summary>Entries to compute in all: N(N+1)/2 when symmetric, N1·N2 otherwise.</summary>
    public long TotalWork => IsSymmetric ? (long)N1 * (N1 + 1) / 2 : (long)N1 * N2;

    /// <summary>
    /// Block <paramref name="index"/> of <paramref name="count"/> balanced blocks: the tiles are cut, in band-major
    /// order, into <paramref name="count"/> contiguous runs whose computed entries (<see cref="Work"/>) are as equal as
    /// whole tiles allow. Together the blocks cover every tile exactly once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1 or <paramref name="index"/> outside [0, count).</exception>
    public GramBlock Block(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        long first = Boundary(index, count), end = Boundary(index + 1, count);
        long work = 0, stored = 0;
        for (long t = first; t < end; t++)
        {
            var tile = Tile(t);
            work += Work(tile);
            stored += tile.Entries;
        }
        return new GramBlock(index, count, first, end, work, stored);
    }

    /// <summary>The first tile of block <paramref name="k"/>: the first tile before which at least k/count of the work lies.</summary>
    private long Boundary(int k, int count)
    {
        if (k == 0) return 0;
        if (k == count) return TileCount;
        var target = (Int128)TotalWork * k;
        long before = 0;
        for (long t = 0; t < TileCount; t++)
        {
            if ((Int128)before * count >= target) return t;
            before += Work(Tile(t));
        }
        return TileCount;
    }
}
