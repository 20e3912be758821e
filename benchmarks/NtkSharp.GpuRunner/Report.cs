using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NtkSharp.GpuRunner;

/// <summary>Collects lines of the run (printed as they come) and writes results.md and results.json.</summary>
internal sealed class Report
{
    private readonly List<Dictionary<string, object>> _rows = [];
    private readonly StringBuilder _markdown = new();

    public bool Failed { get; private set; }

    public void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine($"== {text}");
        _markdown.AppendLine().AppendLine($"## {text}").AppendLine();
    }

    public void Line(string text)
    {
        Console.WriteLine(text);
        _markdown.AppendLine($"- {text}");
    }

    public void Check(string name, bool ok, string detail)
    {
        if (!ok) Failed = true;
        Line($"{(ok ? "PASS" : "FAIL")} {name}: {detail}");
        _rows.Add(new() { ["kind"] = "check", ["name"] = name, ["ok"] = ok, ["detail"] = detail });
    }

    public void Timing(string name, double seconds, string detail)
    {
        Line($"{name}: {Format(seconds)} ({detail})");
        _rows.Add(new() { ["kind"] = "timing", ["name"] = name, ["seconds"] = seconds, ["detail"] = detail });
    }

    public static string Format(double seconds) => seconds switch
    {
        >= 1 => seconds.ToString("F2", CultureInfo.InvariantCulture) + " s",
        >= 1e-3 => (seconds * 1e3).ToString("F1", CultureInfo.InvariantCulture) + " ms",
        >= 1e-6 => (seconds * 1e6).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        _ => (seconds * 1e9).ToString("F1", CultureInfo.InvariantCulture) + " ns",
    };

    public void Write(string dir)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "results.md"), "# NtkSharp GPU runner results" + Environment.NewLine + _markdown);
        File.WriteAllText(Path.Combine(dir, "results.json"), JsonSerializer.Serialize(_rows, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine();
        Console.WriteLine($"written: {Path.GetFullPath(Path.Combine(dir, "results.md"))} and results.json");
    }
}
