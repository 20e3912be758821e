using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.IO;
using NtkSharp.Kernels;
using NtkSharp.ScaleOut;
using NtkSharp.Cli.ScaleOut;

namespace NtkSharp.Cli.Commands;

/// <summary>
/// <c>ntksharp kernel</c>: the NNGP and NTK Gram matrices of an architecture between two batches of .npy inputs,
/// written as .npy (neural-tangents' <c>kernel_fn(x1, x2, get)</c>).
/// </summary>
internal sealed class KernelCommand : ICliCommand
{
    public string Name => "kernel";

    public string Summary => "NNGP and NTK Gram matrices of an architecture between .npy inputs, written as .npy";

    public string Help => string.Join('\n',
        "Usage: ntksharp kernel --arch TEXT --x1 FILE [--x2 FILE] [--get nngp,ntk] [--device D] [--precision P]",
        "                       [--threads K] --out DIR",
        "       ntksharp kernel … --out DIR --shard I/K",
        "       ntksharp kernel … --out DIR --slurm K [--sbatch \"extra sbatch args\"] [--wait] [--resume]",
        "",
        "Computes the infinite-width NNGP kernel K(x, x') = E[f(x) f(x')] and neural tangent kernel",
        "Θ(x, x') = E[∂f(x)/∂θ · ∂f(x')/∂θ] of the architecture between every example of x1 and every example of x2",
        "(x1 itself when --x2 is not given), like neural-tangents' kernel_fn(x1, x2, get).",
        "",
        "Options:",
        CliInputs.ArchitectureHelp,
        "  --x1 FILE         .npy inputs, float32 or float64 (C or Fortran order), batch axis first: (N1, d) vectors,",
        "                    (N1, L, C) signals or (N1, H, W, C) images; what the engine supports depends on the layers",
        "  --x2 FILE         second batch, same per-example shape (default: x1; the matrices are then symmetric)",
        "  --get LIST        nngp, ntk or nngp,ntk (default: both)",
        CliInputs.DeviceHelp,
        "  --precision P     float64 (default) or float32: the GPU engine's device storage and transfers in single",
        "                    precision (about 1e-7 to 1e-6 relative; arithmetic stays double); ignored on the CPU",
        "  --threads K       CPU threads (default: all cores)",
        "  --out DIR         output folder, created if missing; existing nngp.npy/ntk.npy there are replaced",
        "  --no-progress     no progress line on stderr (otherwise shown for runs over a second)",
        "  --shard I/K       compute only block I (0-based) of K balanced blocks of the Gram matrix (the upper triangle",
        "                    when --x2 is absent) into DIR/shards/shard-IIIII-of-KKKKK.json + .nngp.f8/.ntk.f8; a shard",
        "                    already complete for the same architecture and inputs is skipped; assemble with ntksharp merge",
        "  --slurm K         run on a Slurm cluster: writes DIR/ntksharp-shards.sbatch and DIR/ntksharp-merge.sbatch, submits",
        "                    sbatch --array=0-(K-1) (each task runs this executable with --shard) and a merge job with",
        "                    --dependency=afterok, prints both job ids; logs in DIR/logs/",
        "  --sbatch ARGS     extra sbatch arguments for both jobs, e.g. \"--partition=gpu --time=02:00:00\"",
        "  --wait            with --slurm: poll squeue until the merge is done; exit 1 with the failed task's last log line",
        "  --resume          with --slurm: submit only the shards not yet complete in DIR/shards (then the merge)",
        "",
        "Writes DIR/nngp.npy and DIR/ntk.npy (those requested): float64, C order, shape (N1, N2), numpy.load-able.",
        "On the CPU they are written a band of rows at a time, the mirror tiles through memory-mapped windows (no",
        "whole matrix in memory), so results larger than the machine's memory work; a sharded or Slurm run merged is",
        "bit for bit the same.",
        "Prints one summary line on stdout.",
        CliInputs.ExitCodesHelp,
        "",
        "Example:",
        "  ntksharp kernel --arch \"Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5))\" \\",
        "                  --x1 train.npy --x2 test.npy --get ntk --out kernels");

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var network = CliInputs.Architecture(args);
        string x1Path = args.Required("x1");
        string? x2Path = args.Optional("x2");
        var x1 = CliInputs.Batch(args, "x1");
        var x2 = CliInputs.OptionalBatch(args, "x2");
        if (x2 is not null) CliInputs.SameExampleShape(x1, x2);
        CliInputs.ArchitectureTakes(network, x1, "x1");
        var outputs = CliInputs.Outputs(args);
        var options = CliInputs.KernelOptions(args) with { Precision = CliInputs.Precision(args) };
        bool progressOn = !args.Flag("no-progress");
        string dir = args.Required("out");
        string deviceText = (args.Optional("device") ?? "cpu").Trim().ToLowerInvariant();
        var openDevice = CliInputs.Device(args);
        var scale = ScaleOutOptions.Parse(args, deviceText);
        args.EnsureAllUsed();
        string[] files = [.. new[] { (KernelOutputs.Nngp, "nngp.npy"), (KernelOutputs.Ntk, "ntk.npy") }.Where(f => outputs.HasFlag(f.Item1)).Select(f => f.Item2)];

        if (scale.SlurmShards is { } k)
        {
            var job = new SlurmJob(Path.GetFullPath(dir), network, x1, x2, Path.GetFullPath(x1Path), x2Path is null ? null : Path.GetFullPath(x2Path),
                outputs, options.MaxDegreeOfParallelism, k, scale.SbatchArguments);
            return job.Submit(scale.Resume, scale.Wait, stdout, stderr, cancellationToken);
        }
        var progress = new ConsoleProgress(stderr, "kernel", progressOn);
        var computeClock = Stopwatch.StartNew();
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"x1 {CliInputs.Shape(x1.Shape)}, x2 {(x2 is null ? "= x1" : CliInputs.Shape(x2.Shape))}");
        if (scale.Shard is { } shard)
        {
            string shardDir = Path.Combine(dir, "shards");
            (KernelShardInfo Info, bool Skipped) r;
            try
            {
                r = CliErrors.Library(() => KernelShards.ComputeShard(network, x1, x2, outputs, shard.Index, shard.Count, shardDir, options, progress, cancellationToken),
                    ("x1", "--x1"), ("x2", x2 is null ? "--x1" : "--x2"), ("network", "--arch"));
            }
            finally
            {
                progress.Finish();
            }
            string meta = Path.Combine(shardDir, KernelShards.MetadataName(shard.Index, shard.Count));
            stdout.WriteLine(r.Skipped
                ? string.Create(CultureInfo.InvariantCulture, $"kernel: shard {shard.Index}/{shard.Count} already complete, skipped ({meta})")
                : string.Create(CultureInfo.InvariantCulture, $"kernel: {summary} -> shard {shard.Index}/{shard.Count} ({meta}, tiles {r.Info.FirstTile}..{r.Info.EndTile} of the {r.Info.N1}x{r.Info.N2} matrix); computed in {computeClock.Elapsed.TotalSeconds:F3} s, total {clock.Elapsed.TotalSeconds:F3} s"));
            return 0;
        }

        using var output = AtomicOutputs.Create(dir, "--out", cancellationToken, files);
        if (deviceText == "cpu")
        {
            // Out of core: the tiles go straight into memory-mapped windows of the (temporary) output files.
            string? nngpTmp = outputs.HasFlag(KernelOutputs.Nngp) ? output.TemporaryPath("nngp.npy") : null;
            string? ntkTmp = outputs.HasFlag(KernelOutputs.Ntk) ? output.TemporaryPath("ntk.npy") : null;
            try
            {
                CliErrors.Library(() =>
                {
                    OutOfCoreKernel.WriteNpy(network, x1, x2, outputs, nngpTmp, ntkTmp, options, progress, cancellationToken);
                    return 0;
                }, ("x1", "--x1"), ("x2", x2 is null ? "--x1" : "--x2"), ("network", "--arch"));
            }
            finally
            {
                progress.Finish();
            }
        }
        else
        {
            using var device = openDevice();
            KernelResult result;
            try
            {
                result = CliErrors.Library(() => new KernelFunction(network, device).Compute(x1, x2, outputs, options, progress, cancellationToken),
                    ("x1", "--x1"), ("x2", x2 is null ? "--x1" : "--x2"), ("network", "--arch"),
                    ("raise KernelOptions.MemoryBudgetBytes", "use smaller (downsampled or cropped) --x1/--x2 examples or fewer pooling positions"));
            }
            finally
            {
                progress.Finish();
            }
            if (result.HasNngp) output.Write("nngp.npy", path => Npy.Write(path, result.Nngp));
            if (result.HasNtk) output.Write("ntk.npy", path => Npy.Write(path, result.Ntk));
        }
        double computeSeconds = computeClock.Elapsed.TotalSeconds;
        var written = output.Commit();

        int n2 = x2?.Count ?? x1.Count;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kernel: {summary} -> {string.Join(", ", written)} ({x1.Count}, {n2}); computed in {computeSeconds:F3} s, total {clock.Elapsed.TotalSeconds:F3} s"));
        return 0;
    }
}
