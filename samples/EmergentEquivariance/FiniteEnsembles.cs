using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Symmetry;
using ScottPlot;

/// <summary>Finite-width deep ensembles trained by full-batch gradient descent on the augmented toy data.</summary>
internal sealed class EnsembleResults
{
    public required int Width { get; init; }

    public required int Steps { get; init; }

    public required double LearningRate { get; init; }

    public required int[] Checkpoints { get; init; }

    /// <summary>[member][checkpoint] outputs on the evaluation inputs (plot angles, then the two orbits).</summary>
    public required Matrix<double>[][] Outputs { get; init; }

    /// <summary>The analytic discrete-time mean after each checkpoint's number of steps.</summary>
    public required IReadOnlyList<Matrix<double>> Analytic { get; init; }

    public required int PlotCount { get; init; }

    public required (string Name, int Offset, int Count)[] Orbits { get; init; }

    /// <summary>Per ensemble size M: the equivariance errors (mean and max per orbit set, averaged over the disjoint
    /// ensembles of M members), the analytic mean's, the distance to it, and the standard errors of the errors over the
    /// disjoint ensembles (0 when there is only one).</summary>
    public required (int M, double[] Error, double[] Analytic, double Distance, double[] ErrorSe)[] Rows { get; init; }
}

internal static class FiniteEnsembles
{
    public static EnsembleResults Run(ToyProblem toy, int members, int steps, int width)
    {
        var layer = ToyProblem.Mlp(width);
        var kf = new KernelFunction(layer);
        var analyticMean = AugmentedMean.Fit(kf, toy.XTrain, toy.YTrain, toy.Group, AugmentationMode.Explicit);
        double eta = Math.Min(1.0, 0.5 * analyticMean.MaxLearningRate);
        var analyticWithEta = AugmentedMean.Fit(kf, toy.XTrain, toy.YTrain, toy.Group, AugmentationMode.Explicit, new NtkSharp.Prediction.GradientDescentOptions { LearningRate = eta });

        // Evaluation inputs: the plot angles on the circle, then the C_k orbits of the circle and off-manifold test sets.
        var plot = ToyProblem.Circle(toy.PlotAngles, 1.0);
        var orbits = new[] { ("circle", toy.Group.OrbitInputs(toy.OnCircle)), ("off-manifold", toy.Group.OrbitInputs(toy.OffManifold)) };
        var all = Concat([plot, .. orbits.Select(o => o.Item2)]);
        var orbitInfo = new (string, int, int)[orbits.Length];
        int offset = plot.Count;
        for (int i = 0; i < orbits.Length; i++)
        {
            orbitInfo[i] = (orbits[i].Item1, offset, orbits[i].Item2.Count);
            offset += orbits[i].Item2.Count;
        }

        int[] checkpoints = [0, 1, 2, 3, steps];
        var sw = Stopwatch.StartNew();
        var x = toy.Augmented.X;
        var y = toy.Augmented.Y;
        var trained = Ensemble.Train(layer, x, y, all, new EnsembleOptions
        {
            Members = members,
            LearningRate = eta,
            Checkpoints = checkpoints,
            Seed = 2024,
            RecordNtk = false,
        });
        var outputs = Enumerable.Range(0, members)
            .Select(m => Enumerable.Range(0, checkpoints.Length).Select(c => trained.MemberOutput(c, m)).ToArray()).ToArray();
        double trainSeconds = sw.Elapsed.TotalSeconds;
        var analytic = analyticWithEta.PredictSteps(all, checkpoints);

        // Equivariance of the ensemble mean of M members after the last checkpoint, averaged over disjoint ensembles.
        int last = checkpoints.Length - 1;
        var rows = new List<(int, double[], double[], double, double[])>();
        foreach (int mSize in new[] { 1, 3, 10, 30, 100 }.Where(v => v <= members))
        {
            int groups = members / mSize;
            var err = new double[2 * orbitInfo.Length];
            var perGroup = new double[groups, 2 * orbitInfo.Length];
            double dist = 0;
            for (int gIdx = 0; gIdx < groups; gIdx++)
            {
                var mean = Mean(outputs.Skip(gIdx * mSize).Take(mSize).Select(o => o[last]));
                for (int o = 0; o < orbitInfo.Length; o++)
                {
                    var sub = mean.SubMatrix(orbitInfo[o].Item2, orbitInfo[o].Item3, 0, 1);
                    var rep = Equivariance.FromOrbitPredictions(toy.Group, sub, orbitInfo[o].Item3 / toy.Group.Order);
                    err[2 * o] += rep.MeanRelativeError / groups;
                    err[2 * o + 1] += rep.MaxRelativeError / groups;
                    perGroup[gIdx, 2 * o] = rep.MeanRelativeError;
                    perGroup[gIdx, 2 * o + 1] = rep.MaxRelativeError;
                }
                var pm = mean.SubMatrix(0, plot.Count, 0, 1);
                var pa = analytic[last].SubMatrix(0, plot.Count, 0, 1);
                dist += (pm - pa).FrobeniusNorm() / pa.FrobeniusNorm() / groups;
            }
            var an = orbitInfo.SelectMany(o =>
            {
                var rep = Equivariance.FromOrbitPredictions(toy.Group, analytic[last].SubMatrix(o.Item2, o.Item3, 0, 1), o.Item3 / toy.Group.Order);
                return new[] { rep.MeanRelativeError, rep.MaxRelativeError };
            }).ToArray();
            var se = Enumerable.Range(0, err.Length).Select(j => groups < 2 ? 0 :
                Math.Sqrt(Enumerable.Range(0, groups).Sum(g => Math.Pow(perGroup[g, j] - err[j], 2)) / (groups - 1) / groups)).ToArray();
            rows.Add((mSize, err, an, dist, se));
        }

        Console.WriteLine();
        Console.WriteLine($"3. Finite deep ensembles: {members} ReLU MLPs of width {width} (NTK parameterisation), each trained by {steps} steps of full-batch");
        Console.WriteLine($"   gradient descent (η = {eta:G3}, loss ½·mean((f − y)²)) on the {x.Count} augmented points ({trainSeconds:F1} s). Equivariance error of the ensemble");
        Console.WriteLine($"   mean of M members, mean and max over test inputs and g ≠ e (averaged over {members}/M disjoint ensembles); the infinite-width");
        Console.WriteLine($"   mean after the same {steps} steps (∞ row) for reference.");
        Console.WriteLine();
        const int w = 16;
        Console.WriteLine("   " + "M".PadRight(6) + "| " + string.Concat(orbitInfo.Select(o => $"{o.Item1}: mean ".PadRight(w + 4) + "max".PadRight(w - 4))) + "| ‖mean − μ‖/‖μ‖ on the circle");
        Console.WriteLine("   " + new string('-', 6 + 2 + orbitInfo.Length * 2 * w + 30));
        foreach (var r in rows)
            Console.WriteLine("   " + r.Item1.ToString().PadRight(6) + "| " + string.Concat(r.Item2.Select((e, i) => e.ToString("0.00E+00").PadRight(i % 2 == 0 ? w + 4 : w - 4))) + "| " + r.Item4.ToString("0.00E+00"));
        Console.WriteLine("   " + "∞".PadRight(6) + "| " + string.Concat(rows[0].Item3.Select((e, i) => e.ToString("0.0E+00").PadRight(i % 2 == 0 ? w + 4 : w - 4))) + "| 0 (the analytic mean itself)");
        if (rows.Count >= 2)
        {
            double slope = Math.Log(rows[^1].Item2[0] / rows[0].Item2[0]) / Math.Log((double)rows[^1].Item1 / rows[0].Item1);
            Console.WriteLine($"   Slope of log(mean error) vs log M on the circle: {slope:F2} (Monte Carlo rate: −0.5).");
        }

        return new EnsembleResults
        {
            Width = width,
            Steps = steps,
            LearningRate = eta,
            Checkpoints = checkpoints,
            Outputs = outputs,
            Analytic = analytic,
            PlotCount = plot.Count,
            Orbits = orbitInfo,
            Rows = rows.ToArray(),
        };
    }

    /// <summary>Log–log plot of the ensemble mean's equivariance error against the number of members M, with error
    /// bars (standard error over the disjoint ensembles of M members) and the Monte Carlo rate 1/√M.</summary>
    public static string SaveErrorPlot(EnsembleResults r, string pathWithoutExtension)
    {
        var plt = new Plot();
        double[] logM = r.Rows.Select(row => Math.Log10(row.M)).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        for (int o = 0; o < r.Orbits.Length; o++)
        {
            double[] e = r.Rows.Select(row => row.Error[2 * o]).ToArray();
            double[] se = r.Rows.Select(row => row.ErrorSe[2 * o]).ToArray();
            var s = plt.Add.Scatter(logM, e.Select(Math.Log10).ToArray(), palette.GetColor(o));
            s.LegendText = $"ensemble mean, {r.Orbits[o].Name} test inputs (mean over inputs and g ≠ e)";
            s.LineWidth = 2;
            s.MarkerSize = 8;
            var bars = plt.Add.ErrorBar(logM, e.Select(Math.Log10).ToArray(), Figures.LogErrors(e, se));
            bars.Color = palette.GetColor(o);
        }
        double c = r.Rows[0].Error[0];
        var refLine = plt.Add.ScatterLine(logM, logM.Select(l => Math.Log10(c) - 0.5 * l).ToArray(), Colors.Gray);
        refLine.LegendText = "Monte Carlo rate ∝ 1/√M";
        refLine.LinePattern = LinePattern.Dashed;
        Figures.LogTicks(plt.Axes.Bottom);
        Figures.LogTicks(plt.Axes.Left);
        double lo = r.Rows.Min(row => Math.Min(row.Error[0], row.Error[^2])), hi = r.Rows.Max(row => Math.Max(row.Error[0], row.Error[^2]));
        plt.Axes.SetLimits(-0.15, logM[^1] + 0.15, Math.Floor(Math.Log10(lo) - 0.2), Math.Ceiling(Math.Log10(hi) + 0.2));
        plt.Title($"Equivariance error of finite ensembles trained on augmented data (width {r.Width}, {r.Steps} steps)");
        plt.XLabel("ensemble size M (members)");
        plt.YLabel("relative equivariance error ‖f(ρ(g)x) − f(x)‖ / ‖f(x)‖");
        plt.ShowLegend(Edge.Bottom);
        return Figures.Save(plt, pathWithoutExtension, 900, 650);
    }

    internal static Matrix<double> Mean(IEnumerable<Matrix<double>> ms)
    {
        Matrix<double>? sum = null;
        int count = 0;
        foreach (var m in ms)
        {
            sum = sum is null ? m.Clone() : sum + m;
            count++;
        }
        return sum! / count;
    }

    private static Tensor Concat(Tensor[] parts)
    {
        var data = parts.SelectMany(p => p.Data).ToArray();
        return new Tensor(data, parts.Sum(p => p.Count), 2);
    }
}
