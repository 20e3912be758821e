using Xunit;
using Xunit.Abstractions;

namespace NtkSharp.Tests.Cli.Corpus;

/// <summary>
/// The project's bad-input corpus run through the CLI in-process: every case must exit with its code (2 bad input, 1
/// I/O failure), print nothing on stdout and exactly one line "ntksharp VERB: error: …" on stderr that names the
/// option, contain none of the runtime's own wording, and leave no output, temporary file or created folder behind.
/// </summary>
public sealed class BadInputCorpusTests(BadInputData data, ITestOutputHelper output) : IClassFixture<BadInputData>
{
    private static readonly string[] RawRuntimeText =
    [
        "(Parameter '", "Actual value was", "Arithmetic operation", "Could not find", "Exception", "   at ", "System.",
        "Index was outside", "Object reference", "Specified argument", "Value cannot be null",
    ];

    public static TheoryData<string> Ids => [.. BadInputCases.All.Select(c => c.Id)];

    [Fact]
    public void Corpus_Size_AtLeast150DistinctCases()
    {
        var ids = BadInputCases.All.Select(c => c.Id).ToList();
        Assert.True(ids.Count >= 150, $"the corpus has {ids.Count} cases");
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Run_BadInput_ExitCodeOneLineNamingOptionAndNothingLeft(string id)
    {
        var c = BadInputCases.All.Single(x => x.Id == id);
        string outDir = Path.Combine(data.Folder, "out-" + id);
        if (c.Collide is not null) Directory.CreateDirectory(Path.Combine(outDir, c.Collide));
        var args = c.Arguments(BadInputCases.Base(c.Verb)).Select(a => data.Expand(a, outDir)).ToArray();

        var run = CliRun.Of(args);

        string line = run.ErrorLines.Length == 1 ? run.ErrorLines[0] : string.Join(" | ", run.ErrorLines);
        output.WriteLine($"exit {run.ExitCode}: {line}");
        Assert.True(run.ExitCode == c.ExitCode, $"{id}: exit code {run.ExitCode}, expected {c.ExitCode}; stderr: {line}");
        Assert.True(run.ErrorLines.Length == 1, $"{id}: {run.ErrorLines.Length} stderr lines: {line}");
        Assert.StartsWith($"ntksharp {c.Verb}: error: ", line);
        Assert.True(line.Contains(c.Names, StringComparison.Ordinal), $"{id}: the message does not name '{c.Names}': {line}");
        foreach (var raw in RawRuntimeText) Assert.False(line.Contains(raw, StringComparison.Ordinal), $"{id}: runtime text '{raw}' in: {line}");
        Assert.True(run.Stdout.Length == 0, $"{id}: stdout: {run.Stdout}");
        if (c.Collide is null)
        {
            Assert.False(Directory.Exists(outDir), $"{id}: the output folder {outDir} was left behind");
        }
        else
        {
            var left = Directory.EnumerateFileSystemEntries(outDir, "*", SearchOption.AllDirectories).ToList();
            Assert.True(left.Count == 1, $"{id}: left in the output folder: {string.Join(", ", left)}");
        }
        var temporaries = Directory.EnumerateFiles(data.Folder, "*.tmp", SearchOption.AllDirectories).ToList();
        Assert.True(temporaries.Count == 0, $"{id}: temporaries left: {string.Join(", ", temporaries)}");
    }
}
