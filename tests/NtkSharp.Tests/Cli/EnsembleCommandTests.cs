using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite.Ensembles;
using NtkSharp.IO;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Cli;

public class EnsembleCommandTests
{
    private const string Arch = "Serial(Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(2, wStd: 1.2))";

    private static (Tensor X, Matrix<double> Y, Tensor T) Data()
    {
        var rng = new Random(3);
        var x = new Tensor(Enumerable.Range(0, 6 * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 6, 3);
        var y = Matrix<double>.Build.Dense(6, 2, (i, j) => Math.Sin(i + 2 * j));
        var t = new Tensor(Enumerable.Range(0, 4 * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 4, 3);
        return (x, y, t);
    }

    /// <summary><see cref="Data"/> written to x.npy, y.npy and t.npy in <paramref name="tmp"/>.</summary>
    private static (Tensor X, Matrix<double> Y, Tensor T) WriteData(TempFolder tmp)
    {
        var (x, y, t) = Data();
        Npy.Write(tmp.File("x.npy"), x);
        Npy.Write(tmp.File("y.npy"), y);
        Npy.Write(tmp.File("t.npy"), t);
        return (x, y, t);
    }

    [Fact]
    public void Ensemble_SmallRun_WritesMembersAndMeanEqualToLibrary()
    {
        using var tmp = new TempFolder();
        var (x, y, t) = WriteData(tmp);
        string outDir = Path.Combine(tmp.Path, "out");

        var run = CliRun.Of("ensemble", "--arch", Arch, "--x-train", tmp.File("x.npy"), "--y-train", tmp.File("y.npy"),
            "--x-test", tmp.File("t.npy"), "--members", "3", "--steps", "10,0,1", "--learning-rate", "0.5", "--seed", "7",
            "--out", outDir);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var members = Npy.Read(Path.Combine(outDir, "members_test.npy"));
        var mean = Npy.Read(Path.Combine(outDir, "mean_test.npy"));
        Assert.Equal(new[] { 3, 3, 4, 2 }, members.Shape);
        Assert.Equal(new[] { 3, 4, 2 }, mean.Shape);
        var expected = Ensemble.Train(Layer.Parse(Arch), x, y, t,
            new EnsembleOptions { Members = 3, Checkpoints = [0, 1, 10], LearningRate = 0.5, Seed = 7, RecordNtk = false });
        Assert.Equal(expected.MemberOutputs.ToArray(), members.Data);
        for (int s = 0; s < 3; s++)
        {
            var m = expected.Mean(s);
            for (int i = 0; i < 4; i++)
            {
                for (int k = 0; k < 2; k++) Assert.Equal(m[i, k], mean.Data[(s * 4 + i) * 2 + k], 14);
            }
        }
    }

    [Fact]
    public void Ensemble_XExtra_WritesPredictionsEqualToTrainingOnThem()
    {
        using var tmp = new TempFolder();
        var (x, y, t) = WriteData(tmp);
        var rng = new Random(8);
        var extra = new Tensor(Enumerable.Range(0, 5 * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 5, 3);
        Npy.Write(tmp.File("e.npy"), extra);
        string outDir = Path.Combine(tmp.Path, "out");

        var run = CliRun.Of("ensemble", "--arch", Arch, "--x-train", tmp.File("x.npy"), "--y-train", tmp.File("y.npy"),
            "--x-test", tmp.File("t.npy"), "--x-extra", tmp.File("e.npy"), "--members", "3", "--steps", "0,6",
            "--learning-rate", "0.5", "--seed", "4", "--out", outDir, "--no-progress");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("members_extra.npy", run.Stdout);
        var members = Npy.Read(Path.Combine(outDir, "members_extra.npy"));
        var mean = Npy.Read(Path.Combine(outDir, "mean_extra.npy"));
        Assert.Equal(new[] { 2, 3, 5, 2 }, members.Shape);
        Assert.Equal(new[] { 2, 5, 2 }, mean.Shape);
        // Reference: a training run with the extra inputs as its test set (member m does not depend on the test set).
        var reference = Ensemble.Train(Layer.Parse(Arch), x, y, extra,
            new EnsembleOptions { Members = 3, Checkpoints = [0, 6], LearningRate = 0.5, Seed = 4, RecordNtk = false });
        double worst = reference.MemberOutputs.ToArray().Zip(members.Data, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-12, $"largest difference {worst:E2}");
        Assert.Equal(reference.Mean(1)[4, 1], mean.Data[(5 + 4) * 2 + 1], 12);
    }

    [Fact]
    public void Ensemble_XExtraWrongWidth_ErrorNamesOption()
    {
        using var tmp = new TempFolder();
        WriteData(tmp);
        Npy.Write(tmp.File("e.npy"), new Tensor(new double[8], 2, 4));
        var run = CliRun.Of("ensemble", "--arch", Arch, "--x-train", tmp.File("x.npy"), "--y-train", tmp.File("y.npy"),
            "--x-test", tmp.File("t.npy"), "--x-extra", tmp.File("e.npy"), "--members", "2", "--steps", "1",
            "--learning-rate", "0.5", "--out", Path.Combine(tmp.Path, "out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--x-extra", run.Stderr);
    }

    [Fact]
    public void Ensemble_IlgpuCpuDevice_MembersMatchCpuEnsemble()
    {
        using var tmp = new TempFolder();
        var (x, y, t) = WriteData(tmp);
        string outDir = Path.Combine(tmp.Path, "out");

        var run = CliRun.Of("ensemble", "--arch", "Serial(Dense(16, wStd: 1.5, bStd: 0.1), Relu(), Dense(2, wStd: 1.2))",
            "--x-train", tmp.File("x.npy"), "--y-train", tmp.File("y.npy"), "--x-test", tmp.File("t.npy"), "--members", "2",
            "--steps", "0,2", "--learning-rate", "0.5", "--seed", "7", "--device", "ilgpu-cpu", "--out", outDir, "--no-progress");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var members = Npy.Read(Path.Combine(outDir, "members_test.npy"));
        var expected = Ensemble.Train(Layer.Parse("Serial(Dense(16, wStd: 1.5, bStd: 0.1), Relu(), Dense(2, wStd: 1.2))"), x, y, t,
            new EnsembleOptions { Members = 2, Checkpoints = [0, 2], LearningRate = 0.5, Seed = 7, RecordNtk = false }).MemberOutputs.ToArray();
        Assert.Equal(expected.Length, members.Data.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - members.Data[i]) <= 1e-10 * scale, $"entry {i}");
    }

    [Fact]
    public void Ensemble_DivergentLearningRateOrBadTargets_OneLineErrorExit2()
    {
        using var tmp = new TempFolder();
        WriteData(tmp);
        Npy.Write(tmp.File("y3.npy"), Matrix<double>.Build.Dense(5, 2));
        string[] Common(string yFile, string eta, string steps = "0,3000") => ["ensemble", "--arch", Arch, "--x-train", tmp.File("x.npy"), "--y-train", tmp.File(yFile),
            "--x-test", tmp.File("t.npy"), "--members", "2", "--steps", steps, "--learning-rate", eta, "--out", Path.Combine(tmp.Path, "o"), "--no-progress"];

        var diverged = CliRun.Of(Common("y.npy", "500"));
        Assert.Equal(2, diverged.ExitCode);
        Assert.Contains("diverged", diverged.Stderr);
        Assert.Single(diverged.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(tmp.Path, "o", "members_test.npy")));

        var badY = CliRun.Of(Common("y3.npy", "0.5"));
        Assert.Equal(2, badY.ExitCode);
        Assert.Contains("--y-train", badY.Stderr);

        var badSteps = CliRun.Of(Common("y.npy", "0.5", "1,-2"));
        Assert.Equal(2, badSteps.ExitCode);
        Assert.Contains("--steps", badSteps.Stderr);
    }
}
