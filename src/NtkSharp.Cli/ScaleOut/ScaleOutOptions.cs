using System.Globalization;

namespace NtkSharp.Cli.ScaleOut;

/// <summary>The scale-out options of <c>ntksharp kernel</c>: <c>--shard I/K</c>, or <c>--slurm K</c> with
/// <c>--sbatch</c>, <c>--wait</c> and <c>--resume</c>.</summary>
internal sealed record ScaleOutOptions((int Index, int Count)? Shard, int? SlurmShards, IReadOnlyList<string> SbatchArguments, bool Wait, bool Resume)
{
    /// <summary>Reads and cross-checks the options; <paramref name="device"/> is the <c>--device</c> text.</summary>
    public static ScaleOutOptions Parse(CliArguments args, string device)
    {
        string? shardText = args.Optional("shard");
        int? slurm = args.OptionalInt("slurm");
        string? sbatch = args.Optional("sbatch");
        bool wait = args.Flag("wait");
        bool resume = args.Flag("resume");
        if (shardText is not null && slurm is not null) throw new CliException("give either --shard I/K or --slurm K, not both");
        if (slurm is null)
        {
            if (sbatch is not null) throw new CliException("--sbatch goes with --slurm K");
            if (wait) throw new CliException("--wait goes with --slurm K");
            if (resume) throw new CliException("--resume goes with --slurm K");
        }
        if (slurm is <= 0) throw new CliException($"--slurm: the number of shards K must be at least 1 (got {slurm})");
        if ((shardText is not null || slurm is not null) && device != "cpu")
            throw new CliException($"--{(slurm is null ? "shard" : "slurm")}: shards are computed on the CPU engine; drop --device {device}");
        (int, int)? shard = shardText is null ? null : ParseShard(shardText);
        return new ScaleOutOptions(shard, slurm, sbatch is null ? [] : ShellWords.Split(sbatch, "--sbatch"), wait, resume);
    }

    private static (int, int) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int k))
            throw new CliException($"--shard: '{text}' is not I/K (block I, 0-based, of K), e.g. --shard 2/8");
        if (k < 1) throw new CliException($"--shard: K must be at least 1 (got {k})");
        if (i >= k) throw new CliException($"--shard: I must be between 0 and K - 1 = {k - 1} (got {i})");
        return (i, k);
    }
}
