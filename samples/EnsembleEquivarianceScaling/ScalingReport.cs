using System.Text;
using NtkSharp.Symmetry;
using ScottPlot;

/// <summary>Tables, fits and figures of the scaling runs.</summary>
internal static class ScalingReport
{
    public static string Table(ScalingTask t, List<ScalingRow> rows, int[] steps)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"\n## {t.Description}\n");
        sb.AppendLine("Relative RMS errors (normalised by the RMS of μ_k on the test orbits); ± is the standard deviation over the disjoint sub-ensembles (the number of blocks).\n");
        sb.AppendLine("| steps k | width | M | blocks | equivariance error of mean | ‖mean − μ_k‖ | members' own equivariance error |");
        sb.AppendLine("|---:|---:|---:|---:|---|---|---|");
        foreach (var r in rows.OrderBy(r => r.Steps).ThenBy(r => r.Width).ThenBy(r => r.Members))
            sb.AppendLine($"| {r.Steps} | {r.Width} | {r.Members} | {r.Blocks} | {r.EqMean:E2} ± {r.EqStd:E1} | {r.DistMean:E2} ± {r.DistStd:E1} | {r.MemberEqMean:E2} ± {r.MemberEqStd:E1} |");
        sb.AppendLine("\nFits (`ScalingFit`): equivariance error of the mean ≈ c·M^p per width; squared distance ≈ a/M + b·W^(−q) over all (M, W).\n");
        sb.AppendLine("| steps k | width | p (eq. error vs M) | ± | R² |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (int k in steps)
        {
            foreach (var grp in rows.Where(r => r.Steps == k).GroupBy(r => r.Width))
            {
                var pts = grp.Where(r => r.EqMean > 0).ToArray();
                if (pts.Length < 3) continue;
                var fit = ScalingFit.PowerLaw(pts.Select(r => (double)r.Members).ToArray(), pts.Select(r => r.EqMean).ToArray());
                sb.AppendLine($"| {k} | {grp.Key} | {fit.Exponent:F3} | {fit.ExponentStandardError:F3} | {fit.RSquared:F4} |");
            }
        }
        sb.AppendLine("\n| steps k | a (MC: σ²) | b | q (width exponent of the squared bias) | relative rms residual | width part at W = 64 / 2048 | MC part at M = 1000 |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---|---|");
        foreach (int k in steps)
        {
            var pts = rows.Where(r => r.Steps == k && r.Dist2Mean > 0).ToArray();
            if (pts.Length < 3) continue;
            var fit = ScalingFit.MonteCarloPlusWidth(pts.Select(r => r.Members).ToArray(), pts.Select(r => r.Width).ToArray(), pts.Select(r => r.Dist2Mean).ToArray());
            sb.AppendLine($"| {k} | {fit.MonteCarloCoefficient:E2} | {fit.WidthCoefficient:E2} | {fit.WidthExponent:F2} | {fit.RelativeRms:F3} | {Math.Sqrt(fit.WidthCoefficient * Math.Pow(64, -fit.WidthExponent)):E2} / {Math.Sqrt(fit.WidthCoefficient * Math.Pow(2048, -fit.WidthExponent)):E2} | {Math.Sqrt(fit.MonteCarloCoefficient / 1000):E2} |");
        }
        return sb.ToString();
    }

    public static void Plot(ScalingTask t, List<ScalingRow> rows, int[] steps, string path, bool eq)
    {
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int ci = 0;
        foreach (var grp in rows.GroupBy(r => r.Width).OrderBy(g => g.Key))
        {
            var color = palette.GetColor(ci++);
            for (int s = 0; s < steps.Length; s++)
            {
                var pts = grp.Where(r => r.Steps == steps[s]).OrderBy(r => r.Members).ToArray();
                var xs = pts.Select(r => Math.Log10(r.Members)).ToArray();
                var ys = pts.Select(r => Math.Log10(eq ? r.EqMean : r.DistMean)).ToArray();
                var es = pts.Select(r => (eq ? r.EqStd : r.DistStd) / (eq ? r.EqMean : r.DistMean) / Math.Log(10)).Select(e => double.IsFinite(e) ? e : 0).ToArray();
                var sc = plt.Add.Scatter(xs, ys, color);
                sc.LineWidth = 2;
                sc.LinePattern = s == 0 ? LinePattern.Dotted : s == steps.Length - 1 ? LinePattern.Solid : LinePattern.Dashed;
                sc.LegendText = $"W = {grp.Key}, k = {steps[s]}";
                var eb = plt.Add.ErrorBar(xs, ys, es);
                eb.Color = color;
            }
        }
        var first = rows.Where(r => r.Members == 1).Select(r => eq ? r.EqMean : r.DistMean).DefaultIfEmpty(1).Max();
        var line = plt.Add.Scatter(new[] { 0.0, 3.0 }, new[] { Math.Log10(first), Math.Log10(first) - 1.5 });
        line.LegendText = "∝ M^(−1/2)";
        line.Color = Colors.Black;
        line.LinePattern = LinePattern.Dashed;
        line.MarkerSize = 0;
        plt.Title(eq ? $"Equivariance error of the ensemble mean — {t.Description}" : $"Distance of the ensemble mean to μ_k — {t.Description}");
        plt.XLabel("log10 M (ensemble members)");
        plt.YLabel(eq ? "log10 relative equivariance error" : "log10 ‖mean − μ_k‖ / ‖μ_k‖");
        plt.ShowLegend(Alignment.LowerLeft);
        plt.SavePng(path, 1000, 650);
    }
}
