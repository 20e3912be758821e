namespace NtkSharp.ScaleOut;

/// <summary>
/// Block <paramref name="Index"/> of <paramref name="Count"/> balanced blocks of a Gram matrix (<see cref="GramTiling.Block"/>):
/// the contiguous run of tiles [<paramref name="FirstTile"/>, <paramref name="EndTile"/>) in band-major order, holding
/// about 1/<paramref name="Count"/> of the entries to compute (the upper triangle when the matrix is symmetric).
/// </summary>
/// <param name="Index">0-based block number.</param>
/// <param name="Count">Blocks in all.</param>
/// <param name="FirstTile">First tile of the block.</param>
/// <param name="EndTile">One past its last tile (equal to <paramref name="FirstTile"/> for an empty block, which happens
/// only when there are more blocks than tiles).</param>
/// <param name="Work">Entries the block computes (a diagonal tile of h rows counts h(h+1)/2).</param>
/// <param name="StoredEntries">Values the block stores (whole tiles, <see cref="GramTile.Entries"/> each).</param>
public sealed record GramBlock(int Index, int Count, long FirstTile, long EndTile, long Work, long StoredEntries)
{
    /// <summary>Tiles in the block.</summary>
    public long TileCount => EndTile - FirstTile;
}
