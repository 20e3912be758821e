using NtkSharp.Kernels;
using NtkSharp.Symmetry;
using ScottPlot;

/// <summary>The paper's toy example plot: predictions along the circle.</summary>
internal static class ToyPlot
{
    public static void Save(ToyProblem toy, EnsembleResults r, string path)
    {
        var plt = new Plot();
        double[] deg = toy.PlotAngles.Select(a => a * 180 / Math.PI).ToArray();
        int n = r.PlotCount, last = r.Checkpoints.Length - 1;

        var truth = plt.Add.Scatter(deg, toy.PlotAngles.Select(toy.Target).ToArray());
        truth.LegendText = $"ground truth (C{toy.K}-invariant)";
        truth.Color = Colors.Black;
        truth.LineWidth = 3;
        truth.MarkerSize = 0;

        for (int c = 1; c < r.Checkpoints.Length; c++)
        {
            var s = plt.Add.Scatter(deg, Enumerable.Range(0, n).Select(i => r.Analytic[c][i, 0]).ToArray());
            s.LegendText = $"μ after {r.Checkpoints[c]} step{(r.Checkpoints[c] == 1 ? "" : "s")} (infinite width)";
            s.LineWidth = 1.5f;
            s.MarkerSize = 0;
            s.LinePattern = c == last ? LinePattern.Solid : LinePattern.Dotted;
        }

        var single = plt.Add.Scatter(deg, Enumerable.Range(0, n).Select(i => r.Outputs[0][last][i, 0]).ToArray());
        single.LegendText = $"single MLP (width {r.Width}), {r.Steps} steps";
        single.LineWidth = 1.5f;
        single.MarkerSize = 0;
        single.LinePattern = LinePattern.Dashed;

        var mean = FiniteEnsembles.Mean(r.Outputs.Select(o => o[last]));
        var ens = plt.Add.Scatter(deg, Enumerable.Range(0, n).Select(i => mean[i, 0]).ToArray());
        ens.LegendText = $"ensemble mean of {r.Outputs.Length} MLPs, {r.Steps} steps";
        ens.LineWidth = 2;
        ens.MarkerSize = 0;

        var aug = toy.Augmented;
        var angles = Enumerable.Range(0, aug.X.Count).Select(i => (Math.Atan2(aug.X.Data[2 * i + 1], aug.X.Data[2 * i]) * 180 / Math.PI + 360) % 360).ToArray();
        var pts = plt.Add.ScatterPoints(angles, Enumerable.Range(0, aug.X.Count).Select(i => aug.Y[i, 0]).ToArray());
        pts.LegendText = "augmented training points";
        pts.MarkerSize = 9;
        pts.Color = Colors.Red;

        plt.Title($"Toy example: C{toy.K}-invariant target on the unit circle, training data augmented over C{toy.K}");
        plt.XLabel("angle φ (degrees)");
        plt.YLabel("output");
        plt.Axes.SetLimitsY(-1.6, 3.5);
        plt.ShowLegend(Alignment.LowerLeft);
        plt.SavePng(path, 1100, 600);
    }
}
