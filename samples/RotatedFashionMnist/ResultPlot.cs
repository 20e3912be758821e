using ScottPlot;

/// <summary>Bar chart: mean orbit-same fraction per group, with and without augmentation, in and out of distribution.</summary>
internal static class ResultPlot
{
    public static void Save(IReadOnlyList<OrbitRow> rows, string path)
    {
        var plt = new Plot();
        var series = new (string Label, Func<OrbitRow, bool> Pick, Func<OrbitRow, double> Value, Color Color)[]
        {
            ("augmented, Fashion-MNIST test", r => r.Augmented, r => r.FashionSame / r.Order, Colors.SteelBlue),
            ("augmented, MNIST (OOD)", r => r.Augmented, r => r.MnistSame / r.Order, Colors.LightSkyBlue),
            ("no augmentation, Fashion-MNIST test", r => !r.Augmented, r => r.FashionSame / r.Order, Colors.OrangeRed),
            ("no augmentation, MNIST (OOD)", r => !r.Augmented, r => r.MnistSame / r.Order, Colors.Orange),
        };
        var groups = rows.Select(r => r.Order).Distinct().ToArray();
        for (int s = 0; s < series.Length; s++)
        {
            var bars = new List<Bar>();
            for (int gi = 0; gi < groups.Length; gi++)
            {
                var row = rows.FirstOrDefault(r => r.Order == groups[gi] && series[s].Pick(r));
                if (row is null) continue;
                bars.Add(new Bar { Position = gi * (series.Length + 1) + s, Value = series[s].Value(row), FillColor = series[s].Color });
            }
            if (bars.Count == 0) continue;
            var bp = plt.Add.Bars(bars);
            bp.LegendText = series[s].Label;
        }
        plt.Axes.Bottom.SetTicks(groups.Select((_, gi) => gi * (series.Length + 1) + (series.Length - 1) / 2.0).ToArray(),
            groups.Select(g => $"C{g}").ToArray());
        plt.Axes.SetLimitsY(0, 1.45);
        plt.YLabel("mean orbit-same predictions / |G|");
        plt.Title("Rotated Fashion-MNIST, infinite-width CNN ensemble (NTK, t = ∞)");
        plt.ShowLegend(Alignment.UpperCenter);
        plt.SavePng(path, 900, 550);
    }
}
