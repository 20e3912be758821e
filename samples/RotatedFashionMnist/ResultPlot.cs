using ScottPlot;

/// <summary>
/// Bar chart of the mean orbit-same predictions as a fraction of |G| per group, with and without augmentation, on
/// Fashion-MNIST test images and on MNIST digits (out of distribution), with ± one standard error over the test images
/// and the paper's values (Gerken &amp; Kessel, ICML 2024: augmented deep ensembles and E2CNN on Fashion-MNIST) marked.
/// </summary>
internal static class ResultPlot
{
    // The paper's mean orbit-same predictions on rotated Fashion-MNIST (ensemble, E2CNN), as in ResultTable.
    private static readonly Dictionary<int, (double Ensemble, double E2cnn)> Paper = new() { [4] = (3.85, 4), [8] = (7.72, 7.71), [16] = (15.24, 15.08) };

    public static string Save(IReadOnlyList<OrbitRow> rows, string pathWithoutExtension)
    {
        var plt = new Plot();
        var series = new (string Label, Func<OrbitRow, bool> Pick, Func<OrbitRow, double> Value, Func<OrbitRow, double> Se, Color Color)[]
        {
            ("augmented, Fashion-MNIST test", r => r.Augmented, r => r.FashionSame, r => r.FashionSameSe, new Color("#1A5FB4")),
            ("augmented, MNIST (out of distribution)", r => r.Augmented, r => r.MnistSame, r => r.MnistSameSe, new Color("#99C1F1")),
            ("no augmentation, Fashion-MNIST test", r => !r.Augmented, r => r.FashionSame, r => r.FashionSameSe, new Color("#C01C28")),
            ("no augmentation, MNIST (out of distribution)", r => !r.Augmented, r => r.MnistSame, r => r.MnistSameSe, new Color("#F66151")),
        };
        var groups = rows.Select(r => r.Order).Distinct().ToArray();
        double Position(int gi, int s) => gi * (series.Length + 1) + s;
        for (int s = 0; s < series.Length; s++)
        {
            var bars = new List<Bar>();
            foreach (var (g, gi) in groups.Select((g, gi) => (g, gi)))
            {
                var row = rows.FirstOrDefault(r => r.Order == g && series[s].Pick(r));
                if (row is null) continue;
                bars.Add(new Bar
                {
                    Position = Position(gi, s),
                    Value = series[s].Value(row) / row.Order,
                    Error = series[s].Se(row) / row.Order,
                    FillColor = series[s].Color,
                    LineWidth = 1.2f,          // the outline and the error bar
                    LineColor = Colors.Black,
                    ErrorSize = 0.3,
                });
            }
            if (bars.Count == 0) continue;
            var bp = plt.Add.Bars(bars);
            bp.LegendText = series[s].Label;
        }
        // The paper's values beside our augmented Fashion-MNIST bars.
        var ensembleX = new List<double>();
        var ensembleY = new List<double>();
        var e2X = new List<double>();
        var e2Y = new List<double>();
        foreach (var (g, gi) in groups.Select((g, gi) => (g, gi)))
        {
            if (!Paper.TryGetValue(g, out var p)) continue;
            ensembleX.Add(Position(gi, 0));
            ensembleY.Add(p.Ensemble / g);
            e2X.Add(Position(gi, 0));
            e2Y.Add(p.E2cnn / g);
        }
        if (ensembleX.Count > 0)
        {
            var pe = plt.Add.Markers(ensembleX.ToArray(), ensembleY.ToArray(), MarkerShape.FilledDiamond, 11, Colors.Black);
            pe.LegendText = "paper: augmented deep ensemble (Fashion-MNIST)";
            var pc = plt.Add.Markers(e2X.ToArray(), e2Y.ToArray(), MarkerShape.OpenCircle, 13, Colors.Black);
            pc.LegendText = "paper: E2CNN (Fashion-MNIST)";
        }
        plt.Axes.Bottom.SetTicks(groups.Select((_, gi) => Position(gi, 0) + (series.Length - 1) / 2.0).ToArray(),
            groups.Select(g => $"C{g} ({g} rotations)").ToArray());
        plt.Axes.SetLimitsY(0, 1.05);
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plt.Axes.SetLimitsX(-1, Position(groups.Length - 1, series.Length - 1) + 1);
        plt.XLabel("rotation group");
        plt.YLabel("mean orbit-same predictions / |G|");
        plt.Title("Rotated Fashion-MNIST: infinite-width CNN ensemble mean (NTK, t = ∞), ± 1 standard error");
        plt.ShowLegend(Edge.Right);
        return Figures.Save(plt, pathWithoutExtension, 1150, 550);
    }
}
