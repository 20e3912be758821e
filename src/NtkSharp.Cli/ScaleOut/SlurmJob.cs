using System.Globalization;
using System.Text;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.ScaleOut;

namespace NtkSharp.Cli.ScaleOut;

/// <summary>
/// <c>ntksharp kernel … --slurm K</c>: writes an array-job script whose task I runs this same executable with
/// <c>--shard I/K</c>, and a merge script; submits the array (all K blocks, or with <c>--resume</c> only those not yet
/// complete) and the merge with <c>--dependency=afterok</c>; with <c>--wait</c> polls squeue until both are done.
/// </summary>
internal sealed class SlurmJob(string dir, Layer network, Tensor x1, Tensor? x2, string x1Path, string? x2Path,
    KernelOutputs outputs, int? threads, int count, IReadOnlyList<string> sbatchArguments)
{
    /// <summary>Seconds between two squeue polls of <c>--wait</c> (environment <c>NTKSHARP_SLURM_POLL_SECONDS</c>, default 2).</summary>
    private static double PollSeconds =>
        double.TryParse(Environment.GetEnvironmentVariable("NTKSHARP_SLURM_POLL_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 2.0;

    private string ShardDir => Path.Combine(dir, "shards");

    private string LogDir => Path.Combine(dir, "logs");

    public int Submit(bool resume, bool wait, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(ShardDir);
            Directory.CreateDirectory(LogDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out: cannot create '{dir}': {CliErrors.IoReason(e)}", CliException.IoFailure);
        }
        string checksum = KernelShards.InputsChecksum(x1, x2);
        var todo = Enumerable.Range(0, count)
            .Where(i => !resume || !KernelShards.IsComplete(ShardDir, KernelShards.Describe(network, x1, x2, outputs, i, count, checksum)))
            .ToList();
        string archFile = Path.Combine(dir, "architecture.txt");
        File.WriteAllText(archFile, network.ToString() + "\n");
        string shardScript = Path.Combine(dir, "ntksharp-shards.sbatch");
        string mergeScript = Path.Combine(dir, "ntksharp-merge.sbatch");
        File.WriteAllText(shardScript, ShardScript(archFile));
        File.WriteAllText(mergeScript, MergeScript());
        var started = DateTime.UtcNow;

        string? arrayId = null;
        if (todo.Count > 0)
        {
            var args = new List<string> { "--array=" + ArraySpec(todo) };
            args.AddRange(sbatchArguments);
            args.Add(shardScript);
            arrayId = SlurmCommands.Submit(args, ct);
        }
        var mergeArgs = new List<string>();
        if (arrayId is not null) mergeArgs.Add("--dependency=afterok:" + arrayId);
        mergeArgs.AddRange(sbatchArguments);
        mergeArgs.Add(mergeScript);
        string mergeId = SlurmCommands.Submit(mergeArgs, ct);

        stdout.WriteLine(arrayId is null
            ? $"kernel: all {count} shards already complete in {ShardDir}; no array job submitted"
            : $"kernel: array job {arrayId} submitted: shards {ArraySpec(todo)} of {count} ({shardScript})");
        stdout.WriteLine($"kernel: merge job {mergeId} submitted{(arrayId is null ? "" : $" with --dependency=afterok:{arrayId}")} ({mergeScript}); logs in {LogDir}");
        stdout.Flush();
        if (!wait) return 0;
        return Wait(arrayId, mergeId, todo, started, stdout, stderr, ct);
    }

    private int Wait(string? arrayId, string mergeId, List<int> todo, DateTime started, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var poll = TimeSpan.FromSeconds(PollSeconds);
        if (arrayId is not null)
        {
            while (SlurmCommands.InQueue(arrayId, ct)) Task.Delay(poll, ct).GetAwaiter().GetResult();
            string checksum = KernelShards.InputsChecksum(x1, x2);
            var failed = todo.Where(i => !KernelShards.IsComplete(ShardDir, KernelShards.Describe(network, x1, x2, outputs, i, count, checksum))).ToList();
            if (failed.Count > 0)
            {
                // The merge depends on every task with afterok: it can never start now.
                SlurmCommands.Run("scancel", [mergeId], ct);
                int first = failed[0];
                string log = Path.Combine(LogDir, string.Create(CultureInfo.InvariantCulture, $"shard-{first}.log"));
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"--slurm: shard {first} of {count} (job {arrayId}_{first}) failed{(failed.Count > 1 ? $", and {failed.Count - 1} more ({string.Join(", ", failed.Skip(1))})" : "")}: {LastLogLine(log)} (log {log}); rerun with --resume to submit only the missing shards"),
                    CliException.IoFailure);
            }
        }
        while (SlurmCommands.InQueue(mergeId, ct)) Task.Delay(poll, ct).GetAwaiter().GetResult();
        string mergeLog = Path.Combine(LogDir, "merge.log");
        var missing = OutputNames().Select(n => Path.Combine(dir, n)).Where(p => !File.Exists(p) || File.GetLastWriteTimeUtc(p) < started.AddSeconds(-2)).ToList();
        if (missing.Count > 0)
            throw new CliException($"--slurm: the merge job {mergeId} did not write {string.Join(", ", missing)}: {LastLogLine(mergeLog)} (log {mergeLog})", CliException.IoFailure);
        stdout.WriteLine($"kernel: done: {string.Join(", ", OutputNames().Select(n => Path.Combine(dir, n)))} ({x1.Count}, {x2?.Count ?? x1.Count})");
        return 0;
    }

    private IEnumerable<string> OutputNames()
    {
        if (outputs.HasFlag(KernelOutputs.Nngp)) yield return "nngp.npy";
        if (outputs.HasFlag(KernelOutputs.Ntk)) yield return "ntk.npy";
    }

    private static string LastLogLine(string log) =>
        File.Exists(log) ? SlurmCommands.LastLine(File.ReadAllText(log)) : "(no log file)";

    /// <summary>"0-3" for a full range, "1,3" otherwise.</summary>
    private static string ArraySpec(List<int> indices) =>
        indices.Count > 1 && indices[^1] - indices[0] == indices.Count - 1
            ? string.Create(CultureInfo.InvariantCulture, $"{indices[0]}-{indices[^1]}")
            : string.Join(',', indices.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private string ShardScript(string archFile)
    {
        var words = new List<string>(CurrentExecutable()) { "kernel", "--arch-file", archFile, "--x1", x1Path };
        if (x2Path is not null) words.AddRange(["--x2", x2Path]);
        words.AddRange(["--get", GetText(), "--out", dir, "--no-progress"]);
        if (threads is { } t) words.AddRange(["--threads", t.ToString(CultureInfo.InvariantCulture)]);
        return Script("ntksharp-shards", Path.Combine(LogDir, "shard-%a.log"),
            string.Join(' ', words.Select(ShellWords.Quote)) + string.Create(CultureInfo.InvariantCulture, $" --shard \"${{SLURM_ARRAY_TASK_ID}}/{count}\""));
    }

    private string MergeScript()
    {
        var words = new List<string>(CurrentExecutable()) { "merge", "--out", dir, "--no-progress" };
        return Script("ntksharp-merge", Path.Combine(LogDir, "merge.log"), string.Join(' ', words.Select(ShellWords.Quote)));
    }

    private static string Script(string name, string log, string command)
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append("# Written by ntksharp kernel --slurm; submit with sbatch (see docs/scale-out.md).\n");
        sb.Append("#SBATCH --job-name=").Append(name).Append('\n');
        sb.Append("#SBATCH --output=").Append(log).Append('\n');
        sb.Append("set -euo pipefail\n");
        sb.Append("exec ").Append(command).Append('\n');
        return sb.ToString();
    }

    private string GetText() => outputs switch
    {
        KernelOutputs.Nngp => "nngp",
        KernelOutputs.Ntk => "ntk",
        _ => "nngp,ntk",
    };

    /// <summary>The command line of the executable running now: the <c>ntksharp</c> tool (apphost) itself, or the
    /// dotnet host with NtkSharp.Cli.dll (<c>dotnet NtkSharp.Cli.dll</c>, or this process hosted by another program).</summary>
    internal static IReadOnlyList<string> CurrentExecutable()
    {
        string? process = Environment.ProcessPath;
        string dll = typeof(Program).Assembly.Location;
        string name = Path.GetFileNameWithoutExtension(process ?? "");
        if (process is not null && name.Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return [process, dll];
        if (process is not null && (name.Equals("ntksharp", StringComparison.OrdinalIgnoreCase) || name.Equals("NtkSharp.Cli", StringComparison.OrdinalIgnoreCase)))
            return [process];
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return [string.IsNullOrEmpty(host) ? "dotnet" : host, dll];
    }
}
