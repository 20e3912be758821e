using System.Diagnostics;
using System.Text.RegularExpressions;
using NtkSharp.Tests.Docs;
using Xunit;

namespace NtkSharp.Tests.Python;

/// <summary>
/// Runs every test of the Python client (python/tests/test_*.py, unittest) with /usr/bin/python3 against the tool built
/// beside these tests (NTKSHARP_CLI = "dotnet NtkSharp.Cli.dll"), one xunit case per Python test, so that they count
/// and fail like the others.
/// </summary>
public class PythonClientTests
{
    public static TheoryData<string> TestIds()
    {
        var ids = new TheoryData<string>();
        string folder = Path.Combine(RepositoryFiles.Root, "python", "tests");
        foreach (string file in Directory.GetFiles(folder, "test_*.py").Order(StringComparer.Ordinal))
        {
            string module = "tests." + Path.GetFileNameWithoutExtension(file);
            string? cls = null;
            foreach (string line in File.ReadAllLines(file))
            {
                var c = Regex.Match(line, @"^class (\w+)\(unittest\.TestCase\)");
                if (c.Success) cls = c.Groups[1].Value;
                var t = Regex.Match(line, @"^    def (test_\w+)\(self\)");
                if (t.Success && cls is not null) ids.Add($"{module}.{cls}.{t.Groups[1].Value}");
            }
        }
        return ids;
    }

    [PythonTheory]
    [MemberData(nameof(TestIds))]
    public void PythonClient_UnitTest_Passes(string id)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "NtkSharp.Cli.dll");
        Assert.True(File.Exists(cli), $"{cli} not built");
        var start = new ProcessStartInfo(PythonTheoryAttribute.Interpreter, ["-m", "unittest", "-v", id])
        {
            WorkingDirectory = Path.Combine(RepositoryFiles.Root, "python"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NTKSHARP_CLI"] = $"dotnet \"{cli}\"";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{id} did not finish in 300 s");
        }
        string output = stdout.Result + stderr.Result;
        Assert.True(p.ExitCode == 0, $"{id} failed (exit code {p.ExitCode}):\n{output}");
        Assert.Contains("Ran 1 test", output);
    }

    [Fact]
    public void TestIds_FindTheClientsTests()
    {
        // The discovery above must not silently find nothing (then no Python test would run).
        int count = TestIds().Count;
        Assert.True(count >= 10, $"found {count} Python tests");
    }
}
