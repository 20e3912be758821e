using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.ScaleOut;

/// <summary>
/// Sharded Gram matrices: compute block I of K balanced blocks (<see cref="GramTiling.Block"/>) into a self-describing
/// shard (<see cref="KernelShardInfo"/> + raw float64 data files), on any machine, in any order, idempotently; then
/// <see cref="Merge"/> assembles the full .npy matrices out of core. A merged result is bit for bit the single-process
/// <see cref="OutOfCoreKernel.WriteNpy"/> result: both compute the same tiles with the same code.
/// </summary>
/// <remarks>Files of shard I of K in the shard folder: <c>shard-IIIII-of-KKKKK.json</c> (written last),
/// <c>shard-IIIII-of-KKKKK.nngp.f8</c> and <c>.ntk.f8</c>. Data files are written under <c>.partial</c> names and
/// renamed when complete; a killed run leaves at most stale <c>.partial</c> files, which the next run overwrites.</remarks>
public static class KernelShards
{
    /// <summary>The metadata file name of shard <paramref name="index"/> of <paramref name="count"/>: <c>shard-00002-of-00004.json</c>.</summary>
    public static string MetadataName(int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"shard-{index:D5}-of-{count:D5}.json");

    /// <summary>Hex SHA-256 over the shape and float64 values (little-endian) of x1, then of x2 (or the tag "x2:none").</summary>
    public static string InputsChecksum(Tensor x1, Tensor? x2)
    {
        ArgumentNullException.ThrowIfNull(x1);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "x1", x1);
        if (x2 is null) hash.AppendData("x2:none"u8);
        else Append(hash, "x2", x2);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string name, Tensor x)
    {
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes($"{name}:({string.Join(",", x.Shape)})"));
        var bytes = MemoryMarshal.AsBytes(x.Data.AsSpan());
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Shards are written on little-endian machines.");
        hash.AppendData(bytes);
    }

    /// <summary>The metadata shard <paramref name="index"/> of <paramref name="count"/> of this run will carry.</summary>
    public static KernelShardInfo Describe(Layer network, Tensor x1, Tensor? x2, KernelOutputs outputs, int index, int count,
        string? inputsChecksum = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x1);
        if (outputs == 0 || (outputs & ~KernelOutputs.Both) != 0)
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Ask for Nngp, Ntk or both.");
        var grid = new GramTiling(x1.Count, x2?.Count ?? x1.Count, x2 is null);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "The shard count K must be at least 1.");
        if (index < 0 || index >= count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The shard index I must be in [0, {count}) for K = {count}.");
        var block = grid.Block(index, count);
        string stem = MetadataName(index, count)[..^".json".Length];
        var names = new List<string>();
        var files = new Dictionary<string, string>();
        if ((outputs & KernelOutputs.Nngp) != 0)
        {
            names.Add("nngp");
            files["nngp"] = stem + ".nngp.f8";
        }
        if ((outputs & KernelOutputs.Ntk) != 0)
        {
            names.Add("ntk");
            files["ntk"] = stem + ".ntk.f8";
        }
        return new KernelShardInfo
        {
            Architecture = network.ToString(),
            InputsSha256 = inputsChecksum ?? InputsChecksum(x1, x2),
            X1Shape = x1.Shape,
            X2Shape = x2?.Shape,
            N1 = grid.N1,
            N2 = grid.N2,
            Symmetric = grid.IsSymmetric,
            Outputs = [.. names],
            TileRows = grid.TileRows,
            TileCols = grid.TileCols,
            ShardIndex = index,
            ShardCount = count,
            FirstTile = block.FirstTile,
            EndTile = block.EndTile,
            StoredEntries = block.StoredEntries,
            Files = files,
        };
    }

    /// <summary>True when <paramref name="shardDirectory"/> holds shard <paramref name="expected"/> complete: its
    /// metadata equals the expected one field by field and every data file has its full length.</summary>
    public static bool IsComplete(string shardDirectory, KernelShardInfo expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        string path = Path.Combine(shardDirectory, MetadataName(expected.ShardIndex, expected.ShardCount));
        if (!File.Exists(path)) return false;
        KernelShardInfo found;
        try
        {
            found = KernelShardInfo.Read(path);
        }
        catch (InvalidDataException)
        {
            return false;
        }
        return found.RunDifference(expected) is null && found.ShardIndex == expected.ShardIndex
            && found.FirstTile == expected.FirstTile && found.EndTile == expected.EndTile
            && found.Files.Count == expected.Files.Count
            && found.Files.All(f => expected.Files.TryGetValue(f.Key, out var n) && n == f.Value)
            && DataProblem(shardDirectory, found) is null;
    }

    /// <summary>
    /// Computes block <paramref name="index"/> of <paramref name="count"/> of the Gram matrices of
    /// <paramref name="network"/> on the CPU into <paramref name="shardDirectory"/>, unless that shard is already
    /// complete for the same run (<see cref="IsComplete"/>), which is then left as it is.
    /// </summary>
    /// <returns>The shard's metadata and whether it was skipped as complete.</returns>
    /// <exception cref="ArgumentException">Non-finite inputs, mismatched example shapes, an input shape the
    /// architecture cannot take, or an index outside [0, count).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (the shard's partial files are removed).</exception>
    public static (KernelShardInfo Info, bool Skipped) ComputeShard(Layer network, Tensor x1, Tensor? x2, KernelOutputs outputs,
        int index, int count, string shardDirectory, KernelOptions? options = null, IProgress<KernelProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shardDirectory);
        var plan = OutOfCoreKernel.Validate(network, x1, x2, outputs, ref options);
        var info = Describe(network, x1, x2, outputs, index, count);
        Directory.CreateDirectory(shardDirectory);
        if (IsComplete(shardDirectory, info)) return (info, true);

        string metaPath = Path.Combine(shardDirectory, MetadataName(index, count));
        OutOfCoreKernel.EnsureDiskSpace(metaPath, 8.0 * info.StoredEntries * info.Files.Count,
            $"shard {index} of {count} of the {info.N1}×{info.N2} kernel matrix(es) of x1 ({x1.Count} examples)");
        File.Delete(metaPath);
        var finals = info.Files.ToDictionary(f => f.Key, f => Path.Combine(shardDirectory, f.Value));
        var partials = finals.ToDictionary(f => f.Key, f => f.Value + ".partial");
        try
        {
            var grid = new GramTiling(info.N1, info.N2, info.Symmetric);
            var computer = TileComputer.Create(plan, x1, x2, outputs, options!, cancellationToken);
            using (var sink = new ShardSink(grid, grid.Block(index, count), partials.GetValueOrDefault("nngp"), partials.GetValueOrDefault("ntk")))
            {
                TileRunner.Run(grid, info.FirstTile, info.EndTile, computer, sink, progress, cancellationToken);
            }
            foreach (var (key, partial) in partials) File.Move(partial, finals[key], overwrite: true);
            File.WriteAllText(metaPath + ".partial", info.ToJson());
            File.Move(metaPath + ".partial", metaPath, overwrite: true);
        }
        catch
        {
            foreach (var partial in partials.Values) TryDelete(partial);
            TryDelete(metaPath + ".partial");
            throw;
        }
        return (info, false);
    }

    /// <summary>
    /// Reads and checks every shard metadata file (<c>shard-*.json</c>) of <paramref name="shardDirectory"/>: all from one
    /// run (same architecture, inputs checksum, sizes, outputs, tile grid and K), every block 0 … K−1 present exactly once
    /// with the coordinates of the plan, every data file complete.
    /// </summary>
    /// <returns>The shards, ordered by block.</returns>
    /// <exception cref="InvalidDataException">No shards, or missing, duplicate or mismatched ones; the message names them.</exception>
    public static IReadOnlyList<KernelShardInfo> Inspect(string shardDirectory)
    {
        ArgumentNullException.ThrowIfNull(shardDirectory);
        if (!Directory.Exists(shardDirectory)) throw new InvalidDataException($"No shard folder {shardDirectory}.");
        var files = Directory.GetFiles(shardDirectory, "shard-*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InvalidDataException($"No shards (shard-*.json) in {shardDirectory}.");
        var shards = files.Select(f => (Name: Path.GetFileName(f), Info: KernelShardInfo.Read(f))).ToList();

        var reference = shards[0];
        var mismatched = shards.Skip(1).Select(s => (s.Name, Diff: s.Info.RunDifference(reference.Info))).Where(s => s.Diff is not null).ToList();
        if (mismatched.Count > 0)
        {
            throw new InvalidDataException(
                $"Mismatched shards in {shardDirectory}: {string.Join("; ", mismatched.Select(m => $"{m.Name} differs from {reference.Name} in {m.Diff}"))}. Remove the shards of the other run.");
        }
        var info0 = reference.Info;
        var grid = new GramTiling(info0.N1, info0.N2, info0.Symmetric);
        if (grid.TileRows != info0.TileRows || grid.TileCols != info0.TileCols)
            throw new InvalidDataException($"{reference.Name}: tile grid {info0.TileRows}x{info0.TileCols} is not this version's {grid.TileRows}x{grid.TileCols}.");
        int count = info0.ShardCount;
        var problems = new List<string>();
        var byIndex = shards.GroupBy(s => s.Info.ShardIndex).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (index, group) in byIndex.OrderBy(g => g.Key))
        {
            if (index < 0 || index >= count) problems.Add($"{string.Join(", ", group.Select(g => g.Name))}: block {index} is outside 0..{count - 1}");
            else if (group.Count > 1) problems.Add($"duplicate shards for block {index}: {string.Join(", ", group.Select(g => g.Name))}");
        }
        var missing = Enumerable.Range(0, count).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (missing.Count > 0)
            problems.Add($"missing {missing.Count} of {count} shards: {string.Join(", ", missing.Select(i => MetadataName(i, count)))}");
        foreach (var (name, info) in shards)
        {
            if (info.ShardIndex < 0 || info.ShardIndex >= count) continue;
            if (name != MetadataName(info.ShardIndex, count)) problems.Add($"{name} holds block {info.ShardIndex} (expected name {MetadataName(info.ShardIndex, count)})");
            var block = grid.Block(info.ShardIndex, count);
            if (block.FirstTile != info.FirstTile || block.EndTile != info.EndTile || block.StoredEntries != info.StoredEntries)
                problems.Add($"{name}: block coordinates (tiles {info.FirstTile}..{info.EndTile}) differ from the plan (tiles {block.FirstTile}..{block.EndTile})");
            else if (DataProblem(shardDirectory, info) is { } p) problems.Add($"{name}: {p}");
        }
        if (problems.Count > 0) throw new InvalidDataException($"Incomplete shard set in {shardDirectory}: {string.Join("; ", problems)}.");
        return shards.Select(s => s.Info).OrderBy(s => s.ShardIndex).ToList();
    }

    /// <summary>
    /// Assembles the N1 × N2 float64 .npy matrices from a complete shard set (<see cref="Inspect"/>) out of core: each
    /// tile is read through a memory-mapped window of its shard's data file into the band of rows being assembled (at
    /// most <see cref="KernelOptions.DefaultMemoryBudgetBytes"/>), and when symmetric its transpose goes into its mirror
    /// position (in the band, or through a memory-mapped window of later rows), so neither the shards nor the result are
    /// ever held whole.
    /// </summary>
    /// <param name="shardDirectory">The folder of the shards.</param>
    /// <param name="nngpPath">Where to write the NNGP matrix (null: not written; the shards must hold it otherwise).</param>
    /// <param name="ntkPath">Where to write the NTK matrix (null: not written).</param>
    /// <param name="progress">Tiles merged.</param>
    /// <param name="cancellationToken">Checked between tiles.</param>
    /// <returns>The metadata of the shards merged.</returns>
    /// <exception cref="InvalidDataException">An incomplete or mismatched shard set, or an output the shards do not hold.</exception>
    public static unsafe IReadOnlyList<KernelShardInfo> Merge(string shardDirectory, string? nngpPath, string? ntkPath,
        IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var shards = Inspect(shardDirectory);
        var info0 = shards[0];
        if (nngpPath is not null && !info0.Files.ContainsKey("nngp")) throw new InvalidDataException($"The shards in {shardDirectory} hold no NNGP kernel.");
        if (ntkPath is not null && !info0.Files.ContainsKey("ntk")) throw new InvalidDataException($"The shards in {shardDirectory} hold no NTK.");
        var grid = new GramTiling(info0.N1, info0.N2, info0.Symmetric);
        var where = new Dictionary<long, (KernelShardInfo Shard, long Offset)>();
        foreach (var shard in shards)
        {
            foreach (var (tile, offset) in ShardSink.TileOffsets(grid, grid.Block(shard.ShardIndex, shard.ShardCount))) where[tile] = (shard, offset);
        }
        long done = 0;
        int rows = NpyMatrixSink.RowsFor(grid, KernelOptions.DefaultMemoryBudgetBytes, (nngpPath is null ? 0 : 1) + (ntkPath is null ? 0 : 1));
        using var sink = new NpyMatrixSink(nngpPath, ntkPath, grid.N1, grid.N2, grid.IsSymmetric, rows);
        var po = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = 2 };
        OutOfCoreKernel.ForEachBand(grid, sink, (first, end) => Parallel.For(first, end, po, ti =>
        {
            var tile = grid.Tile(ti);
            var (shard, offset) = where[ti];
            long bytes = 8 * tile.Entries;
            using var k = nngpPath is null ? null : MappedFile.OpenRead(Path.Combine(shardDirectory, shard.Files["nngp"]));
            using var t = ntkPath is null ? null : MappedFile.OpenRead(Path.Combine(shardDirectory, shard.Files["ntk"]));
            using var wk = k?.Map(offset, bytes);
            using var wt = t?.Map(offset, bytes);
            sink.Write(tile, wk is { } a ? (double*)a.Pointer : null, wt is { } b ? (double*)b.Pointer : null, tile.Width);
            if (progress is not null) progress.Report(new KernelProgress(Interlocked.Increment(ref done), grid.TileCount));
        }));
        return shards;
    }

    /// <summary>Why a shard's data files are unusable (missing or of the wrong length), or null.</summary>
    private static string? DataProblem(string shardDirectory, KernelShardInfo info)
    {
        foreach (var (key, name) in info.Files)
        {
            var file = new FileInfo(Path.Combine(shardDirectory, name));
            if (!file.Exists) return $"{key} data file {name} is missing";
            if (file.Length != 8 * info.StoredEntries) return $"{key} data file {name} has {file.Length} bytes, expected {8 * info.StoredEntries}";
        }
        return null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
