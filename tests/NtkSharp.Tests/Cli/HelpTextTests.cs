using System.Text.RegularExpressions;
using System.Xml.Linq;
using NtkSharp.Cli;
using NtkSharp.IO;
using NtkSharp.Tests.Prediction;
using Xunit;

namespace NtkSharp.Tests.Cli;

/// <summary>The verbs' help texts are uniform: Unicode symbols, one description column per verb (the --arch and
/// --device blocks included), --no-progress and an example everywhere; --version prints the package version.</summary>
public class HelpTextTests
{
    public static TheoryData<string> Verbs => ["kernel", "predict", "ensemble", "equivariance"];

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Help_EveryVerb_OptionDescriptionsShareOneColumn(string verb)
    {
        var run = CliRun.Of(verb, "--help");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var optionLines = lines.Where(l => Regex.IsMatch(l, @"^  --[a-z]")).ToArray();
        Assert.True(optionLines.Length >= 5, $"{verb}: {optionLines.Length} option lines");
        // Column of the description: after the option and its argument, the first run of two or more spaces.
        var columns = optionLines.Select(l => Regex.Match(l, @"^  --\S+(?: \S+)?\s{2,}").Length).Distinct().ToArray();
        Assert.True(columns.Length == 1, $"{verb}: description columns {string.Join(", ", columns)}");
        int column = columns[0];
        // Continuation lines inside the Options block do not start left of that column.
        int start = Array.FindIndex(lines, l => l == "Options:");
        Assert.True(start >= 0, $"{verb}: no Options: block");
        foreach (var l in lines.Skip(start + 1).TakeWhile(l => l.Length > 0).Where(l => !l.StartsWith("  --", StringComparison.Ordinal)))
            Assert.True(l.Length > column && l[..column].Trim().Length == 0, $"{verb}: continuation line starts before column {column}: '{l}'");
        Assert.Contains(lines.Skip(start + 1), l => l.StartsWith("  --no-progress", StringComparison.Ordinal));
        Assert.Contains("Example:", lines);
    }

    [Fact]
    public void Help_Predict_UsesUnicodeSymbolsLikeTheOthers()
    {
        string help = CliRun.Of("predict", "--help").Stdout;
        foreach (string symbol in new[] { "Θ(X, X)", "μ_t(x)", "η", "λ_max", "≥" }) Assert.Contains(symbol, help);
        foreach (string ascii in new[] { "Theta", "mu_t", "ETA", "lambda_max", ">=" }) Assert.DoesNotContain(ascii, help);
        string equivariance = CliRun.Of("equivariance", "--help").Stdout;
        foreach (string ascii in new[] { "Theta", "mu_t", "rho_X", "ETA" }) Assert.DoesNotContain(ascii, equivariance);
    }

    [Fact]
    public void Version_PrintsThePackageVersionFromDirectoryBuildProps()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Directory.Build.props"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        string version = XDocument.Load(Path.Combine(dir, "Directory.Build.props")).Descendants("Version").Single().Value;
        var run = CliRun.Of("--version");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(version, run.Stdout.Trim());
    }

    [Fact]
    public void Predict_Summary_HasVerbPrefixAndTiming()
    {
        var data = new PredictionTestData(nTrain: 6, nTest: 3, outputs: 1, seed: 5);
        using var tmp = new TempFolder();
        Npy.Write(tmp.File("dd.npy"), data.Ntk);
        Npy.Write(tmp.File("td.npy"), data.NtkTd);
        Npy.Write(tmp.File("y.npy"), data.Y);
        var run = CliRun.Of("predict", "--ntk-train", tmp.File("dd.npy"), "--ntk-test", tmp.File("td.npy"), "--y-train", tmp.File("y.npy"),
            "--times", "0,1,inf", "--out", Path.Combine(tmp.Path, "out"), "--no-progress");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        Assert.Matches(@"^predict: 6 train, 3 test, 1 outputs, times 0,1,inf -> .*mean_train\.npy \(3, 6, 1\), .*mean_test\.npy \(3, 3, 1\); computed in \d+\.\d{3} s, total \d+\.\d{3} s\s*$", run.Stdout);
    }
}
