using System.Diagnostics;
using System.Globalization;
using NtkSharp.ScaleOut;

namespace NtkSharp.Cli.Commands;

/// <summary><c>ntksharp merge</c>: assembles the shards of <c>ntksharp kernel --shard I/K</c> in DIR/shards into
/// DIR/nngp.npy and DIR/ntk.npy, out of core.</summary>
internal sealed class MergeCommand : ICliCommand
{
    public string Name => "merge";

    public string Summary => "assemble the shards of kernel --shard I/K (DIR/shards) into DIR/nngp.npy, DIR/ntk.npy, out of core";

    public string Help => string.Join('\n',
        "Usage: ntksharp merge --out DIR [--no-progress]",
        "",
        "Assembles the Gram matrices from the shards that `ntksharp kernel … --out DIR --shard I/K` wrote for I = 0 … K-1",
        "into DIR/shards. Every shard must be present exactly once and all must come from the same run (architecture,",
        "inputs checksum, sizes, outputs, K); otherwise nothing is written and the error names the missing, duplicate or",
        "mismatched shards. The merge works through memory-mapped windows, tile by tile (the lower triangle of a",
        "symmetric matrix mirrored from the upper), and never holds a whole matrix in memory.",
        "",
        "Options:",
        "  --out DIR         the folder given to kernel --out; reads DIR/shards, writes DIR/nngp.npy and/or DIR/ntk.npy",
        "  --no-progress     no progress line on stderr",
        "",
        "Writes the outputs the shards hold, float64 C-order .npy, identical to a single-process ntksharp kernel run.",
        "Missing, duplicate or mismatched shards are bad input (exit code 2).",
        "",
        CliInputs.ExitCodesHelp,
        "",
        "Example:",
        "  ntksharp kernel --arch \"Serial(Dense(512), Relu(), Dense(1))\" --x1 x.npy --out k --shard 0/2",
        "  ntksharp kernel --arch \"Serial(Dense(512), Relu(), Dense(1))\" --x1 x.npy --out k --shard 1/2",
        "  ntksharp merge --out k");

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string dir = args.Required("out");
        bool progressOn = !args.Flag("no-progress");
        args.EnsureAllUsed();
        string shardDir = Path.Combine(dir, "shards");
        IReadOnlyList<KernelShardInfo> shards;
        try
        {
            shards = KernelShards.Inspect(shardDir);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message.TrimEnd('.'));
        }
        var info = shards[0];
        string[] files = [.. info.Outputs.Select(o => o + ".npy")];
        using var output = AtomicOutputs.Create(dir, "--out", cancellationToken, files);
        var progress = new ConsoleProgress(stderr, "merge", progressOn);
        try
        {
            KernelShards.Merge(shardDir, info.Files.ContainsKey("nngp") ? output.TemporaryPath("nngp.npy") : null,
                info.Files.ContainsKey("ntk") ? output.TemporaryPath("ntk.npy") : null, progress, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message.TrimEnd('.'));
        }
        finally
        {
            progress.Finish();
        }
        var written = output.Commit();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"merge: {shards.Count} shards -> {string.Join(", ", written)} ({info.N1}, {info.N2}); total {clock.Elapsed.TotalSeconds:F3} s"));
        return 0;
    }
}
