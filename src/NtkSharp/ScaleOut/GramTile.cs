namespace NtkSharp.ScaleOut;

/// <summary>One tile of a Gram matrix: rows [<paramref name="Row0"/>, <paramref name="Row1"/>) (examples of x1) by
/// columns [<paramref name="Col0"/>, <paramref name="Col1"/>) (examples of x2), the unit of computation, writing,
/// progress and cancellation of the out-of-core and sharded paths.</summary>
/// <param name="Index">The tile's position in the band-major order of <see cref="GramTiling"/>.</param>
/// <param name="Row0">First row.</param>
/// <param name="Row1">One past the last row.</param>
/// <param name="Col0">First column.</param>
/// <param name="Col1">One past the last column.</param>
public readonly record struct GramTile(long Index, int Row0, int Row1, int Col0, int Col1)
{
    /// <summary>Rows of the tile.</summary>
    public int Height => Row1 - Row0;

    /// <summary>Columns of the tile.</summary>
    public int Width => Col1 - Col0;

    /// <summary>True for a tile on the diagonal of a symmetric Gram matrix (its lower triangle mirrors its upper).</summary>
    public bool IsDiagonal => Row0 == Col0 && Row1 == Col1;

    /// <summary>Values stored for the tile: <see cref="Height"/> × <see cref="Width"/>, row-major.</summary>
    public long Entries => (long)Height * Width;
}
