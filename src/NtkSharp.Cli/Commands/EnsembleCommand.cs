using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Finite.Ensembles;
using NtkSharp.IO;
using NtkSharp.Kernels;

namespace NtkSharp.Cli.Commands;

/// <summary>
/// <c>ntksharp ensemble</c>: trains M finite-width members of an architecture by gradient descent on
/// ½·mean((f − y)²) and writes their test outputs at the requested steps as .npy.
/// </summary>
internal sealed class EnsembleCommand : ICliCommand
{
    public string Name => "ensemble";

    public string Summary => "train a deep ensemble of finite-width networks by gradient descent; test outputs as .npy";

    public string Help => string.Join('\n',
        "Usage: ntksharp ensemble --arch TEXT --x-train FILE --y-train FILE --x-test FILE --members M",
        "                         --steps LIST --learning-rate ETA [--seed S] [--batch-size B] [--device D]",
        "                         [--threads K] --out DIR",
        "",
        "Initialises M members of the architecture (its declared widths; NTK or standard parameterisation as written)",
        "from independent seeds and trains each by full-batch gradient descent on L = ½·mean((f(X) − Y)²) over all",
        "n = Y.size targets, the normalisation of `ntksharp predict`: k steps at learning rate η compare with its",
        "discrete-time mean after k steps. Stable only for η below the predictor's max learning rate 2n/λ_max(Θ).",
        "",
        "Options:",
        CliInputs.ArchitectureHelp,
        "  --x-train FILE      training inputs .npy, float32/float64, batch axis first: (N, d), (N, L, C) or (N, H, W, C)",
        "  --y-train FILE      training targets .npy, shape (N, K) with K the network's output size, or (N,) when K = 1",
        "  --x-test FILE       test inputs .npy, same per-example shape as --x-train",
        "  --members M         ensemble size (independent initialisations)",
        "  --steps LIST        comma-separated gradient steps at which to record the test outputs, e.g. 0,1,10,1000;",
        "                      training runs to the largest",
        "  --learning-rate ETA gradient-descent learning rate η > 0",
        "  --seed S            base seed (default 0): member m uses stream m of it; results do not depend on --threads",
        "  --batch-size B      mini-batch SGD with batches of B examples (default: full batch)",
        CliInputs.DeviceHelp.Replace("  --device D        ", "  --device D          ", StringComparison.Ordinal)
            .Replace("\n                    ", "\n                      ", StringComparison.Ordinal) + ";",
        "                      on a GPU all members train together (fully-connected networks only)",
        "  --threads K         CPU threads (default: all cores); members train in parallel",
        "  --out DIR           output folder, created if missing",
        "  --no-progress       no progress line on stderr (otherwise shown for runs over a second)",
        "",
        "Writes DIR/members_test.npy, shape (S, M, Ntest, K), and DIR/mean_test.npy, shape (S, Ntest, K): float64,",
        "C order, S = number of steps in --steps (ascending). A learning rate that makes training diverge is an error",
        "(exit 2), never NaN output.",
        CliInputs.ExitCodesHelp,
        "",
        "Example:",
        "  ntksharp ensemble --arch \"Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5))\" \\",
        "                    --x-train x.npy --y-train y.npy --x-test t.npy --members 100 --steps 0,1,10,1000 \\",
        "                    --learning-rate 1.0 --out ensemble");

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var network = CliInputs.Architecture(args);
        var xTrain = CliInputs.Batch(args, "x-train");
        CliInputs.ArchitectureTakes(network, xTrain, "x-train");
        var outputShape = CliErrors.Library(() => FiniteNetwork.Create(network, xTrain.ExampleShape).OutputShape, ("network", "--arch"));
        if (outputShape.Length > 1)
            throw new CliException($"--arch maps the --x-train examples of shape {CliInputs.Shape(xTrain.ExampleShape)} to outputs of shape {CliInputs.Shape(outputShape)}, not to a vector: Dense layers act on the last axis only; add Flatten() or GlobalAvgPool() before the readout Dense layer, or give (N, d) inputs");
        var yTrain = Targets(args.Required("y-train"), xTrain.Count);
        var xTest = CliInputs.Batch(args, "x-test");
        CliInputs.SameExampleShape(xTrain, xTest, "x-train", "x-test");
        int members = args.OptionalInt("members") ?? throw new CliException("missing required option --members");
        if (members < 1) throw new CliException($"--members: must be at least 1 (got {members})");
        var steps = Steps(args);
        double eta = args.OptionalDouble("learning-rate") ?? throw new CliException("missing required option --learning-rate");
        if (!double.IsFinite(eta) || eta <= 0) throw new CliException($"--learning-rate: must be a finite positive number (got {eta.ToString(CultureInfo.InvariantCulture)})");
        long seed = 0;
        if (args.Optional("seed") is { } s && !long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            throw new CliException($"--seed: '{s}' is not an integer");
        int? batch = args.OptionalInt("batch-size");
        if (batch is { } b && (b < 1 || b > xTrain.Count))
            throw new CliException($"--batch-size: must be in [1, {xTrain.Count}] (the number of training examples), got {b}");
        int? threads = args.OptionalInt("threads");
        if (threads is <= 0) throw new CliException($"--threads: must be positive (got {threads})");
        bool progressOn = !args.Flag("no-progress");
        string dir = args.Required("out");
        var openDevice = CliInputs.Device(args);
        args.EnsureAllUsed();
        using var output = AtomicOutputs.Create(dir, "--out", cancellationToken, "members_test.npy", "mean_test.npy");
        using var device = openDevice();

        var options = new EnsembleOptions
        {
            Members = members,
            LearningRate = eta,
            Checkpoints = steps,
            Seed = seed,
            BatchSize = batch,
            RecordNtk = false,
            MaxDegreeOfParallelism = threads,
        };
        var console = new ConsoleProgress(stderr, "ensemble", progressOn);
        var progress = new SyncProgress(p => console.Report(new KernelProgress(p.Done, p.Total)));
        EnsembleResult result;
        try
        {
            result = CliErrors.Library(() => Ensemble.Train(network, xTrain, yTrain, xTest, options, device, progress, cancellationToken),
                ("xTrain", "--x-train"), ("xTest", "--x-test"), ("yTrain", "--y-train"), ("network", "--arch"), ("Members", "--members"),
                ("LearningRate", "--learning-rate"), ("MaxDegreeOfParallelism", "--threads"), ("BatchSize", "--batch-size"), ("Checkpoints", "--steps"), ("learning rate", "--learning-rate"));
        }
        finally
        {
            console.Finish();
        }

        int k = result.OutputSize, sCount = result.Steps.Count, nTest = result.TestCount;
        string membersPath = output.Write("members_test.npy", path => Npy.Write(path, result.MemberOutputs.ToArray(), sCount, members, nTest, k));
        string meanPath = output.Write("mean_test.npy", path => Npy.Write(path, result.MeanOutputs(), sCount, nTest, k));
        output.Commit();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ensemble: {members} members, steps {string.Join(",", result.Steps)}, train loss {result.MeanTrainingLoss(0):G4} -> {result.MeanTrainingLoss(sCount - 1):G4} (member mean) -> {membersPath} ({sCount}, {members}, {nTest}, {k}), {meanPath}; trained in {result.Elapsed.TotalSeconds:F3} s, total {clock.Elapsed.TotalSeconds:F3} s"));
        return 0;
    }

    private static Matrix<double> Targets(string path, int n)
    {
        var a = CliInputs.ReadArray(path, "y-train", "targets");
        if (a.Rank is not (1 or 2) || a.Shape[0] != n)
            throw new CliException($"--y-train: {path} has shape {CliInputs.Shape(a.Shape)}; expected ({n}, K) or ({n},) for the {n} --x-train examples");
        int k = a.Rank == 1 ? 1 : a.Shape[1];
        return Matrix<double>.Build.Dense(n, k, (i, j) => a.Data[i * k + j]);
    }

    private static int[] Steps(CliArguments args)
    {
        var steps = args.OptionalIntList("steps") ?? throw new CliException("missing required option --steps");
        if (steps.Distinct().Count() != steps.Length) throw new CliException("--steps: a step count appears twice");
        return [.. steps.Order()];
    }

    /// <summary>Forwards reports synchronously on the reporting thread (no posting to a context).</summary>
    private sealed class SyncProgress(Action<EnsembleProgress> report) : IProgress<EnsembleProgress>
    {
        public void Report(EnsembleProgress value) => report(value);
    }
}
