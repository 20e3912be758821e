using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Symmetry;
using ScottPlot;

// The 2-D Ising model on an L×L periodic lattice: spin configurations sampled by Metropolis Monte Carlo at several
// temperatures, target the energy per spin E/L² = −(1/L²)·Σ_⟨ij⟩ s_i s_j, which is invariant under the lattice's
// space group p4m = D4 ⋉ translations (8·L² elements). The infinite-width mean is trained through the group-averaged
// kernel (the same μ_t as the 8L²-fold augmented data) and checked for equivariance in and out of distribution.
// Finite deep ensembles of the same MLP at several widths, trained on a subset of the augmented set, follow.
// Usage: IsingModel [outDir] [--size L] [--widths 512,1024,2048] [--members M] [--steps S] [--ensemble-configs C]
string outDir = Path.Combine("out", "IsingModel");
int size = 4, members = 12, steps = 30, ensembleConfigs = 2;
int[] widths = [512, 1024, 2048];
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--size") size = int.Parse(args[++i]);
    else if (args[i] == "--widths") widths = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
    else if (args[i] == "--members") members = int.Parse(args[++i]);
    else if (args[i] == "--steps") steps = int.Parse(args[++i]);
    else if (args[i] == "--ensemble-configs") ensembleConfigs = int.Parse(args[++i]);
    else outDir = args[i];
}
Directory.CreateDirectory(outDir);
var clock = Stopwatch.StartNew();

var rng = new Random(42);
double[] trainTemps = [2.0, 2.27, 2.6, 3.0];
var (xTrain, yTrain) = Ising.Sample(size, trainTemps, perTemperature: 6, rng);
var (xIn, yIn) = Ising.Sample(size, [2.1, 2.4, 2.8], perTemperature: 3, rng);
// Off the spin manifold: continuous Gaussian noise instead of ±1 spins (targets: the same energy formula).
var (xCold, yCold) = Ising.Noise(size, 4, rng);
var (xHot, yHot) = Ising.Sample(size, [6.0], perTemperature: 4, rng);

var group = Groups.Generated("p4m", Groups.D4([size, size, 1]), Groups.Translations([size, size, 1]));
Console.WriteLine($"Ising model, {size}×{size} periodic lattice, Metropolis samples at T = {string.Join(", ", trainTemps)} ({xTrain.Count} training configurations).");
Console.WriteLine($"Target: energy per spin. Symmetry: {group.Name} = D4 ⋉ translations, |G| = {group.Order} (augmented set: {xTrain.Count * group.Order} configurations).");
Console.WriteLine($"Test sets: {xIn.Count} in distribution (T = 2.1, 2.4, 2.8), {xHot.Count} at T = 6 (out of distribution) and {xCold.Count} Gaussian-noise inputs (off the spin manifold).");
Console.WriteLine();

var architectures = new (string Name, Layer Net)[]
{
    ("MLP (Flatten, 2×Dense 512, ReLU)", Mlp(512)),
    ("CNN (2×Conv 3×3 Circular, ReLU, Flatten)", Stax.Serial(Stax.Conv(16, (3, 3), padding: Padding.Circular, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Conv(16, (3, 3), padding: Padding.Circular, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Flatten(), Stax.Dense(1, wStd: 1.5))),
};
double[] times = [1, 100, double.PositiveInfinity];
var plt = new Plot();
foreach (var (name, net) in architectures)
{
    var sw = Stopwatch.StartNew();
    var kf = new KernelFunction(net);
    var symmetry = KernelSymmetry.Check(net, group, xIn.Slice(0, 2));
    var averaged = AugmentedMean.Fit(kf, xTrain, yTrain, group, AugmentationMode.GroupAveraged);
    var plain = AugmentedMean.Fit(kf, xTrain, yTrain, null, AugmentationMode.None);
    Console.WriteLine($"{name}: kernel symmetry violation under {group.Name} {symmetry.MaxNtkViolation:0.0E+00} (NTK)");
    Console.WriteLine("   t       | augmented (Θᴳ): max rel. equivariance error          test RMSE | no augmentation: max rel. error          test RMSE");
    Console.WriteLine("           | in-dist.     noise        T = 6                  in-dist.  | in-dist.     noise        T = 6          in-dist.");
    var sets = new[] { xIn, xCold, xHot };
    var augR = sets.Select(s => Equivariance.Measure(averaged.AtTimes(times), times, group, s)).ToArray();
    var ctlR = sets.Select(s => Equivariance.Measure(plain.AtTimes(times), times, group, s)).ToArray();
    var augPred = averaged.Predict(xIn, times);
    var ctlPred = plain.Predict(xIn, times);
    for (int t = 0; t < times.Length; t++)
    {
        string tt = double.IsPositiveInfinity(times[t]) ? "∞" : times[t].ToString("G4");
        Console.WriteLine("   " + tt.PadRight(8) + "| " + string.Concat(augR.Select(r => r[t].MaxRelativeError.ToString("0.0E+00").PadRight(13)))
            + "       " + Rmse(augPred[t], yIn).ToString("0.0000").PadRight(10) + "| " + string.Concat(ctlR.Select(r => r[t].MaxRelativeError.ToString("0.0E+00").PadRight(13)))
            + "  " + Rmse(ctlPred[t], yIn).ToString("0.0000"));
    }
    Console.WriteLine($"   ({sw.Elapsed.TotalSeconds:F1} s)");
    Console.WriteLine();
    if (net == architectures[0].Net)
    {
        var all = Concat(xIn, xCold, xHot);
        var truth = ConcatY(yIn, yCold, yHot);
        var pa = averaged.Predict(all, double.PositiveInfinity);
        var pc = plain.Predict(all, double.PositiveInfinity);
        var a = plt.Add.ScatterPoints(truth.Column(0).ToArray(), pa.Column(0).ToArray());
        a.LegendText = $"MLP kernel, {group.Name}-augmented (group-averaged kernel)";
        var c = plt.Add.ScatterPoints(truth.Column(0).ToArray(), pc.Column(0).ToArray());
        c.LegendText = "MLP kernel, no augmentation";
        var line = plt.Add.Line(-2, -2, 0.5, 0.5);
        line.LegendText = "exact";
        line.LinePattern = LinePattern.Dashed;
    }
}
plt.Title($"Ising energy per spin on a {size}×{size} lattice: infinite-width prediction at t = ∞ (test sets of all temperatures)");
plt.XLabel("true E / L²");
plt.YLabel("predicted E / L²");
plt.ShowLegend(Edge.Bottom);
string files = Figures.Save(plt, Path.Combine(outDir, "ising_energy"), 900, 700);
Console.WriteLine($"Plot written to {Path.GetFullPath(outDir)} ({files}).");
Console.WriteLine();

if (widths.Length > 0 && members > 0 && steps > 0)
{
    // C training configurations spread evenly over the temperatures: the 8L²-fold augmented set of all of them is too
    // large to train several wide members on two cores.
    int c = Math.Clamp(ensembleConfigs, 1, xTrain.Count);
    int[] rows = Enumerable.Range(0, c).Select(i => i * xTrain.Count / c).ToArray();
    var xSub = new Tensor(rows.SelectMany(r => xTrain.Slice(r, 1).Data).ToArray(), [rows.Length, .. xTrain.ExampleShape]);
    var ySub = Matrix<double>.Build.Dense(rows.Length, 1, (i, _) => yTrain[rows[i], 0]);
    IsingEnsembles.Run(Mlp, group, xSub, ySub, [("in-dist.", xIn, yIn), ("noise", xCold, yCold), ("T = 6", xHot, yHot)], widths, members, steps);
}
Console.WriteLine($"Total time {clock.Elapsed.TotalSeconds:F1} s.");

// The MLP of the infinite-width table and of the finite ensembles (the kernel does not depend on the width).
static Layer Mlp(int width) => Stax.Serial(Stax.Flatten(), Stax.Dense(width, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(width, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.5));

static double Rmse(Matrix<double> p, Matrix<double> y) => Math.Sqrt((p - y).PointwisePower(2).Enumerate().Average());

static Tensor Concat(params Tensor[] parts) => new(parts.SelectMany(p => p.Data).ToArray(), [parts.Sum(p => p.Count), .. parts[0].ExampleShape]);

static Matrix<double> ConcatY(params Matrix<double>[] parts) => Matrix<double>.Build.DenseOfRows(parts.SelectMany(p => p.EnumerateRows()));

/// <summary>Metropolis sampling of the 2-D Ising model (J = 1, no field, periodic boundaries).</summary>
internal static class Ising
{
    public static (Tensor X, Matrix<double> Y) Sample(int l, double[] temperatures, int perTemperature, Random rng)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (double temp in temperatures)
        {
            var s = new int[l * l];
            for (int i = 0; i < s.Length; i++) s[i] = rng.Next(2) * 2 - 1;
            for (int sweep = 0; sweep < 500; sweep++) Sweep(s, l, temp, rng);
            for (int k = 0; k < perTemperature; k++)
            {
                for (int sweep = 0; sweep < 20; sweep++) Sweep(s, l, temp, rng);
                xs.AddRange(s.Select(v => (double)v));
                ys.Add(Energy(s, l) / (l * l));
            }
        }
        int n = ys.Count;
        return (new Tensor(xs.ToArray(), n, l, l, 1), Matrix<double>.Build.Dense(n, 1, ys.ToArray()));
    }

    public static (Tensor X, Matrix<double> Y) Noise(int l, int n, Random rng)
    {
        var data = new double[n * l * l];
        var y = Matrix<double>.Build.Dense(n, 1);
        for (int e = 0; e < n; e++)
        {
            for (int i = 0; i < l * l; i++) data[e * l * l + i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            var s = data.AsSpan(e * l * l, l * l);
            double en = 0;
            for (int i = 0; i < l; i++)
            {
                for (int j = 0; j < l; j++) en -= s[i * l + j] * (s[((i + 1) % l) * l + j] + s[i * l + (j + 1) % l]);
            }
            y[e, 0] = en / (l * l);
        }
        return (new Tensor(data, n, l, l, 1), y);
    }

    private static void Sweep(int[] s, int l, double temp, Random rng)
    {
        for (int step = 0; step < s.Length; step++)
        {
            int i = rng.Next(l), j = rng.Next(l);
            int nb = s[((i + 1) % l) * l + j] + s[((i + l - 1) % l) * l + j] + s[i * l + (j + 1) % l] + s[i * l + (j + l - 1) % l];
            double dE = 2.0 * s[i * l + j] * nb;
            if (dE <= 0 || rng.NextDouble() < Math.Exp(-dE / temp)) s[i * l + j] = -s[i * l + j];
        }
    }

    private static double Energy(int[] s, int l)
    {
        double e = 0;
        for (int i = 0; i < l; i++)
        {
            for (int j = 0; j < l; j++) e -= s[i * l + j] * (s[((i + 1) % l) * l + j] + s[i * l + (j + 1) % l]);
        }
        return e;
    }
}
