using System.Globalization;
using System.Text;

namespace NtkSharp.Finite.Ensembles;

/// <summary>The table of a convergence study, with the analytic reference's cost.</summary>
/// <param name="Points">Every (width, ensemble size) cell, widths outer, sizes inner.</param>
/// <param name="AnalyticWallTime">Wall time of the analytic discrete-time mean (kernels plus predictor) per width.</param>
/// <param name="AnalyticRms">RMS of the analytic mean over the test entries (the scale of the distances) per width.</param>
/// <param name="Steps">Gradient steps k.</param>
/// <param name="LearningRate">Learning rate η.</param>
public sealed record ConvergenceResult(IReadOnlyList<ConvergencePoint> Points, IReadOnlyDictionary<int, TimeSpan> AnalyticWallTime,
    IReadOnlyDictionary<int, double> AnalyticRms, int Steps, double LearningRate)
{
    /// <summary>A Markdown table: width, members, distance, standard error, distance/SE, training and analytic wall time.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| width | members | RMS distance to analytic mean | MC standard error | distance / SE | training wall time | analytic wall time |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in Points)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {p.Width} | {p.Members} | {p.Distance:G3} | {p.StandardError:G3} | {p.Distance / p.StandardError:F2} | {Seconds(p.WallTime)} | {Seconds(AnalyticWallTime[p.Width])} |"));
        }
        return sb.ToString();
    }

    /// <summary>Comma-separated values with a header line.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("width,members,distance,standard_error,wall_seconds,analytic_seconds\n");
        foreach (var p in Points)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{p.Width},{p.Members},{p.Distance:R},{p.StandardError:R},{p.WallTime.TotalSeconds:R},{AnalyticWallTime[p.Width].TotalSeconds:R}"));
        }
        return sb.ToString();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "F3" : "F1", CultureInfo.InvariantCulture) + " s";
}
