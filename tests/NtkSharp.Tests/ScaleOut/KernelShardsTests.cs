using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.ScaleOut;
using NtkSharp.Tests.Cli;
using Xunit;

namespace NtkSharp.Tests.ScaleOut;

public class KernelShardsTests
{
    private static void ComputeAll(string dir, Layer net, Tensor x1, Tensor? x2, int count, KernelOutputs outputs = KernelOutputs.Both)
    {
        // In reverse order: shards are independent of the order they run in.
        for (int i = count - 1; i >= 0; i--) KernelShards.ComputeShard(net, x1, x2, outputs, i, count, dir);
    }

    [Theory]
    [InlineData(45, 0, 1)]
    [InlineData(45, 0, 4)]
    [InlineData(45, 0, 30)]
    [InlineData(45, 29, 3)]
    public void Merge_AllShards_SameBytesAsSingleProcessRun(int n1, int n2, int count)
    {
        using var dir = new TempFolder();
        var x1 = ScaleOutFixtures.Gaussian(n1, 6, 11);
        var x2 = n2 == 0 ? null : ScaleOutFixtures.Gaussian(n2, 6, 12);
        var net = ScaleOutFixtures.Relu;
        OutOfCoreKernel.WriteNpy(net, x1, x2, KernelOutputs.Both, dir.File("k.npy"), dir.File("t.npy"));
        string shards = dir.File("shards");
        ComputeAll(shards, net, x1, x2, count);
        var merged = KernelShards.Merge(shards, dir.File("mk.npy"), dir.File("mt.npy"));
        Assert.Equal(count, merged.Count);
        Assert.Equal(-1, ScaleOutFixtures.FirstDifference(dir.File("k.npy"), dir.File("mk.npy")));
        Assert.Equal(-1, ScaleOutFixtures.FirstDifference(dir.File("t.npy"), dir.File("mt.npy")));
    }

    [Fact]
    public void ComputeShard_AlreadyComplete_IsSkippedAndLeftUntouched()
    {
        using var dir = new TempFolder();
        var x = ScaleOutFixtures.Gaussian(30, 5, 13);
        var first = KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 1, 3, dir.Path);
        Assert.False(first.Skipped);
        string data = Path.Combine(dir.Path, first.Info.Files["ntk"]);
        var stamp = File.GetLastWriteTimeUtc(data);
        var again = KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 1, 3, dir.Path);
        Assert.True(again.Skipped, "a complete shard of the same run was recomputed");
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(data));
        // Other inputs: the shard is not complete for that run and is recomputed.
        var other = KernelShards.ComputeShard(ScaleOutFixtures.Relu, ScaleOutFixtures.Gaussian(30, 5, 14), null, KernelOutputs.Both, 1, 3, dir.Path);
        Assert.False(other.Skipped);
        Assert.NotEqual(first.Info.InputsSha256, other.Info.InputsSha256);
    }

    [Fact]
    public void Merge_MissingShard_RefusesNamingIt()
    {
        using var dir = new TempFolder();
        var x = ScaleOutFixtures.Gaussian(30, 5, 15);
        KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 0, 3, dir.Path);
        KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 2, 3, dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => KernelShards.Merge(dir.Path, dir.File("k.npy"), null));
        Assert.Contains("missing 1 of 3 shards: shard-00001-of-00003.json", e.Message);
        Assert.False(File.Exists(dir.File("k.npy")), "a refused merge wrote its output");
    }

    [Fact]
    public void Merge_ShardOfAnotherArchitecture_RefusesNamingIt()
    {
        using var dir = new TempFolder();
        var x = ScaleOutFixtures.Gaussian(30, 5, 16);
        KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 0, 2, dir.Path);
        KernelShards.ComputeShard(Layer.Parse("Serial(Dense(8), Erf(), Dense(1))"), x, null, KernelOutputs.Both, 1, 2, dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => KernelShards.Merge(dir.Path, dir.File("k.npy"), null));
        Assert.Contains("shard-00001-of-00002.json differs from shard-00000-of-00002.json in architecture", e.Message);
    }

    [Fact]
    public void Merge_ShardOfOtherInputsOrCount_RefusesNamingIt()
    {
        using var dir = new TempFolder();
        var x = ScaleOutFixtures.Gaussian(30, 5, 17);
        KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 0, 2, dir.Path);
        KernelShards.ComputeShard(ScaleOutFixtures.Relu, ScaleOutFixtures.Gaussian(30, 5, 18), null, KernelOutputs.Both, 1, 2, dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => KernelShards.Inspect(dir.Path));
        Assert.Contains("shard-00001-of-00002.json differs from shard-00000-of-00002.json in inputs checksum", e.Message);

        using var dir2 = new TempFolder();
        KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 0, 2, dir2.Path);
        KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 1, 3, dir2.Path);
        var e2 = Assert.Throws<InvalidDataException>(() => KernelShards.Inspect(dir2.Path));
        Assert.Contains("shard-00001-of-00003.json differs from shard-00000-of-00002.json in shard count", e2.Message);
    }

    [Fact]
    public void Merge_DuplicateOrTruncatedShard_RefusesNamingIt()
    {
        using var dir = new TempFolder();
        var x = ScaleOutFixtures.Gaussian(30, 5, 19);
        ComputeAll(dir.Path, ScaleOutFixtures.Relu, x, null, 2);
        File.Copy(dir.File("shard-00001-of-00002.json"), dir.File("shard-copy.json"));
        var e = Assert.Throws<InvalidDataException>(() => KernelShards.Inspect(dir.Path));
        Assert.Contains("duplicate shards for block 1: shard-00001-of-00002.json, shard-copy.json", e.Message);

        File.Delete(dir.File("shard-copy.json"));
        using (var f = new FileStream(dir.File("shard-00000-of-00002.ntk.f8"), FileMode.Open)) f.SetLength(f.Length - 8);
        var e2 = Assert.Throws<InvalidDataException>(() => KernelShards.Inspect(dir.Path));
        Assert.Contains("shard-00000-of-00002.json: ntk data file shard-00000-of-00002.ntk.f8 has", e2.Message);
        Assert.False(KernelShards.IsComplete(dir.Path, KernelShards.Describe(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 0, 2)),
            "a truncated shard counts as complete");
    }

    [Fact]
    public void ComputeShard_Cancelled_LeavesNoShardFiles()
    {
        using var dir = new TempFolder();
        var x = ScaleOutFixtures.Gaussian(200, 5, 20);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(_ => cts.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() =>
            KernelShards.ComputeShard(ScaleOutFixtures.Relu, x, null, KernelOutputs.Both, 0, 1, dir.Path, null, progress, cts.Token));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private sealed class SyncProgress(Action<KernelProgress> report) : IProgress<KernelProgress>
    {
        public void Report(KernelProgress value) => report(value);
    }
}
