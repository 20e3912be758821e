using NtkSharp.ScaleOut;
using Xunit;

namespace NtkSharp.Tests.ScaleOut;

public class GramTilingTests
{
    [Theory]
    [InlineData(37, 37, true)]
    [InlineData(45, 29, false)]
    [InlineData(300, 300, true)]
    [InlineData(5, 3, false)]
    public void Tiles_AllOfThem_CoverTheComputedEntriesExactlyOnce(int n1, int n2, bool symmetric)
    {
        var grid = new GramTiling(n1, n2, symmetric);
        var hits = new int[n1, n2];
        for (long t = 0; t < grid.TileCount; t++)
        {
            var tile = grid.Tile(t);
            Assert.Equal(t, tile.Index);
            for (int i = tile.Row0; i < tile.Row1; i++)
            {
                for (int j = tile.Col0; j < tile.Col1; j++) hits[i, j]++;
            }
        }
        for (int i = 0; i < n1; i++)
        {
            for (int j = 0; j < n2; j++)
            {
                // Symmetric grids hold whole diagonal tiles, so entries below the diagonal inside them are covered too.
                int expected = !symmetric || j >= i || (i / grid.TileRows == j / grid.TileCols) ? 1 : 0;
                Assert.True(hits[i, j] == expected, $"entry ({i}, {j}) covered {hits[i, j]} times, expected {expected}");
            }
        }
    }

    [Theory]
    [InlineData(37, 1)]
    [InlineData(37, 4)]
    [InlineData(300, 7)]
    [InlineData(300, 64)]
    [InlineData(20, 30)]
    public void Block_EveryIndex_PartitionTheTilesWithBalancedWork(int n, int count)
    {
        var grid = new GramTiling(n, n, true);
        long next = 0, work = 0, maxTile = 0;
        for (long t = 0; t < grid.TileCount; t++) maxTile = Math.Max(maxTile, grid.Work(grid.Tile(t)));
        var works = new List<long>();
        for (int k = 0; k < count; k++)
        {
            var block = grid.Block(k, count);
            Assert.True(block.FirstTile == next, $"block {k} starts at tile {block.FirstTile}, expected {next}");
            next = block.EndTile;
            work += block.Work;
            works.Add(block.Work);
        }
        Assert.Equal(grid.TileCount, next);
        // The upper triangle with the diagonal: n(n + 1)/2 entries, computed once over all blocks.
        Assert.Equal((long)n * (n + 1) / 2, work);
        double ideal = (double)work / count;
        Assert.True(works.Max() <= ideal + maxTile, $"largest block {works.Max()} entries, ideal {ideal:F0}, largest tile {maxTile}");
    }

    [Fact]
    public void Side_SizesOfProblems_MultipleOfEightWithinBounds()
    {
        Assert.Equal(8, GramTiling.Side(1));
        Assert.Equal(8, GramTiling.Side(128));
        Assert.Equal(256, GramTiling.Side(4000));
        Assert.Equal(256, GramTiling.Side(50_000));
        Assert.Equal(64, GramTiling.Side(1000));
    }
}
