using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.IO;
using NtkSharp.Kernels;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

namespace NtkSharp.Cli.Commands;

/// <summary><c>ntksharp equivariance</c>: how equivariant the infinite-width mean of an ensemble trained on (augmented)
/// data is on test inputs (Gerken &amp; Kessel, ICML 2024).</summary>
internal sealed class EquivarianceCommand : ICliCommand
{
    public string Name => "equivariance";

    public string Summary => "equivariance error of the infinite-width mean trained on group-augmented data (emergent equivariance)";

    public string Help => $$"""
        Usage: ntksharp equivariance --arch TEXT --group C4|D4|Cn:k|Translations|Permutations|Trivial
                                     --x-train X.npy --y-train Y.npy --x-test T.npy --times 0,1,inf --out DIR
                                     [--output-rep invariant|vector] [--no-augment] [--group-averaged]
                                     [--learning-rate ETA] [--kernel ntk|nngp] [--threads K]

        Trains the infinite-width mean mu_t(x) = Theta(x,X) Theta^-1 (I - exp(-ETA Theta t / n)) Y (n = Y.size of the
        regression) on the data augmented over the whole group, {(rho_X(g) x_i, rho_Y(g) y_i)}, and measures on every
        test input x and group element g the relative error |mu_t(rho_X(g) x) - rho_Y(g) mu_t(x)| / |mu_t(x)|.
        For a G-symmetric kernel it is zero up to rounding at every t (Gerken & Kessel, ICML 2024).

        {{CliInputs.ArchitectureHelp}}
          --group G            C4, D4 (rotations/reflections of square (H, H, C) images or of (2) vectors),
                               Cn:k (k rotations; exact on (2) vectors, interpolated on images), Translations
                               (cyclic shifts of (L, C) signals or (H, W, C) images), Permutations ((n, f) sets),
                               Trivial. The kind of input is read from the examples' shape.
          --x-train PATH       training inputs (N, ...)
          --y-train PATH       targets (N) or (N, K)
          --x-test PATH        test inputs (M, ...), e.g. training points, noise or another data set
          --times LIST         comma-separated times >= 0; 'inf' for the converged network
          --output-rep R       invariant (default: rho_Y = I) or vector (rho_Y = the group's 2x2 matrices on
                               K = 2 outputs; the permutation of the n outputs for Permutations)
          --no-augment         train on the original data only (the control: not equivariant)
          --group-averaged     same mean through the group-averaged kernel on the N originals (|G|^3 less solve)
          --learning-rate ETA  learning rate (default 1)
          --kernel KIND        ntk (default: gradient descent on all layers) or nngp (readout only)
          --threads K          kernel threads
          --out DIR            output folder (created)

        Writes DIR/report.json (per time: max and mean relative error, max absolute error, orbit relative std, and
        orbit-same counts when Y is one-hot: the number of g, identity included, whose predicted class on rho_X(g) x
        equals that of rho_Y(g) mu_t(x)) and DIR/orbit_test.npy (T x M x |G| x K): the predictions on every group
        image of every test input, in the group's element order.

        {{CliInputs.ExitCodesHelp}}
        """;

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var network = CliInputs.Architecture(args);
        string groupText = args.Required("group");
        var xTrain = CliInputs.Batch(args, "x-train");
        string yPath = args.Required("y-train");
        var xTest = CliInputs.Batch(args, "x-test");
        var times = args.OptionalDoubleList("times") ?? throw new CliException("missing required option --times");
        string rep = (args.Optional("output-rep") ?? "invariant").ToLowerInvariant();
        bool noAugment = args.Flag("no-augment");
        bool averaged = args.Flag("group-averaged");
        double eta = args.OptionalDouble("learning-rate") ?? 1.0;
        string kernelText = (args.Optional("kernel") ?? "ntk").ToLowerInvariant();
        var kernelOptions = CliInputs.KernelOptions(args);
        string outDir = args.Required("out");
        args.EnsureAllUsed();

        if (times.Length == 0) throw new CliException("--times is empty");
        foreach (var t in times.Where(t => !(t >= 0))) throw new CliException($"--times: {t.ToString(CultureInfo.InvariantCulture)} is negative; times must be >= 0");
        if (!(eta > 0) || double.IsInfinity(eta)) throw new CliException($"--learning-rate must be positive and finite (got {eta.ToString(CultureInfo.InvariantCulture)})");
        if (noAugment && averaged) throw new CliException("--no-augment and --group-averaged exclude each other");
        var output = rep switch
        {
            "invariant" => OutputRepresentation.Invariant,
            "vector" => OutputRepresentation.Vector,
            _ => throw new CliException($"--output-rep: unknown representation '{rep}'; choose invariant or vector"),
        };
        var which = kernelText switch
        {
            "ntk" => KernelOutputs.Ntk,
            "nngp" => KernelOutputs.Nngp,
            _ => throw new CliException($"--kernel: unknown kernel '{kernelText}'; choose ntk or nngp"),
        };
        CliInputs.SameExampleShape(xTrain, xTest, "x-train", "x-test");
        CliInputs.ArchitectureTakes(network, xTrain, "x-train");
        var yArray = CliInputs.ReadArray(yPath, "y-train", "targets");
        if (yArray.Rank is not (1 or 2)) throw new CliException($"--y-train must have shape (N) or (N, K); {yPath} has shape {yArray.ShapeText}");
        if (yArray.Shape[0] != xTrain.Count) throw new CliException($"--y-train has {yArray.Shape[0]} rows but --x-train has {xTrain.Count} examples");
        int k = yArray.Rank == 1 ? 1 : yArray.Shape[1];
        CheckMemory(groupText, xTrain, xTest, times.Length, k, noAugment, averaged, which);
        var group = ParseGroup(groupText, xTrain.ExampleShape, output);
        var y = Matrix<double>.Build.DenseOfRowMajor(xTrain.Count, k, yArray.Data);
        if (group.OutputDimension is { } kk && kk != k)
            throw new CliException($"--output-rep vector: {group.Name} acts on {kk} outputs but --y-train has {k}");

        using var outputSet = AtomicOutputs.Create(outDir, "--out", cancellationToken, "orbit_test.npy", "report.json");
        var mode = noAugment ? AugmentationMode.None : averaged ? AugmentationMode.GroupAveraged : AugmentationMode.Explicit;
        (string, string)[] names = [("xTrain", "--x-train"), ("xTest", "--x-test"), ("yTrain", "--y-train"), ("x1", "--x-train"), ("x2", "--x-train"),
            ("times", "--times"), ("network", "--arch"), ("LearningRate", "--learning-rate")];
        AugmentedMean mean;
        try
        {
            mean = CliErrors.Library(() => AugmentedMean.Fit(new KernelFunction(network), xTrain, y, noAugment ? null : group, mode,
                new GradientDescentOptions { LearningRate = eta }, which, kernelOptions, cancellationToken), names);
        }
        catch (CliException e) when (mode == AugmentationMode.GroupAveraged)
        {
            throw new CliException($"--group-averaged: {e.Message}");
        }
        cancellationToken.ThrowIfCancellationRequested();
        var orbit = group.OrbitInputs(xTest);
        var predictions = CliErrors.Library(() => mean.Predict(orbit, times, cancellationToken),
            [("xTest", "--x-test"), ("x1", "--x-test (its group images)"), ("x2", "--x-train"), .. names]);
        for (int t = 0; t < predictions.Count; t++)
        {
            if (predictions[t].Enumerate().Any(v => !double.IsFinite(v)))
                throw new CliException($"the predictions at t = {TimeText(times[t])} are not finite: the kernel matrices or --y-train overflow double precision (largest |--y-train| entry {yArray.Data.Max(Math.Abs).ToString("G3", CultureInfo.InvariantCulture)}); rescale --y-train, --x-train and --x-test or lower wStd in --arch");
        }
        var reports = predictions.Select((p, i) => Equivariance.FromOrbitPredictions(group, p, xTest.Count, times[i])).ToArray();
        int probe = Math.Min(4, xTest.Count);
        var symmetry = CliErrors.Library(() => KernelSymmetry.Check(network, group, xTest.Slice(0, probe), 1e-10, cancellationToken),
            [("x", "--x-test"), .. names]);

        int m = xTest.Count, order = group.Order;
        var data = new double[(long)times.Length * m * order * k];
        long o = 0;
        for (int t = 0; t < times.Length; t++)
        {
            for (int i = 0; i < m; i++)
            {
                for (int g = 0; g < order; g++)
                {
                    for (int c = 0; c < k; c++) data[o++] = predictions[t][g * m + i, c];
                }
            }
        }
        string orbitPath = Path.Combine(outDir, "orbit_test.npy"), reportPath = Path.Combine(outDir, "report.json");
        outputSet.Write("orbit_test.npy", path => Npy.Write(path, data, times.Length, m, order, k));
        bool oneHot = k >= 2 && Enumerable.Range(0, y.RowCount).All(r => y.Row(r).All(v => v is 0.0 or 1.0) && y.Row(r).Sum() == 1.0);
        outputSet.Write("report.json", path => WriteReport(path, group, mode, mean, xTrain.Count, m, k, which, eta, symmetry, reports, oneHot));
        outputSet.Commit();

        stdout.WriteLine($"{group.Name} (|G| = {order}), {(mode == AugmentationMode.None ? "no augmentation" : "full augmentation")}; kernel symmetry violation {symmetry.MaxNtkViolation.ToString("G3", CultureInfo.InvariantCulture)} (NTK)");
        foreach (var r in reports)
            stdout.WriteLine($"t = {TimeText(r.Time)}: max relative error {r.MaxRelativeError.ToString("G3", CultureInfo.InvariantCulture)}, mean {r.MeanRelativeError.ToString("G3", CultureInfo.InvariantCulture)}" +
                (oneHot ? $", mean orbit-same count {r.MeanOrbitSameCount.ToString("G4", CultureInfo.InvariantCulture)}/{order}" : ""));
        stdout.WriteLine($"wrote {reportPath}, {orbitPath} ({times.Length}, {m}, {order}, {k})");
        return 0;
    }

    /// <summary>Builds the group named on the command line for the examples' shape.</summary>
    internal static SymmetryGroup ParseGroup(string text, int[] exampleShape, OutputRepresentation output)
    {
        string t = text.Trim();
        try
        {
            if (t.Equals("C4", StringComparison.OrdinalIgnoreCase)) return Groups.C4(exampleShape, output);
            if (t.Equals("D4", StringComparison.OrdinalIgnoreCase)) return Groups.D4(exampleShape, output);
            if (t.Equals("Trivial", StringComparison.OrdinalIgnoreCase)) return NoVector(Groups.Trivial(exampleShape), output, t);
            if (t.Equals("Translations", StringComparison.OrdinalIgnoreCase)) return NoVector(Groups.Translations(exampleShape), output, t);
            if (t.Equals("Permutations", StringComparison.OrdinalIgnoreCase)) return Groups.Permutations(exampleShape, output);
            if (t.StartsWith("Cn:", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(t[3..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) || k < 1)
                    throw new CliException($"--group: '{t}' needs a positive integer order up to {int.MaxValue}, e.g. Cn:8");
                return Groups.Cn(k, exampleShape, output);
            }
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--group {t}: {CliErrors.Rename(CliErrors.Clean(e), ("exampleShape", "the --x-train example shape"), ("k", "k"))}");
        }
        string hint = System.Text.RegularExpressions.Regex.Match(t, @"^[Cc]n?[:=]?\s*(\d+)$") is { Success: true } cn ? $" (did you mean 'Cn:{cn.Groups[1].Value}'?)" : "";
        throw new CliException($"--group: unknown group '{t}'{hint}; choose C4, D4, Cn:k, Translations, Permutations or Trivial");
    }

    /// <summary>
    /// Fails fast, before the group is built, when the augmented problem does not fit in memory: the train kernel of
    /// N·|G| augmented examples ((N·|G|)² entries, once per kernel), the test-by-train kernel of the M·|G| group images
    /// and the predictions, all counted in 64-bit (double) arithmetic.
    /// </summary>
    private static void CheckMemory(string groupText, Tensor xTrain, Tensor xTest, int times, int k, bool noAugment, bool averaged, KernelOutputs which)
    {
        double order = GroupOrder(groupText.Trim(), xTrain.ExampleShape);
        if (double.IsNaN(order)) return; // unknown group: ParseGroup reports it
        double n = xTrain.Count, m = xTest.Count, trainRows = noAugment || averaged ? n : n * order;
        double kernels = which == KernelOutputs.Both ? 2 : 1;
        double bytes = 8 * (kernels * trainRows * trainRows + m * order * trainRows + times * m * order * k + (m + n) * order * xTrain.ExampleSize);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && bytes > available / 2.0)
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"--group {groupText.Trim()} has {order:G6} elements: the augmented problem ({n} --x-train examples × |G| = {trainRows:G6} training rows, {m} --x-test examples × |G| = {m * order:G6} group images) needs about {bytes:G3} bytes ({bytes / (1L << 30):G3} GiB) but this process has {available} bytes; use a smaller group (e.g. a smaller k in Cn:k), fewer --x-train/--x-test examples or --group-averaged"));
    }

    /// <summary>The order of the group named by <paramref name="t"/> on examples of the shape (NaN when not recognised).</summary>
    private static double GroupOrder(string t, int[] shape)
    {
        if (t.Equals("C4", StringComparison.OrdinalIgnoreCase)) return 4;
        if (t.Equals("D4", StringComparison.OrdinalIgnoreCase)) return 8;
        if (t.Equals("Trivial", StringComparison.OrdinalIgnoreCase)) return 1;
        if (t.Equals("Translations", StringComparison.OrdinalIgnoreCase)) return shape.Length >= 2 ? (double)shape[0] * (shape.Length == 3 ? shape[1] : 1) : shape[0];
        if (t.Equals("Permutations", StringComparison.OrdinalIgnoreCase)) return Enumerable.Range(1, Math.Min(shape[0], 170)).Aggregate(1.0, (a, b) => a * b);
        if (t.StartsWith("Cn:", StringComparison.OrdinalIgnoreCase) && int.TryParse(t[3..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 1) return k;
        return double.NaN;
    }

    private static SymmetryGroup NoVector(SymmetryGroup g, OutputRepresentation output, string name) => output == OutputRepresentation.Vector
        ? throw new CliException($"--output-rep vector is not defined for {name}; use invariant")
        : g;

    private static string TimeText(double t) => double.IsPositiveInfinity(t) ? "inf" : t.ToString("G6", CultureInfo.InvariantCulture);

    private static void WriteReport(string path, SymmetryGroup group, AugmentationMode mode, AugmentedMean mean, int n, int m, int k,
        KernelOutputs which, double eta, KernelSymmetryReport symmetry, EquivarianceReport[] reports, bool oneHot)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("group", group.Name);
        w.WriteNumber("order", group.Order);
        w.WriteStartArray("elements");
        foreach (var e in group.ElementNames) w.WriteStringValue(e);
        w.WriteEndArray();
        w.WriteBoolean("exact_representation", group.IsExact);
        w.WriteString("output_representation", group.IsInvariant ? "invariant" : "vector");
        w.WriteString("augmentation", mode switch { AugmentationMode.None => "none", AugmentationMode.Explicit => "full", _ => "group-averaged kernel" });
        w.WriteString("kernel", which == KernelOutputs.Ntk ? "ntk" : "nngp");
        w.WriteNumber("learning_rate", eta);
        w.WriteNumber("train_count", n);
        w.WriteNumber("regression_size", mean.RegressionSize);
        w.WriteNumber("time_normalization", mean.Normalization);
        w.WriteNumber("test_count", m);
        w.WriteNumber("outputs", k);
        w.WriteStartObject("kernel_symmetry");
        w.WriteBoolean("symmetric", symmetry.IsSymmetric);
        Number(w, "max_ntk_violation", symmetry.MaxNtkViolation);
        Number(w, "max_nngp_violation", symmetry.MaxNngpViolation);
        w.WriteString("worst_element", symmetry.WorstElement);
        w.WriteEndObject();
        w.WriteStartArray("times");
        foreach (var r in reports)
        {
            w.WriteStartObject();
            Number(w, "t", r.Time);
            Number(w, "max_relative_error", r.MaxRelativeError);
            Number(w, "mean_relative_error", r.MeanRelativeError);
            Number(w, "max_absolute_error", r.MaxAbsoluteError);
            Number(w, "mean_orbit_relative_std", r.MeanOrbitRelativeStd);
            Number(w, "max_orbit_relative_std", r.MaxOrbitRelativeStd);
            if (oneHot && r.OrbitSameCounts is { } counts)
            {
                Number(w, "mean_orbit_same_count", r.MeanOrbitSameCount);
                w.WriteNumber("full_orbit_count", counts.Count(c => c == group.Order));
                w.WriteStartArray("orbit_same_counts");
                foreach (int c in counts) w.WriteNumberValue(c);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>JSON has no infinities: they are written as the strings "inf" and "-inf".</summary>
    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteString(name, double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
    }
}
