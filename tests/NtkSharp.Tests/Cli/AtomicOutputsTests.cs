using NtkSharp.Cli;
using Xunit;

namespace NtkSharp.Tests.Cli;

public class AtomicOutputsTests
{
    [Fact]
    public void Commit_TwoOutputs_BothRenamedAndNoTemporaryLeft()
    {
        using var tmp = new TempFolder();
        using var set = AtomicOutputs.Create(tmp.Path, "--out", CancellationToken.None, "a.txt", "b.txt");
        set.Write("a.txt", p => File.WriteAllText(p, "A"));
        set.Write("b.txt", p => File.WriteAllText(p, "B"));
        Assert.False(File.Exists(tmp.File("a.txt")), "a.txt appeared before the commit");

        set.Commit();

        Assert.Equal("A", File.ReadAllText(tmp.File("a.txt")));
        Assert.Equal("B", File.ReadAllText(tmp.File("b.txt")));
        Assert.Equal(2, Directory.GetFileSystemEntries(tmp.Path).Length);
    }

    [Fact]
    public void Dispose_SecondWriteFails_FirstTemporaryAndCreatedFoldersRemoved()
    {
        using var tmp = new TempFolder();
        string dir = Path.Combine(tmp.Path, "x", "y");
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            using var set = AtomicOutputs.Create(dir, "--out", CancellationToken.None, "a.txt", "b.txt");
            set.Write("a.txt", p => File.WriteAllText(p, "A"));
            set.Write("b.txt", _ => throw new InvalidOperationException("boom"));
        });

        Assert.Equal("boom", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Create_OutputNameIsAFolder_IoFailureNamingOptionAndNothingCreated()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.File("b.txt"));

        var e = Assert.Throws<CliException>(() => AtomicOutputs.Create(tmp.Path, "--out", CancellationToken.None, "a.txt", "b.txt"));

        Assert.Equal(CliException.IoFailure, e.ExitCode);
        Assert.StartsWith("--out: cannot write b.txt", e.Message);
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Commit_Cancelled_ThrowsAndOldFilesKept()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("a.txt"), "old");
        using var cts = new CancellationTokenSource();
        var set = AtomicOutputs.Create(tmp.Path, "--out", cts.Token, "a.txt");
        set.Write("a.txt", p => File.WriteAllText(p, "new"));
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => set.Commit());
        set.Dispose();

        Assert.Equal("old", File.ReadAllText(tmp.File("a.txt")));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void AbortAll_WhileOpen_TemporariesRemovedAndLaterWriteCancelled()
    {
        using var tmp = new TempFolder();
        using var set = AtomicOutputs.Create(tmp.Path, "--out", CancellationToken.None, "a.txt", "b.txt");
        set.Write("a.txt", p => File.WriteAllText(p, "A"));

        AtomicOutputs.AbortAll();

        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
        Assert.ThrowsAny<Exception>(() => set.Write("b.txt", p => File.WriteAllText(p, "B")));
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }
}
