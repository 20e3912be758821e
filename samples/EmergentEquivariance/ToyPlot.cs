using ScottPlot;

/// <summary>
/// The paper's toy figure (Gerken &amp; Kessel, ICML 2024, Fig. 2): the C_k-invariant target on the unit circle with the
/// augmented training points, and in one panel per training stage (initialisation and after 1, 2, 3 and the last
/// number of steps) the prediction of a single MLP, the mean of the finite ensemble and the infinite-width mean.
/// </summary>
internal static class ToyPlot
{
    private const double PanelWidth = 360, Gap = 60;

    public static string Save(ToyProblem toy, EnsembleResults r, string pathWithoutExtension)
    {
        var plt = new Plot();
        double[] deg = toy.PlotAngles.Select(a => a * 180 / Math.PI).ToArray();
        int n = r.PlotCount;
        var truthY = toy.PlotAngles.Select(toy.Target).ToArray();
        var aug = toy.Augmented;
        var pointAngles = Enumerable.Range(0, aug.X.Count).Select(i => (Math.Atan2(aug.X.Data[2 * i + 1], aug.X.Data[2 * i]) * 180 / Math.PI + 360) % 360).ToArray();
        var pointY = Enumerable.Range(0, aug.X.Count).Select(i => aug.Y[i, 0]).ToArray();
        Color truthColor = Colors.Black, singleColor = new("#E66100"), meanColor = new("#1A5FB4"), analyticColor = new("#2EC27E"), pointColor = new("#C01C28");
        double yMin = double.MaxValue, yMax = double.MinValue;
        var ticks = new List<Tick>();
        var labels = new List<ScottPlot.Plottables.Text>();

        for (int c = 0; c < r.Checkpoints.Length; c++)
        {
            double offset = c * (PanelWidth + Gap);
            double[] xs = deg.Select(d => d + offset).ToArray();
            bool first = c == 0;

            var truth = plt.Add.ScatterLine(xs, truthY, truthColor);
            truth.LineWidth = 2.5f;
            var single = plt.Add.ScatterLine(xs, Column(r.Outputs[0][c], n), singleColor);
            single.LineWidth = 1.5f;
            single.LinePattern = LinePattern.Dashed;
            var mean = FiniteEnsembles.Mean(r.Outputs.Select(o => o[c]));
            var ens = plt.Add.ScatterLine(xs, Column(mean, n), meanColor);
            ens.LineWidth = 2f;
            var analytic = plt.Add.ScatterLine(xs, Column(r.Analytic[c], n), analyticColor);
            analytic.LineWidth = 1.5f;
            analytic.LinePattern = LinePattern.Dotted;
            var pts = plt.Add.Markers(pointAngles.Select(a => a + offset).ToArray(), pointY, MarkerShape.FilledCircle, 7, pointColor);
            if (first)
            {
                truth.LegendText = $"ground truth (C{toy.K}-invariant)";
                single.LegendText = $"one MLP (width {r.Width})";
                ens.LegendText = $"mean of {r.Outputs.Length} MLPs";
                analytic.LegendText = "infinite-width mean μ_k";
                pts.LegendText = $"training points, augmented over C{toy.K}";
            }
            foreach (var ys in new[] { truthY, Column(r.Outputs[0][c], n), Column(mean, n), Column(r.Analytic[c], n) })
            {
                yMin = Math.Min(yMin, ys.Min());
                yMax = Math.Max(yMax, ys.Max());
            }
            int steps = r.Checkpoints[c];
            var label = plt.Add.Text(steps == 0 ? "initialisation" : $"after {steps} step{(steps == 1 ? "" : "s")}", offset + PanelWidth / 2, 0);
            label.LabelAlignment = Alignment.LowerCenter;
            label.LabelFontSize = 14;
            label.LabelBold = true;
            labels.Add(label);
            foreach (int t in new[] { 0, 90, 180, 270, 360 }) ticks.Add(new Tick(offset + t, t % 180 == 0 ? $"{t}°" : "", true));
            if (c > 0) plt.Add.VerticalLine(offset - Gap / 2, 1, Colors.Gray.WithAlpha(0.6), LinePattern.Solid);
        }
        double pad = 0.08 * (yMax - yMin);
        foreach (var l in labels) l.Location = new Coordinates(l.Location.X, yMax + 1.5 * pad);
        plt.Axes.SetLimits(-Gap / 3, r.Checkpoints.Length * (PanelWidth + Gap) - Gap * 2 / 3, yMin - pad, yMax + 3 * pad);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plt.Title($"Toy example: C{toy.K}-invariant target on the unit circle; {r.Outputs.Length} ReLU MLPs of width {r.Width}, full-batch gradient descent (η = {r.LearningRate:G3})");
        plt.XLabel("angle φ on the unit circle (per panel)");
        plt.YLabel("network output f(cos φ, sin φ)");
        plt.ShowLegend(Edge.Bottom);
        return Figures.Save(plt, pathWithoutExtension, 1800, 560);
    }

    private static double[] Column(MathNet.Numerics.LinearAlgebra.Matrix<double> m, int n) => Enumerable.Range(0, n).Select(i => m[i, 0]).ToArray();
}
