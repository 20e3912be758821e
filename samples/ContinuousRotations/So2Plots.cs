using System.Globalization;
using System.Text;
using ScottPlot;

/// <summary>Decay-law fits, the Markdown table and the figures of the SO(2) experiment.</summary>
internal static class So2Plots
{
    private const double Floor = 1e-16;

    /// <summary>Least-squares fits of log e = a + p·log k (power law) and log e = a − λk (exponential) per model, test set
    /// and time, over 4 ≤ k while e is above the rounding floor, with the better fit (smaller residual) marked.</summary>
    public static List<Fit> Fits(IReadOnlyList<So2Row> rows)
    {
        var fits = new List<Fit>();
        foreach (var grp in rows.GroupBy(r => (r.Model, r.Test, r.Time)))
        {
            var pts = grp.Where(r => r.K >= 4 && r.Error > 1e-13).OrderBy(r => r.K).ToArray();
            if (pts.Length < 4) continue;
            var (powA, powP, powRes) = Line(pts.Select(r => Math.Log(r.K)).ToArray(), pts.Select(r => Math.Log(r.Error)).ToArray());
            var (expA, expL, expRes) = Line(pts.Select(r => (double)r.K).ToArray(), pts.Select(r => Math.Log(r.Error)).ToArray());
            fits.Add(new Fit(grp.Key.Model, grp.Key.Test, grp.Key.Time, powP, Math.Exp(powA), powRes, -expL, Math.Exp(expA), expRes));
        }
        return fits;
    }

    private static (double A, double Slope, double Rms) Line(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx));
        double slope = sxy / sxx, a = my - slope * mx;
        double rms = Math.Sqrt(x.Zip(y, (u, v) => (v - a - slope * u) * (v - a - slope * u)).Average());
        return (a, slope, rms);
    }

    public static string Markdown(IReadOnlyList<So2Row> rows, IReadOnlyList<Fit> fits, IReadOnlyList<(string Name, double[] Spectrum)> spectra)
    {
        var sb = new StringBuilder();
        int[] show = [1, 2, 4, 8, 16, 32, 64];
        sb.AppendLine("SO(2)-invariance error max_{x, β} |μ_t(R_β x) − μ_t(x)| / rms_x μ_t(x) of the C_k-augmented mean (polar: Polar:k, tested on the Polar:64 orbit)");
        sb.AppendLine();
        sb.AppendLine("| model | test | t | " + string.Join(" | ", show.Select(k => $"k = {k}")) + " |");
        sb.AppendLine("|---|---|---|" + string.Concat(show.Select(_ => "---|")));
        foreach (var grp in rows.GroupBy(r => (r.Model, r.Test, r.Time)))
        {
            var cells = show.Select(k => grp.FirstOrDefault(r => r.K == k) is { } r ? r.Error.ToString("0.0e+0", CultureInfo.InvariantCulture) : "");
            sb.AppendLine($"| {grp.Key.Model} | {grp.Key.Test} | {Time(grp.Key.Time)} | {string.Join(" | ", cells)} |");
        }
        sb.AppendLine();
        sb.AppendLine("Fitted decay over k ≥ 4 (log-residuals: the smaller one is the law that holds):");
        sb.AppendLine();
        sb.AppendLine("| model | test | t | power law e ≈ C·k^p | rms | exponential e ≈ C·e^(−λk) | rms |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var f in fits)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {f.Model} | {f.Test} | {Time(f.Time)} | p = {f.Power:F2} | {f.PowerRms:F2} | λ = {f.Rate:F3} | {f.RateRms:F2} |"));
        sb.AppendLine();
        sb.AppendLine("Angular spectrum |c_n|/c_0 of the kernel K(x, R_β x′) (mean over training pairs):");
        sb.AppendLine();
        int[] ns = [1, 2, 4, 8, 16, 32, 64, 128];
        sb.AppendLine("| kernel | " + string.Join(" | ", ns.Select(n => $"n = {n}")) + " |");
        sb.AppendLine("|---|" + string.Concat(ns.Select(_ => "---|")));
        foreach (var (name, s) in spectra)
            sb.AppendLine($"| {name} | " + string.Join(" | ", ns.Select(n => n < s.Length ? s[n].ToString("0.0e+0", CultureInfo.InvariantCulture) : "")) + " |");
        sb.AppendLine();
        sb.AppendLine("Fitted decay of the spectrum over 8 ≤ n ≤ 128 (above the rounding floor):");
        sb.AppendLine();
        foreach (var (name, s) in spectra)
        {
            var idx = Enumerable.Range(8, Math.Max(0, Math.Min(s.Length, 129) - 8)).Where(n => s[n] > 1e-13).ToArray();
            if (idx.Length < 4) continue;
            var (_, p, pr) = Line(idx.Select(n => Math.Log(n)).ToArray(), idx.Select(n => Math.Log(s[n])).ToArray());
            var (_, l, lr) = Line(idx.Select(n => (double)n).ToArray(), idx.Select(n => Math.Log(s[n])).ToArray());
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {name}: |c_n| ∝ n^{p:F2} (rms {pr:F2}) or e^(−{-l:F3}n) (rms {lr:F2})"));
        }
        return sb.ToString();
    }

    public static void ErrorVsK(IReadOnlyList<So2Row> rows, IReadOnlyList<Fit> fits, string pathWithoutExtension)
    {
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int c = 0;
        foreach (var grp in rows.Where(r => r.Test == "off").GroupBy(r => r.Model))
        {
            var color = palette.GetColor(c++);
            foreach (var (time, pattern) in new[] { (double.PositiveInfinity, LinePattern.Solid), (1.0, LinePattern.Dashed) })
            {
                var pts = grp.Where(r => r.Time == time).OrderBy(r => r.K).ToArray();
                var sc = plt.Add.Scatter(pts.Select(r => Math.Log10(r.K)).ToArray(), pts.Select(r => Math.Log10(Math.Max(r.Error, Floor))).ToArray(), color);
                sc.LinePattern = pattern;
                sc.MarkerSize = 4;
                var fit = fits.FirstOrDefault(f => f.Model == grp.Key && f.Test == "off" && f.Time == time);
                string law = fit is null ? "" : fit.PowerRms <= fit.RateRms ? $", ∝ k^{fit.Power:F1}" : $", ∝ e^(−{fit.Rate:F2}k)";
                sc.LegendText = $"{grp.Key}, t = {Time(time)}{law}";
            }
        }
        plt.XLabel("k (order of the augmentation group C_k)");
        plt.YLabel("SO(2)-invariance error of μ_t (off the data)");
        plt.Title("Augmenting with C_k: residual SO(2)-invariance of the infinite ensemble");
        LogAxis(plt.Axes.Bottom);
        LogAxis(plt.Axes.Left);
        plt.ShowLegend(Alignment.LowerLeft);
        plt.SavePng(pathWithoutExtension + ".png", 1000, 650);
        plt.SaveSvg(pathWithoutExtension + ".svg", 1000, 650);
    }

    public static void Spectra(IReadOnlyList<(string Name, double[] Spectrum)> spectra, string pathWithoutExtension)
    {
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int c = 0;
        foreach (var (name, s) in spectra)
        {
            var ns = Enumerable.Range(1, s.Length - 1).ToArray();
            var sc = plt.Add.Scatter(ns.Select(n => Math.Log10(n)).ToArray(), ns.Select(n => Math.Log10(Math.Max(s[n], Floor))).ToArray(), palette.GetColor(c++));
            sc.MarkerSize = 3;
            sc.LegendText = name;
        }
        plt.XLabel("angular frequency n");
        plt.YLabel("|c_n| / c_0 of K(x, R_β x′)");
        plt.Title("Angular spectrum of the kernel over SO(2)");
        LogAxis(plt.Axes.Bottom);
        LogAxis(plt.Axes.Left);
        plt.ShowLegend(Alignment.LowerLeft);
        plt.SavePng(pathWithoutExtension + ".png", 900, 600);
        plt.SaveSvg(pathWithoutExtension + ".svg", 900, 600);
    }

    private static void LogAxis(ScottPlot.IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => $"1e{v:0}",
        };
    }

    private static string Time(double t) => double.IsPositiveInfinity(t) ? "∞" : t.ToString("G4", CultureInfo.InvariantCulture);
}

internal sealed record Fit(string Model, string Test, double Time, double Power, double PowerC, double PowerRms, double Rate, double RateC, double RateRms);
