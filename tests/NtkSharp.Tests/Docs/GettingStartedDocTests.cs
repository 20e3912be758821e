using System.Text.RegularExpressions;
using Xunit;

namespace NtkSharp.Tests.Docs;

/// <summary>docs/getting-started.md shows exactly the compiled code of <see cref="GettingStartedRecipes"/>: every
/// "&lt;!-- recipe: NAME --&gt;" code block equals the code between "// recipe: NAME" and "// end recipe" (dedented).</summary>
public class GettingStartedDocTests
{
    private const string Page = "docs/getting-started.md";
    private const string Source = "tests/NtkSharp.Tests/Docs/GettingStartedRecipes.cs";

    internal static Dictionary<string, string> SourceRecipes(string text)
    {
        var recipes = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(text, @"^[ \t]*// recipe: (?<name>[\w-]+)\n(?<body>.*?)^[ \t]*// end recipe\n", RegexOptions.Multiline | RegexOptions.Singleline))
            recipes.Add(m.Groups["name"].Value, Dedent(m.Groups["body"].Value));
        return recipes;
    }

    internal static Dictionary<string, string> PageRecipes(string text)
    {
        var recipes = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(text, @"^<!-- recipe: (?<name>[\w-]+) -->\n```csharp\n(?<body>.*?)^```\n", RegexOptions.Multiline | RegexOptions.Singleline))
            recipes.Add(m.Groups["name"].Value, m.Groups["body"].Value);
        return recipes;
    }

    private static string Dedent(string body)
    {
        var lines = body.Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    [Fact]
    public void Page_EveryRecipeBlock_EqualsTheCompiledSource()
    {
        var source = SourceRecipes(RepositoryFiles.Read(Source));
        var page = PageRecipes(RepositoryFiles.Read(Page));
        Assert.Equal(["ensemble", "equivariance", "predictor", "usings"], source.Keys.Order());
        Assert.Equal(source.Keys.Order(), page.Keys.Order());
        foreach (var (name, code) in source)
            Assert.True(code == page[name], $"recipe '{name}' in {Page} differs from {Source}:\n--- page ---\n{page[name]}\n--- source ---\n{code}");
    }

    [Fact]
    public void Extraction_ChangedLine_IsDetected()
    {
        // The comparison above can fail: a page whose block differs by one character does not match.
        var source = SourceRecipes(RepositoryFiles.Read(Source));
        string page = RepositoryFiles.Read(Page).Replace("Members = 100", "Members = 101", StringComparison.Ordinal);
        Assert.NotEqual(source["ensemble"], PageRecipes(page)["ensemble"]);
    }
}
