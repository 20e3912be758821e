using System.Text.Json;
using System.Text.Json.Serialization;

namespace NtkSharp.ScaleOut;

/// <summary>
/// The self-describing metadata of one shard (<c>shard-IIIII-of-KKKKK.json</c>, written last, when the shard's data
/// files are complete): what was computed (architecture text, SHA-256 of the inputs, sizes, outputs), where in the
/// Gram matrix (the tile grid and the block's tiles) and in which files. A merge compares these fields across shards
/// and refuses mixed runs.
/// </summary>
public sealed record KernelShardInfo
{
    /// <summary>The format tag of this metadata: <c>ntksharp-kernel-shard/1</c>.</summary>
    public const string CurrentFormat = "ntksharp-kernel-shard/1";

    /// <summary>The format tag (<see cref="CurrentFormat"/>).</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The architecture as <see cref="Layers.Layer.ToString"/> prints it (round-trips through <c>Layer.Parse</c>).</summary>
    public required string Architecture { get; init; }

    /// <summary>Hex SHA-256 of the inputs (<see cref="KernelShards.InputsChecksum"/>): shapes and float64 values of x1 and x2.</summary>
    public required string InputsSha256 { get; init; }

    /// <summary>Shape of x1.</summary>
    public required int[] X1Shape { get; init; }

    /// <summary>Shape of x2, or null when x2 was absent (symmetric Gram matrix).</summary>
    public int[]? X2Shape { get; init; }

    /// <summary>Rows of the Gram matrix.</summary>
    public required int N1 { get; init; }

    /// <summary>Columns of the Gram matrix.</summary>
    public required int N2 { get; init; }

    /// <summary>True when only tiles on and above the diagonal are stored.</summary>
    public required bool Symmetric { get; init; }

    /// <summary>The outputs held: "nngp" and/or "ntk".</summary>
    public required string[] Outputs { get; init; }

    /// <summary>Rows per tile of the grid (<see cref="GramTiling.TileRows"/>).</summary>
    public required int TileRows { get; init; }

    /// <summary>Columns per tile (<see cref="GramTiling.TileCols"/>).</summary>
    public required int TileCols { get; init; }

    /// <summary>The shard's block number I (0-based).</summary>
    public required int ShardIndex { get; init; }

    /// <summary>The number of blocks K.</summary>
    public required int ShardCount { get; init; }

    /// <summary>The block's first tile (band-major order of <see cref="GramTiling"/>).</summary>
    public required long FirstTile { get; init; }

    /// <summary>One past the block's last tile.</summary>
    public required long EndTile { get; init; }

    /// <summary>Values stored per output file: the sum of the tiles' heights × widths.</summary>
    public required long StoredEntries { get; init; }

    /// <summary>Data file name per output ("nngp", "ntk"), relative to the metadata file's folder.</summary>
    public required Dictionary<string, string> Files { get; init; }

    /// <summary>Element type of the data files: little-endian float64 (<c>&lt;f8</c>).</summary>
    public string DType { get; init; } = "<f8";

    /// <summary>How the data files are laid out.</summary>
    public string Layout { get; init; } = "the block's tiles back to back in band-major order, each row-major (height x width); no header";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The metadata as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the metadata from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not valid shard metadata (the message names the file).</exception>
    public static KernelShardInfo Read(string path)
    {
        try
        {
            var info = JsonSerializer.Deserialize<KernelShardInfo>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty shard metadata.");
            if (info.Format != CurrentFormat)
                throw new InvalidDataException($"{path}: shard format '{info.Format}' is not {CurrentFormat}.");
            return info;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid shard metadata ({e.Message})", e);
        }
    }

    /// <summary>The fields that must agree across the shards of one run, with the first that differs from
    /// <paramref name="other"/> named (null when they all agree).</summary>
    public string? RunDifference(KernelShardInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Architecture != other.Architecture) return "architecture";
        if (InputsSha256 != other.InputsSha256) return "inputs checksum";
        if (!X1Shape.SequenceEqual(other.X1Shape) || !(X2Shape ?? []).SequenceEqual(other.X2Shape ?? []) || (X2Shape is null) != (other.X2Shape is null))
            return "input shapes";
        if (N1 != other.N1 || N2 != other.N2 || Symmetric != other.Symmetric) return "matrix size";
        if (!Outputs.SequenceEqual(other.Outputs)) return "outputs";
        if (TileRows != other.TileRows || TileCols != other.TileCols) return "tile grid";
        if (ShardCount != other.ShardCount) return "shard count";
        return null;
    }
}
