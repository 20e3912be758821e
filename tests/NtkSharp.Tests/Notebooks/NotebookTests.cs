using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NtkSharp.Tests.Docs;
using Xunit;

namespace NtkSharp.Tests.Notebooks;

/// <summary>A fact that needs Debian's jupyter-nbconvert and the Microsoft.dotnet-interactive tool (installed by
/// .ci/run): skipped, with the reason, where either is missing.</summary>
public sealed class NotebookFactAttribute : FactAttribute
{
    /// <summary>The folder holding the dotnet-interactive tool (NTKSHARP_INTERACTIVE_TOOLS, else ~/.cache/ntksharp/dotnet-interactive).</summary>
    public static string Tools => Environment.GetEnvironmentVariable("NTKSHARP_INTERACTIVE_TOOLS") is { Length: > 0 } t
        ? t
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ntksharp", "dotnet-interactive");

    public NotebookFactAttribute()
    {
        bool nbconvert = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "jupyter-nbconvert")));
        if (!nbconvert) Skip = "jupyter-nbconvert not found (apt-get install jupyter-nbconvert)";
        else if (!File.Exists(Path.Combine(Tools, "dotnet-interactive")))
            Skip = $"dotnet-interactive not found in {Tools} (dotnet tool install Microsoft.dotnet-interactive --tool-path …)";
    }
}

/// <summary>notebooks/quickstart.ipynb executes headless (notebooks/run.sh: .NET Interactive kernel under
/// jupyter-nbconvert) without an error cell, and its toy experiment shows the theorem: the augmented infinite-width mean
/// is invariant to rounding at every time, on and off the circle.</summary>
public class NotebookTests
{
    [NotebookFact]
    public void Quickstart_ExecutedHeadless_NoErrorsAndInvariantMean()
    {
        string output = Path.Combine(Path.GetTempPath(), $"ntksharp-notebook-{Guid.NewGuid():N}", "quickstart.executed.ipynb");
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryFiles.Root, "notebooks", "run.sh"), output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NTKSHARP_INTERACTIVE_TOOLS"] = NotebookFactAttribute.Tools;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(900_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the notebook did not finish in 900 s");
        }
        try
        {
            Assert.True(p.ExitCode == 0, $"notebooks/run.sh failed (exit code {p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
            using var doc = JsonDocument.Parse(File.ReadAllText(output));
            var outputs = doc.RootElement.GetProperty("cells").EnumerateArray()
                .Where(c => c.TryGetProperty("outputs", out _)).SelectMany(c => c.GetProperty("outputs").EnumerateArray()).ToArray();
            Assert.DoesNotContain(outputs, o => o.GetProperty("output_type").GetString() == "error");
            string text = string.Concat(outputs.Where(o => o.TryGetProperty("text", out _))
                .Select(o => o.GetProperty("text").ValueKind == JsonValueKind.Array
                    ? string.Concat(o.GetProperty("text").EnumerateArray().Select(l => l.GetString()))
                    : o.GetProperty("text").GetString()));
            var errors = Regex.Matches(text, @"max relative error (\S+) on the circle, (\S+) off it")
                .SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value })
                .Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(8, errors.Length);
            Assert.All(errors, e => Assert.True(e < 1e-10, $"infinite-width mean not invariant: {e:E2}"));
            Assert.Contains("after 300 steps: one MLP", text);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }
}
