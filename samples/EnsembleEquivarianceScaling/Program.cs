using System.Diagnostics;
using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

// How finite deep ensembles approach the exactly equivariant infinite-width mean μ_t as width W and ensemble size M grow.
// Usage: dotnet run -c Release --project samples/EnsembleEquivarianceScaling -- [outDir] [--widths 64,256,1024,2048]
//        [--members 1000] [--repeats 3] [--steps 10,100,1000] [--tasks toy,images]
//        or -- outDir --merge a/results.csv,b/results.csv (joint tables, fits and figures of earlier runs)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string outDir = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "out/EnsembleEquivarianceScaling";
int[] widths = Option("--widths", "64,256,1024,2048").Split(',').Select(int.Parse).ToArray();
int maxMembers = int.Parse(Option("--members", "1000"));
int repeats = int.Parse(Option("--repeats", "3"));
int[] steps = Option("--steps", "10,100,1000").Split(',').Select(int.Parse).ToArray();
string[] tasks = Option("--tasks", "toy,images").Split(',');
Directory.CreateDirectory(outDir);
var clock = Stopwatch.StartNew();
if (Array.IndexOf(args, "--merge") >= 0)
{
    // Re-reads results.csv files of earlier runs (e.g. different member counts per width range) and writes the joint
    // tables, fits and figures.
    var merged = Option("--merge", "").Split(',').SelectMany(f => File.ReadAllLines(f).Skip(1)).Select(l => l.Split(',')).ToArray();
    var mdm = new StringBuilder($"# Finite ensembles approaching equivariance (merged: {Option("--merge", "")})\n");
    foreach (var grp in merged.GroupBy(c => c[0]))
    {
        var setupM = ScalingTask.Create(grp.Key);
        var rowsM = grp.Select(c => new ScalingRow(int.Parse(c[1]), int.Parse(c[2]), int.Parse(c[3]), int.Parse(c[4]), double.Parse(c[5]), double.Parse(c[6]),
            double.Parse(c[7]), double.Parse(c[8]), double.Parse(c[9]), double.Parse(c[10]), double.Parse(c[11]))).ToList();
        var stepsM = rowsM.Select(r => r.Steps).Distinct().Order().ToArray();
        mdm.Append(ScalingReport.Table(setupM, rowsM, stepsM));
        ScalingReport.Plot(setupM, rowsM, stepsM, Path.Combine(outDir, $"{grp.Key}_equivariance.png"), eq: true);
        ScalingReport.Plot(setupM, rowsM, stepsM, Path.Combine(outDir, $"{grp.Key}_distance.png"), eq: false);
    }
    File.WriteAllText(Path.Combine(outDir, "results.md"), mdm.ToString());
    Console.WriteLine(mdm.ToString());
    return;
}
var md = new StringBuilder();
var csv = new StringBuilder("task,width,steps,members,blocks,eq_mean,eq_std,dist_mean,dist_std,dist2_mean,member_eq_mean,member_eq_std\n");
md.AppendLine($"# Finite ensembles approaching equivariance\n\nwidths {string.Join(", ", widths)}; up to {maxMembers} members × {repeats} repeats per width; steps {string.Join(", ", steps)}; load at start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.\n");
foreach (string task in tasks)
{
    var setup = ScalingTask.Create(task);
    var rows = new List<ScalingRow>();
    foreach (int w in widths)
    {
        var sw = Stopwatch.StartNew();
        rows.AddRange(ScalingTask.Run(setup, w, maxMembers, repeats, steps));
        Console.WriteLine($"{task}: width {w} done in {sw.Elapsed.TotalSeconds:F1} s (load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    }
    foreach (var r in rows)
        csv.AppendLine($"{task},{r.Width},{r.Steps},{r.Members},{r.Blocks},{r.EqMean:G6},{r.EqStd:G6},{r.DistMean:G6},{r.DistStd:G6},{r.Dist2Mean:G6},{r.MemberEqMean:G6},{r.MemberEqStd:G6}");
    md.Append(ScalingReport.Table(setup, rows, steps));
    ScalingReport.Plot(setup, rows, steps, Path.Combine(outDir, $"{task}_equivariance.png"), eq: true);
    ScalingReport.Plot(setup, rows, steps, Path.Combine(outDir, $"{task}_distance.png"), eq: false);
}
md.AppendLine($"\nTotal {clock.Elapsed.TotalSeconds:F0} s wall clock; load at end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
File.WriteAllText(Path.Combine(outDir, "results.md"), md.ToString());
File.WriteAllText(Path.Combine(outDir, "results.csv"), csv.ToString());
Console.WriteLine(md.ToString());

string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

/// <summary>One (width, steps, M) cell: mean ± std over disjoint sub-ensembles.</summary>
internal sealed record ScalingRow(int Width, int Steps, int Members, int Blocks, double EqMean, double EqStd, double DistMean, double DistStd,
    double Dist2Mean, double MemberEqMean, double MemberEqStd);

/// <summary>A C4/D4-augmented regression task with an invariant target and off-orbit evaluation inputs.</summary>
internal sealed record ScalingTask(string Name, string Description, SymmetryGroup Group, Tensor XTrain, Matrix<double> YTrain, Tensor XTest,
    Func<int, Layer> Network)
{
    public static ScalingTask Create(string name)
    {
        var rng = new Random(3);
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        if (name == "toy")
        {
            // ℝ², C4: 4 training points in one quadrant, target cos(4θ)·r (C4-invariant), 6 test points off the data.
            double[] angles = [0.2, 0.6, 1.0, 1.4];
            double[] radii = [1.0, 0.8, 1.2, 1.0];
            var x = new Tensor(angles.SelectMany((a, i) => new[] { radii[i] * Math.Cos(a), radii[i] * Math.Sin(a) }).ToArray(), 4, 2);
            var y = Matrix<double>.Build.Dense(4, 1, (i, _) => Math.Cos(4 * angles[i]) * radii[i]);
            var test = new Tensor(Enumerable.Range(0, 12).Select(_ => N()).ToArray(), 6, 2);
            return new ScalingTask(name, "toy R^2, C4, one-hidden-layer ReLU MLP", Groups.C4([2]), x, y, test,
                w => Stax.Serial(Stax.Dense(w, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.5, bStd: 0.1)));
        }
        if (name == "images")
        {
            // 4×4 images, D4 (exact pixel permutations), target: mean intensity of the central 2×2 block minus the corners'.
            var x = new Tensor(Enumerable.Range(0, 4 * 16).Select(_ => N()).ToArray(), 4, 4, 4, 1);
            var y = Matrix<double>.Build.Dense(4, 1, (i, _) =>
            {
                double c = 0, k = 0;
                foreach (int p in new[] { 5, 6, 9, 10 }) c += x.Data[i * 16 + p];
                foreach (int p in new[] { 0, 3, 12, 15 }) k += x.Data[i * 16 + p];
                return (c - k) / 4;
            });
            var test = new Tensor(Enumerable.Range(0, 6 * 16).Select(_ => N()).ToArray(), 6, 4, 4, 1);
            return new ScalingTask(name, "4×4 images, D4, Flatten + one-hidden-layer ReLU MLP", Groups.D4([4, 4, 1]), x, y, test,
                w => Stax.Serial(Stax.Flatten(), Stax.Dense(w, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.5, bStd: 0.1)));
        }
        throw new ArgumentException($"unknown task '{name}' (toy or images)");
    }

    public static IEnumerable<ScalingRow> Run(ScalingTask t, int width, int maxMembers, int repeats, int[] steps)
    {
        var layer = t.Network(width);
        var kf = new KernelFunction(layer);
        var probe = AugmentedMean.Fit(kf, t.XTrain, t.YTrain, t.Group, AugmentationMode.Explicit);
        double eta = 0.5 * probe.MaxLearningRate;
        var mean = AugmentedMean.Fit(kf, t.XTrain, t.YTrain, t.Group, AugmentationMode.Explicit, new GradientDescentOptions { LearningRate = eta });
        var orbit = t.Group.OrbitInputs(t.XTest);
        var mu = mean.PredictSteps(orbit, steps);
        var aug = Augmentation.Augment(t.XTrain, t.YTrain, t.Group);
        var trained = Ensemble.Train(layer, aug.X, aug.Y, orbit, new EnsembleOptions
        {
            Members = maxMembers * repeats, LearningRate = eta, Checkpoints = steps, Seed = 1000 + width, RecordNtk = false,
        });
        int n = t.XTest.Count, order = t.Group.Order, total = maxMembers * repeats;
        var sizes = new[] { 1, 3, 10, 30, 100, 300, 1000, 3000 }.Where(m => m <= maxMembers).ToArray();
        for (int c = 0; c < steps.Length; c++)
        {
            double scale = Math.Sqrt(mu[c].Enumerate().Average(v => v * v));
            var members = Enumerable.Range(0, total).Select(m => trained.MemberOutput(c, m).Column(0).ToArray()).ToArray();
            var memberEq = members.Select(f => Eq(f, n, order) / scale).ToArray();
            foreach (int m in sizes)
            {
                int blocks = total / m;
                var eq = new double[blocks];
                var dist = new double[blocks];
                for (int b = 0; b < blocks; b++)
                {
                    var f = new double[n * order];
                    for (int k = b * m; k < (b + 1) * m; k++)
                    {
                        for (int r = 0; r < f.Length; r++) f[r] += members[k][r] / m;
                    }
                    eq[b] = Eq(f, n, order) / scale;
                    double d = 0;
                    for (int r = 0; r < f.Length; r++) d += Math.Pow(f[r] - mu[c][r, 0], 2);
                    dist[b] = Math.Sqrt(d / f.Length) / scale;
                }
                yield return new ScalingRow(width, steps[c], m, blocks, eq.Average(), Std(eq), dist.Average(), Std(dist),
                    dist.Average(v => v * v), memberEq.Average(), Std(memberEq));
            }
        }
    }

    /// <summary>RMS over test inputs and g ≠ e of f(ρ(g)xᵢ) − f(xᵢ) (invariant target), rows g·n + i.</summary>
    private static double Eq(double[] f, int n, int order)
    {
        double s = 0;
        for (int g = 1; g < order; g++)
        {
            for (int i = 0; i < n; i++) s += Math.Pow(f[g * n + i] - f[i], 2);
        }
        return Math.Sqrt(s / (n * (order - 1)));
    }

    private static double Std(double[] v)
    {
        if (v.Length < 2) return double.NaN;
        double m = v.Average();
        return Math.Sqrt(v.Sum(e => (e - m) * (e - m)) / (v.Length - 1));
    }
}
