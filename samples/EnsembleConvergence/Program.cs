// Finite-width deep ensembles against the infinite-width answer: trains ensembles of a one-hidden-layer ReLU
// network over a grid of widths and ensemble sizes, measures the distance of the ensemble mean after k gradient
// steps to the analytic discrete-time mean, and writes a Markdown table and a PNG plot.
//
//   dotnet run -c Release --project samples/EnsembleConvergence -- [outDir] [--quick]
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using ScottPlot;
using static NtkSharp.Layers.Stax;

string outDir = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "ensemble-convergence";
bool quick = args.Contains("--quick");
Directory.CreateDirectory(outDir);

// Toy regression in d = 3: 16 training and 8 test inputs x ~ N(0, I), target y = sin(x₁ + x₂) + ½·x₃.
var rng = new NtkSharp.Finite.GaussianSampler(7);
Tensor Gaussian(int n)
{
    var data = new double[n * 3];
    rng.FillGaussian(data, 1.0);
    return new Tensor(data, n, 3);
}
var xTrain = Gaussian(16);
var xTest = Gaussian(8);
var yTrain = Matrix<double>.Build.Dense(16, 1, (i, _) => Math.Sin(xTrain.Data[3 * i] + xTrain.Data[3 * i + 1]) + 0.5 * xTrain.Data[3 * i + 2]);

Layer Net(int width) => Serial(Dense(width, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5, bStd: 0.05));

var ntk = new KernelFunction(Net(1)).Compute(xTrain, outputs: KernelOutputs.Ntk).Ntk!;
double maxLr = GradientDescentMse.MaxLearningRateOf(ntk, yTrain.RowCount);
double eta = 0.5 * maxLr;
int[] widths = quick ? [64, 256] : [64, 128, 256, 512, 1024, 2048];
int[] sizes = quick ? [1, 10] : [1, 10, 100, 1000];
const int Steps = 100;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max learning rate 2n/λmax = {maxLr:G4}; training at η = {eta:G4} for {Steps} steps"));

var result = Convergence.Run(Net, xTrain, yTrain, xTest,
    new ConvergenceOptions { Widths = widths, EnsembleSizes = sizes, LearningRate = eta, Steps = Steps, Seed = 2024 },
    new Progress<EnsembleProgress>(p => Console.Error.Write($"\rcells {p.Done}/{p.Total}")));
Console.Error.WriteLine();

string table = result.ToMarkdown();
Console.WriteLine(table);
File.WriteAllText(Path.Combine(outDir, "convergence.md"), table);
File.WriteAllText(Path.Combine(outDir, "convergence.csv"), result.ToCsv());

var plot = new Plot();
var palette = new ScottPlot.Palettes.Category10();
int c = 0;
foreach (int w in widths)
{
    var pts = result.Points.Where(p => p.Width == w).OrderBy(p => p.Members).ToArray();
    var xs = pts.Select(p => Math.Log10(p.Members)).ToArray();
    var ys = pts.Select(p => Math.Log10(p.Distance)).ToArray();
    var line = plot.Add.Scatter(xs, ys, palette.GetColor(c));
    line.LegendText = $"width {w}";
    var se = plot.Add.Scatter(xs, pts.Select(p => Math.Log10(p.StandardError)).ToArray(), palette.GetColor(c));
    se.LinePattern = LinePattern.Dotted;
    se.MarkerSize = 0;
    c++;
}
plot.Title($"Ensemble mean vs analytic mean after {Steps} steps (dotted: MC standard error)");
plot.XLabel("log10 ensemble size M");
plot.YLabel("log10 RMS distance");
plot.ShowLegend(Alignment.LowerLeft);
string png = Path.Combine(outDir, "convergence.png");
plot.SavePng(png, 900, 600);
Console.WriteLine($"wrote {png}");
