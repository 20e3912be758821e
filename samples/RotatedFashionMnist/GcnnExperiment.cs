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
using ScottPlot;

/// <summary>
/// <c>--gcnn</c>: the GCNN NTK (LiftingConv + GroupConv(support: Identity) + GroupPool + GlobalAvgPool) against the
/// C4/D4-augmented CNN NTK (the same layers as plain convolutions, group-averaged kernel) and the plain CNN NTK, for p4
/// and p4m (Misof, Kessel &amp; Gerken 2025): test accuracy, accuracy on rotated test images, orbit-same counts on
/// Fashion-MNIST and on MNIST (OOD), at t = ∞; then small finite ensembles of GCNNs and of augmented CNNs at a few
/// widths against the analytic discrete-time mean.
/// </summary>
internal static class GcnnExperiment
{
    private const double WStd = 1.5, BStd = 0.1;

    public static Layer Cnn(int width) => Stax.Serial(
        Stax.Conv(width, (3, 3), padding: Padding.Circular, wStd: WStd, bStd: BStd), Stax.Relu(),
        Stax.Conv(width, (3, 3), padding: Padding.Circular, wStd: WStd, bStd: BStd), Stax.Relu(),
        Stax.GlobalAvgPool(), Stax.Dense(10, wStd: WStd, bStd: BStd));

    public static Layer Gcnn(PlanarGroup g, int width) => Stax.Serial(
        Stax.LiftingConv(width, g, (3, 3), Padding.Circular, wStd: WStd, bStd: BStd), Stax.Relu(),
        Stax.GroupConv(width, g, (3, 3), Padding.Circular, wStd: WStd, bStd: BStd, support: GroupSupport.Identity), Stax.Relu(),
        Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(10, wStd: WStd, bStd: BStd));

    public static void Run(ImageSet train, ImageSet test, ImageSet ood, string outDir, int[] widths, int members, int steps, Action<string> log)
    {
        var x = train.ToTensor();
        var y = train.OneHot(10);
        int[] shape = [train.Size, train.Size, 1];
        var times = new[] { double.PositiveInfinity };
        var cnn = new KernelFunction(Cnn(64));
        var rows = new List<(string Group, string Model, OrbitRow Row)>();
        var theorem = new List<(string Group, double Diff)>();
        var clock = Stopwatch.StartNew();
        var plain = AugmentedMean.Fit(cnn, x, y, null, AugmentationMode.None);
        log($"plain CNN fit {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var g in new[] { PlanarGroup.P4, PlanarGroup.P4M })
        {
            var group = g == PlanarGroup.P4 ? Groups.C4(shape) : Groups.D4(shape);
            clock.Restart();
            var gcnn = AugmentedMean.Fit(new KernelFunction(Gcnn(g, 64)), x, y, null, AugmentationMode.None);
            rows.Add((g.ToString(), "GCNN (no augmentation)", OrbitExperiment.Measure(group, gcnn.AtTimes(times), "GCNN", test.ToTensor(), test.Labels, ood.ToTensor(), 0, clock, log)));
            clock.Restart();
            var augmented = AugmentedMean.Fit(cnn, x, y, group, AugmentationMode.GroupAveraged);
            rows.Add((g.ToString(), $"CNN, {group.Name}-augmented", OrbitExperiment.Measure(group, augmented.AtTimes(times), "augmented", test.ToTensor(), test.Labels, ood.ToTensor(), 0, clock, log)));
            clock.Restart();
            rows.Add((g.ToString(), "CNN, no augmentation", OrbitExperiment.Measure(group, plain.AtTimes(times), null, test.ToTensor(), test.Labels, ood.ToTensor(), 0, clock, log)));
            double diff = (gcnn.Predict(test.ToTensor(), double.PositiveInfinity) - augmented.Predict(test.ToTensor(), double.PositiveInfinity)).Enumerate().Max(Math.Abs);
            theorem.Add((g.ToString(), diff));
            log($"{g}: max |μ_∞(GCNN) − μ_∞(augmented CNN)| on the test images = {diff:E2}");
        }

        var ensembles = FiniteEnsembles(train, test, widths, members, steps, log);
        var sb = new StringBuilder();
        sb.AppendLine($"N_train = {train.Count}, N_test = {test.Count} Fashion-MNIST, N_OOD = {ood.Count} MNIST, {train.Size}×{train.Size} pixels; " +
            "infinite width, NTK, t = ∞; Circular 3×3 convolutions (2 layers, ReLU), GlobalAvgPool, Dense(10), σ_w = 1.5, σ_b = 0.1.");
        sb.AppendLine();
        sb.AppendLine("| group | model | test accuracy | accuracy on rotated test | orbit-same, Fashion-MNIST | orbit-same, MNIST (OOD) | time (s) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (group, model, r) in rows)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {group} | {model} | {r.Accuracy:P0} | {r.RotatedAccuracy:P0} | {r.FashionSame:F2} / {r.Order} | {r.MnistSame:F2} / {r.Order} | {r.Seconds:F0} |");
        sb.AppendLine();
        foreach (var (group, diff) in theorem) sb.AppendLine(CultureInfo.InvariantCulture, $"- {group}: max |μ_∞(GCNN) − μ_∞(augmented CNN)| on the test images = {diff:E2}");
        sb.AppendLine();
        sb.AppendLine($"Finite ensembles (p4; {members} members, {steps} full-batch steps, N_train = {ensembles.Train}, N_test = {ensembles.Test}): RMS over the test outputs.");
        sb.AppendLine();
        sb.AppendLine("| width | ‖GCNN ensemble − μ‖ | ‖augmented-CNN ensemble − μ‖ | ‖GCNN ensemble − augmented-CNN ensemble‖ | RMS of μ |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var e in ensembles.Rows)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {e.Width} | {e.Gcnn:F4} | {e.Augmented:F4} | {e.Between:F4} | {ensembles.MuRms:F4} |");
        File.WriteAllText(Path.Combine(outDir, "gcnn.md"), sb.ToString());
        Console.WriteLine();
        Console.WriteLine(sb.ToString());
        Plot(rows, ensembles, Path.Combine(outDir, "gcnn.png"));
    }

    private sealed record EnsembleStudy(int Train, int Test, double MuRms, List<(int Width, double Gcnn, double Augmented, double Between)> Rows);

    private static EnsembleStudy FiniteEnsembles(ImageSet train, ImageSet test, int[] widths, int members, int steps, Action<string> log)
    {
        var small = train.Select([.. Enumerable.Range(0, train.Count).Where(i => i % 5 == 0).Take(20)]);
        var smallTest = test.Select([.. Enumerable.Range(0, Math.Min(20, test.Count))]);
        var x = small.ToTensor();
        var y = small.OneHot(10);
        var xt = smallTest.ToTensor();
        var group = Groups.C4([train.Size, train.Size, 1]);
        var aug = Augmentation.Augment(x, y, group);
        var gcnnKf = new KernelFunction(Gcnn(PlanarGroup.P4, 64));
        var cnnKf = new KernelFunction(Cnn(64));
        double eta = 0.5 * Math.Min(AugmentedMean.Fit(gcnnKf, x, y, null, AugmentationMode.None).MaxLearningRate,
            AugmentedMean.Fit(cnnKf, x, y, group, AugmentationMode.Explicit).MaxLearningRate);
        var opts = new GradientDescentOptions { LearningRate = eta };
        var mu = AugmentedMean.Fit(gcnnKf, x, y, null, AugmentationMode.None, opts).PredictSteps(xt, [steps])[0];
        var muAug = AugmentedMean.Fit(cnnKf, x, y, group, AugmentationMode.Explicit, opts).PredictSteps(xt, [steps])[0];
        log($"ensembles: η = {eta:G3}, analytic means of GCNN and augmented CNN differ by {(mu - muAug).Enumerate().Max(Math.Abs):E2} (max)");
        static double Rms(Matrix<double> m) => Math.Sqrt(m.Enumerate().Select(v => v * v).Average());
        var rows = new List<(int, double, double, double)>();
        foreach (int width in widths)
        {
            var clock = Stopwatch.StartNew();
            var options = new EnsembleOptions { Members = members, LearningRate = eta, Checkpoints = [steps], Seed = 7, RecordNtk = false };
            var g = Ensemble.Train(Gcnn(PlanarGroup.P4, width), x, y, xt, options).Mean(0);
            var c = Ensemble.Train(Cnn(width), aug.X, aug.Y, xt, options).Mean(0);
            rows.Add((width, Rms(g - mu), Rms(c - muAug), Rms(g - c)));
            log($"ensembles, width {width}: ‖GCNN − μ‖ = {Rms(g - mu):F4}, ‖augmented CNN − μ‖ = {Rms(c - muAug):F4}, between = {Rms(g - c):F4} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        return new EnsembleStudy(small.Count, smallTest.Count, Rms(mu), rows);
    }

    private static void Plot(List<(string Group, string Model, OrbitRow Row)> rows, EnsembleStudy ensembles, string path)
    {
        var mp = new Multiplot();
        mp.AddPlots(2);
        var left = mp.GetPlot(0);
        var colors = new[] { Colors.SteelBlue, Colors.SeaGreen, Colors.OrangeRed };
        // rows come per group as (GCNN, augmented CNN, plain CNN)
        string[] models = ["GCNN (no augmentation)", "CNN, augmented", "CNN, no augmentation"];
        var groups = rows.Select(r => r.Group).Distinct().ToArray();
        for (int m = 0; m < models.Length; m++)
        {
            var bars = new List<Bar>();
            for (int gi = 0; gi < groups.Length; gi++)
            {
                var r = rows.Where(q => q.Group == groups[gi]).ElementAt(m).Row;
                bars.Add(new Bar { Position = gi * 8 + m, Value = r.FashionSame / r.Order, FillColor = colors[m] });
                bars.Add(new Bar { Position = gi * 8 + 4 + m, Value = r.RotatedAccuracy, FillColor = colors[m] });
            }
            left.Add.Bars(bars).LegendText = models[m];
        }
        left.Axes.Bottom.SetTicks([1, 5, 9, 13], ["p4: orbit-same", "p4: rotated acc.", "p4m: orbit-same", "p4m: rotated acc."]);
        left.Axes.SetLimitsY(0, 1.3);
        left.Title("GCNN vs augmented vs plain CNN (NTK, t = ∞)");
        left.ShowLegend(Alignment.UpperCenter);
        var right = mp.GetPlot(1);
        double[] w = [.. ensembles.Rows.Select(r => (double)r.Width)];
        var s1 = right.Add.Scatter(w, [.. ensembles.Rows.Select(r => r.Gcnn)]);
        s1.LegendText = "GCNN ensemble − μ";
        var s2 = right.Add.Scatter(w, [.. ensembles.Rows.Select(r => r.Augmented)]);
        s2.LegendText = "augmented-CNN ensemble − μ";
        var s3 = right.Add.Scatter(w, [.. ensembles.Rows.Select(r => r.Between)]);
        s3.LegendText = "GCNN − augmented CNN";
        right.XLabel("width (channels)");
        right.YLabel("RMS over test outputs");
        right.Title("finite ensembles approach μ_t (p4)");
        right.ShowLegend(Alignment.UpperRight);
        mp.SavePng(path, 1400, 550);
    }
}
