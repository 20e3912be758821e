namespace NtkSharp.Tests.Docs;

/// <summary>Files of the repository the tests run from (found by walking up to NtkSharp.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "NtkSharp.sln"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException($"NtkSharp.sln not found above {AppContext.BaseDirectory}");
        }
    }

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath)).ReplaceLineEndings("\n");
}
