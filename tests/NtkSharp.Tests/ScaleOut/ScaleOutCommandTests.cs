using NtkSharp.IO;
using NtkSharp.Tests.Cli;
using Xunit;

namespace NtkSharp.Tests.ScaleOut;

public class ScaleOutCommandTests
{
    private static string Inputs(TempFolder dir, int n, int seed)
    {
        string path = dir.File($"x{seed}.npy");
        Npy.Write(path, ScaleOutFixtures.Gaussian(n, 7, seed));
        return path;
    }

    [Fact]
    public void KernelShardThenMerge_AllShards_SameFilesAsSingleRun()
    {
        using var dir = new TempFolder();
        string x = Inputs(dir, 50, 31);
        var single = CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", dir.File("single"), "--no-progress");
        Assert.True(single.ExitCode == 0, single.Stderr);
        for (int i = 0; i < 3; i++)
        {
            var shard = CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", dir.File("sharded"), "--shard", $"{i}/3", "--no-progress");
            Assert.True(shard.ExitCode == 0, shard.Stderr);
            Assert.Contains($"shard {i}/3", shard.Stdout);
        }
        var again = CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", dir.File("sharded"), "--shard", "1/3");
        Assert.Contains("already complete, skipped", again.Stdout);
        var merge = CliRun.Of("merge", "--out", dir.File("sharded"), "--no-progress");
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        foreach (var f in new[] { "nngp.npy", "ntk.npy" })
            Assert.Equal(-1, ScaleOutFixtures.FirstDifference(Path.Combine(dir.File("single"), f), Path.Combine(dir.File("sharded"), f)));
    }

    [Fact]
    public void Merge_MissingShard_Exit2NamingItAndWritesNothing()
    {
        using var dir = new TempFolder();
        string x = Inputs(dir, 20, 32);
        CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--get", "ntk", "--out", dir.File("o"), "--shard", "0/2");
        var merge = CliRun.Of("merge", "--out", dir.File("o"));
        Assert.Equal(2, merge.ExitCode);
        Assert.Contains("missing 1 of 2 shards: shard-00001-of-00002.json", merge.Stderr);
        Assert.False(File.Exists(Path.Combine(dir.File("o"), "ntk.npy")));
    }

    [Theory]
    [InlineData("3/3", "--shard: I must be between 0 and K - 1 = 2 (got 3)")]
    [InlineData("1of3", "--shard: '1of3' is not I/K")]
    [InlineData("0/0", "--shard: K must be at least 1 (got 0)")]
    public void KernelShard_BadSpec_Exit2NamingTheOption(string spec, string message)
    {
        using var dir = new TempFolder();
        string x = Inputs(dir, 5, 33);
        var run = CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", dir.File("o"), "--shard", spec);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }

    [Fact]
    public void KernelWaitWithoutSlurm_Exit2()
    {
        using var dir = new TempFolder();
        string x = Inputs(dir, 5, 34);
        var run = CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", dir.File("o"), "--wait");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--wait goes with --slurm K", run.Stderr);
    }
}
