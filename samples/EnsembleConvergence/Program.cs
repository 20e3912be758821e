// Finite-width deep ensembles against the infinite-width answer: trains ensembles of a one-hidden-layer ReLU
// network over a grid of widths and ensemble sizes, measures the distance of the ensemble mean after k gradient
// steps to the analytic discrete-time mean, and writes a Markdown table and a log–log plot (PNG and SVG).
//
//   dotnet run -c Release --project samples/EnsembleConvergence -- [outDir] [--quick] [--replot TABLE.md]
//
// --replot redraws the figure from a table this sample wrote before (e.g. the one in docs/ensembles.md) without
// training: docs/ensembles/convergence.{png,svg} come from `-- docs/ensembles --replot docs/ensembles.md`.
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using ScottPlot;
using static NtkSharp.Layers.Stax;

int replotAt = Array.IndexOf(args, "--replot");
string? replot = replotAt >= 0 && replotAt + 1 < args.Length ? args[replotAt + 1] : null;
string outDir = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (replotAt < 0 || i != replotAt + 1)).FirstOrDefault() ?? "ensemble-convergence";
bool quick = args.Contains("--quick");
Directory.CreateDirectory(outDir);
const int Steps = 100;
if (replot is not null)
{
    // Rows "| width | members | distance | SE | distance/SE | training time | analytic time |" of a table written by ToMarkdown.
    var rows = File.ReadLines(replot).Select(l => l.Split('|', StringSplitOptions.TrimEntries))
        .Where(c => c.Length >= 8 && int.TryParse(c[1], CultureInfo.InvariantCulture, out _) && int.TryParse(c[2], CultureInfo.InvariantCulture, out _))
        .Select(c => new ConvergencePoint(int.Parse(c[1], CultureInfo.InvariantCulture), int.Parse(c[2], CultureInfo.InvariantCulture),
            double.Parse(c[3], CultureInfo.InvariantCulture), double.Parse(c[4], CultureInfo.InvariantCulture), TimeSpan.Zero)).ToArray();
    if (rows.Length == 0) throw new ArgumentException($"--replot: no convergence table rows in {replot}");
    Console.WriteLine($"wrote {SavePlot(rows)} from the {rows.Length} rows of {replot}");
    return;
}

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
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max learning rate 2n/λmax = {maxLr:G4}; training at η = {eta:G4} for {Steps} steps"));

var result = Convergence.Run(Net, xTrain, yTrain, xTest,
    new ConvergenceOptions { Widths = widths, EnsembleSizes = sizes, LearningRate = eta, Steps = Steps, Seed = 2024 },
    new Progress<EnsembleProgress>(p => Console.Error.Write($"\rcells {p.Done}/{p.Total}")));
Console.Error.WriteLine();

string table = result.ToMarkdown();
Console.WriteLine(table);
File.WriteAllText(Path.Combine(outDir, "convergence.md"), table);
File.WriteAllText(Path.Combine(outDir, "convergence.csv"), result.ToCsv());

Console.WriteLine($"wrote {SavePlot(result.Points)}");


// Log–log: distance to the analytic mean against M per width, error bars = the Monte Carlo standard error of the
// ensemble mean (the spread expected from finite M alone), and the 1/√M rate through the smallest ensemble.
string SavePlot(IReadOnlyList<ConvergencePoint> points)
{
    int[] widths = points.Select(p => p.Width).Distinct().Order().ToArray();
    int[] sizes = points.Select(p => p.Members).Distinct().Order().ToArray();
    var plot = new Plot();
    var palette = new ScottPlot.Palettes.Category10();
    int c = 0;
    foreach (int w in widths)
    {
        var pts = points.Where(p => p.Width == w).OrderBy(p => p.Members).ToArray();
        var xs = pts.Select(p => Math.Log10(p.Members) + 0.04 * (c - (widths.Length - 1) / 2.0)).ToArray();   // small offsets: bars do not overlap
        var ys = pts.Select(p => Math.Log10(p.Distance)).ToArray();
        var line = plot.Add.Scatter(xs, ys, palette.GetColor(c));
        line.LegendText = $"width {w}";
        line.MarkerSize = 7;
        var bars = plot.Add.ErrorBar(xs, ys, Figures.LogErrors(pts.Select(p => p.Distance).ToArray(), pts.Select(p => p.StandardError).ToArray()));
        bars.Color = palette.GetColor(c);
        c++;
    }
    var first = points.Where(p => p.Members == sizes[0]).ToArray();
    double se1 = first.Average(p => p.StandardError);
    var rate = plot.Add.ScatterLine(sizes.Select(m => Math.Log10(m)).ToArray(), sizes.Select(m => Math.Log10(se1 / Math.Sqrt(m / (double)sizes[0]))).ToArray(), Colors.Gray);
    rate.LinePattern = LinePattern.Dashed;
    rate.LegendText = "Monte Carlo standard error ∝ 1/√M (mean over widths)";
    Figures.LogTicks(plot.Axes.Bottom);
    Figures.LogTicks(plot.Axes.Left);
    plot.Title($"Finite ensembles vs the analytic mean after {Steps} gradient-descent steps");
    plot.XLabel("ensemble size M (members)");
    plot.YLabel("RMS distance of the ensemble mean to the analytic mean");
    var note = plot.Add.Annotation("error bars: ± the Monte Carlo standard error of each ensemble mean", Alignment.LowerLeft);
    note.LabelBackgroundColor = Colors.White;
    note.LabelShadowColor = Colors.Transparent;
    plot.ShowLegend(Edge.Right);
    return Figures.Save(plot, Path.Combine(outDir, "convergence"), 1150, 650);
}
