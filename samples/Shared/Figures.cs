using ScottPlot;

/// <summary>
/// Paper-ready figure output shared by the samples: every figure is written as PNG and SVG, base-10 log axes show
/// their values (1, 10, 100 with log-spaced minor ticks) rather than exponents, and legends sit outside the data.
/// </summary>
internal static class Figures
{
    /// <summary>Writes <paramref name="plot"/> to <c>path.png</c> and <c>path.svg</c>; returns the two file names.</summary>
    public static string Save(Plot plot, string pathWithoutExtension, int width, int height)
    {
        plot.Font.Automatic();   // a font per glyph, so that μ, Θ, η and subscripts render
        plot.SavePng(pathWithoutExtension + ".png", width, height);
        plot.SaveSvg(pathWithoutExtension + ".svg", width, height);
        return $"{Path.GetFileName(pathWithoutExtension)}.png and .svg";
    }

    /// <summary>Makes an axis whose data are log10 values read as a log axis: major ticks at the integer powers,
    /// labelled with the values themselves, and log-spaced minor ticks.</summary>
    public static void LogTicks(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => FormatPower(v),
        };
    }

    /// <summary>10^v as 0.001, 0.01 … 1000, or 1e-05 beyond.</summary>
    public static string FormatPower(double v)
    {
        double x = Math.Pow(10, Math.Round(v));
        return Math.Abs(Math.Round(v)) <= 3 ? x.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : x.ToString("0e+00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Error bars for log10-plotted values: the half-width of log10(y ± e), (log10(y + e) − log10(y − e))/2
    /// (or log10(y + e) − log10(y) when e ≥ y).</summary>
    public static double[] LogErrors(IReadOnlyList<double> values, IReadOnlyList<double> errors)
        => values.Select((y, i) => errors[i] <= 0 ? 0 : errors[i] < y
            ? (Math.Log10(y + errors[i]) - Math.Log10(y - errors[i])) / 2
            : Math.Log10(y + errors[i]) - Math.Log10(y)).ToArray();
}
