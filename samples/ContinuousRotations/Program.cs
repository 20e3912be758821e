// The continuous group SO(2), approached by augmenting with its finite subgroups C_k (Gerken & Kessel, ICML 2024,
// continuous-group result): the infinite-width mean trained on C_k-augmented data is exactly C_k-invariant, and its
// residual SO(2)-invariance error, measured on a fine test orbit, falls with k at the rate of the kernel's angular
// spectrum.
//   Part 1: inputs in ℝ², where every rotation is exact. k = 1 … 64, test orbit of 720 angles, t ∈ {1, 10, ∞}, on
//           the training points and off them; ReLU (NTK and NNGP) and Erf MLPs.
//   Part 2: polar images (R, A) from `PolarGrid`, where rotations by 2π/A are exact cyclic shifts: train with Polar:k
//           augmentation, test on the Polar:K orbit (K = A = 64) for every k dividing K.
// Writes a CSV, a Markdown table and SVG/PNG figures of error vs k, with the fitted decay laws and the angular spectra.
//
//   dotnet run -c Release --project samples/ContinuousRotations -- [outDir] [--quick]
using System.Globalization;
using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Symmetry;
using static NtkSharp.Layers.Stax;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string outDir = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? Path.Combine("out", "ContinuousRotations");
bool quick = args.Contains("--quick");
Directory.CreateDirectory(outDir);
double[] times = [1, 10, double.PositiveInfinity];

// ---------- Part 1: ℝ² ----------
var rng = new Random(11);
(Tensor X, double[] Y) Points(int n)
{
    var x = new double[2 * n];
    var y = new double[n];
    for (int i = 0; i < n; i++)
    {
        // Radii spread evenly over [0.5, 1.5]: the SO(2)-averaged kernel sees only the radii, so close radii would
        // make it (and the t = ∞ interpolation) ill-conditioned.
        double r = 0.5 + (i + 0.5 * rng.NextDouble()) / n, phi = 2 * Math.PI * rng.NextDouble();
        x[2 * i] = r * Math.Cos(phi);
        x[2 * i + 1] = r * Math.Sin(phi);
        y[i] = Math.Sin(3 * phi) + r; // not invariant: only augmentation makes the mean invariant
    }
    return (new Tensor(x, n, 2), y);
}
var (xTrain, yTrain) = Points(6);
var (xOff, _) = Points(8);
int[] ks = quick ? [1, 2, 3, 4, 6, 8, 12, 16, 24, 32] : Enumerable.Range(1, 64).ToArray();
const int OrbitAngles = 720;

var nets = new (string Name, Layer Net, KernelOutputs Which)[]
{
    ("ReLU NTK", Serial(Dense(512, wStd: 1.5, bStd: 1.0), Relu(), Dense(512, wStd: 1.5, bStd: 1.0), Relu(), Dense(1, wStd: 1.5, bStd: 1.0)), KernelOutputs.Ntk),
    ("ReLU NNGP", Serial(Dense(512, wStd: 1.5, bStd: 1.0), Relu(), Dense(512, wStd: 1.5, bStd: 1.0), Relu(), Dense(1, wStd: 1.5, bStd: 1.0)), KernelOutputs.Nngp),
    ("Erf NTK", Serial(Dense(512, wStd: 1.5, bStd: 1.0), Erf(), Dense(512, wStd: 1.5, bStd: 1.0), Erf(), Dense(1, wStd: 1.5, bStd: 1.0)), KernelOutputs.Ntk),
};

var rows = new List<So2Row>();
foreach (var (name, net, which) in nets)
{
    var kf = new KernelFunction(net);
    foreach (int k in ks)
    {
        var mean = AugmentedMean.Fit(kf, xTrain, Column(yTrain), Groups.Cn(k, [2]), AugmentationMode.GroupAveraged, which: which);
        foreach (var (where, probe) in new[] { ("on", xTrain), ("off", xOff) })
        {
            var errs = So2.OrbitError(mean, probe, OrbitAngles, times);
            for (int t = 0; t < times.Length; t++) rows.Add(new So2Row(name, k, where, times[t], errs[t]));
        }
    }
    Console.WriteLine($"{name}: done k = 1 … {ks[^1]}");
}

// The angular spectrum of the kernel: c_n(x, x') = (1/2π)∮ K(x, R_β x') e^{−inβ} dβ, averaged over training pairs.
var spectra = nets.Select(n => (n.Name, Spectrum: So2.AngularSpectrum(new KernelFunction(n.Net), n.Which, xTrain, 1024, 130))).ToList();

// ---------- Part 2: polar images ----------
const int PolarK = 64;
var images = So2.SmoothImages(quick ? 6 : 10, 17, new Random(5));
var polarGrid = new PolarGrid(17, 6, PolarK);
var polarTrain = polarGrid.ToPolar(images);
var polarOff = polarGrid.ToPolar(So2.SmoothImages(4, 17, new Random(6)));
var polarY = Enumerable.Range(0, polarTrain.Count).Select(i => polarTrain.Data.Skip(i * polarTrain.ExampleSize).Take(polarTrain.ExampleSize).Sum() / polarTrain.ExampleSize * 10).ToArray();
var cnn = Serial(Conv(16, filter: (3, 3), padding: Padding.Circular, wStd: 1.4, bStd: 1.0), Relu(), Conv(16, filter: (3, 3), padding: Padding.Circular, wStd: 1.4, bStd: 1.0), Relu(), Flatten(), Dense(1, wStd: 1.4));
var cnnKf = new KernelFunction(cnn);
var polarKs = Enumerable.Range(1, PolarK).Where(k => PolarK % k == 0).ToArray();
var full = Groups.Polar(PolarK, polarTrain.ExampleShape);
foreach (int k in polarKs)
{
    var mean = AugmentedMean.Fit(cnnKf, polarTrain, Column(polarY), Groups.Polar(k, polarTrain.ExampleShape), AugmentationMode.GroupAveraged);
    foreach (var (where, probe) in new[] { ("on", polarTrain), ("off", polarOff) })
    {
        var errs = So2.GroupOrbitError(mean, probe, full, times);
        for (int t = 0; t < times.Length; t++) rows.Add(new So2Row("polar CNN NTK", k, where, times[t], errs[t]));
    }
    Console.WriteLine($"polar CNN: k = {k} done");
}

// ---------- Output ----------
File.WriteAllLines(Path.Combine(outDir, "so2_invariance.csv"),
    new[] { "model,k,test,time,max_relative_error" }.Concat(rows.Select(r => $"{r.Model},{r.K},{r.Test},{TimeText(r.Time)},{r.Error:G6}")));
var fits = So2Plots.Fits(rows);
File.WriteAllText(Path.Combine(outDir, "so2_invariance.md"), So2Plots.Markdown(rows, fits, spectra));
So2Plots.ErrorVsK(rows, fits, Path.Combine(outDir, "so2_invariance"));
So2Plots.Spectra(spectra, Path.Combine(outDir, "angular_spectrum"));
Console.WriteLine(File.ReadAllText(Path.Combine(outDir, "so2_invariance.md")));
Console.WriteLine($"wrote {outDir}/so2_invariance.{{csv,md,svg,png}} and angular_spectrum.{{svg,png}}");

static MathNet.Numerics.LinearAlgebra.Matrix<double> Column(double[] y) => MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(y.Length, 1, y);

static string TimeText(double t) => double.IsPositiveInfinity(t) ? "inf" : t.ToString("G6", CultureInfo.InvariantCulture);

internal sealed record So2Row(string Model, int K, string Test, double Time, double Error);
