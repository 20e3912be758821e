using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.IO;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Cli;

public sealed class EquivarianceCommandTests : IDisposable
{
    private const string ImageArch = "Serial(Flatten(), Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(1, wStd: 1.5, bStd: 0.1))";
    private const string Arch = "Serial(Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(1, wStd: 1.5, bStd: 0.1))";
    private readonly TempFolder _dir = new();

    public EquivarianceCommandTests()
    {
        var rng = new Random(5);
        double R() => rng.NextDouble() * 2 - 1;
        Npy.Write(_dir.File("x.npy"), Enumerable.Range(0, 5 * 9).Select(_ => R()).ToArray(), 5, 3, 3, 1);
        Npy.Write(_dir.File("t.npy"), Enumerable.Range(0, 4 * 9).Select(_ => 2 * R()).ToArray(), 4, 3, 3, 1);
        // One-hot labels over 3 classes.
        var y = new double[5 * 3];
        for (int i = 0; i < 5; i++) y[i * 3 + i % 3] = 1;
        Npy.Write(_dir.File("y.npy"), y, 5, 3);
        Npy.Write(_dir.File("p.npy"), Enumerable.Range(0, 6 * 2).Select(_ => R()).ToArray(), 6, 2);
        Npy.Write(_dir.File("pt.npy"), Enumerable.Range(0, 3 * 2).Select(_ => 3 * R()).ToArray(), 3, 2);
        Npy.Write(_dir.File("v.npy"), Enumerable.Range(0, 6 * 2).Select(_ => R()).ToArray(), 6, 2);
    }

    public void Dispose() => _dir.Dispose();

    private CliRun Run(params string[] extra) => CliRun.Of(["equivariance", "--arch", ImageArch, "--x-train", _dir.File("x.npy"),
        "--y-train", _dir.File("y.npy"), "--x-test", _dir.File("t.npy"), "--times", "0,1,inf", "--out", _dir.File("out"), .. extra]);

    [Fact]
    public void Equivariance_D4Augmented_ReportsRoundingErrorAndFullOrbitCountsAndWritesOrbitPredictions()
    {
        var r = Run("--group", "D4");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(_dir.File("out/report.json")));
        var root = doc.RootElement;
        Assert.Equal(8, root.GetProperty("order").GetInt32());
        Assert.True(root.GetProperty("kernel_symmetry").GetProperty("symmetric").GetBoolean());
        var times = root.GetProperty("times").EnumerateArray().ToArray();
        Assert.Equal(3, times.Length);
        Assert.Equal("inf", times[2].GetProperty("t").GetString());
        foreach (var t in times)
        {
            Assert.True(t.GetProperty("max_relative_error").GetDouble() <= 1e-10);
            Assert.Equal(4, t.GetProperty("orbit_same_counts").GetArrayLength());
        }
        Assert.All(times[2].GetProperty("orbit_same_counts").EnumerateArray(), c => Assert.Equal(8, c.GetInt32()));

        // orbit_test[t, i, g, :] is the library's mean on ρ_X(g)xᵢ.
        var orbit = Npy.Read(_dir.File("out/orbit_test.npy"));
        Assert.Equal([3, 4, 8, 3], orbit.Shape);
        var x = Npy.ReadTensor(_dir.File("x.npy"));
        var test = Npy.ReadTensor(_dir.File("t.npy"));
        var yA = Npy.Read(_dir.File("y.npy"));
        var g = Groups.D4([3, 3, 1]);
        var mean = AugmentedMean.Fit(new KernelFunction(Layer.Parse(ImageArch)), x, Matrix<double>.Build.DenseOfRowMajor(5, 3, yA.Data), g, AugmentationMode.Explicit);
        var expected = mean.Predict(g.ActOnInputs(5, test), 1.0);
        for (int i = 0; i < 4; i++)
        {
            for (int c = 0; c < 3; c++) Assert.Equal(expected[i, c], orbit.Data[((1 * 4 + i) * 8 + 5) * 3 + c], 10);
        }
    }

    [Fact]
    public void Equivariance_NoAugment_ReportsOrderOneError()
    {
        var r = Run("--group", "C4", "--no-augment");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(_dir.File("out/report.json")));
        var inf = doc.RootElement.GetProperty("times")[2];
        Assert.True(inf.GetProperty("max_relative_error").GetDouble() > 0.05);
        Assert.Equal("none", doc.RootElement.GetProperty("augmentation").GetString());
    }

    [Fact]
    public void Equivariance_VectorTargetsOnPlaneWithGroupAveragedKernel_Equivariant()
    {
        var r = CliRun.Of("equivariance", "--arch", Arch, "--group", "Cn:6", "--output-rep", "vector", "--group-averaged",
            "--x-train", _dir.File("p.npy"), "--y-train", _dir.File("v.npy"), "--x-test", _dir.File("pt.npy"),
            "--times", "0.5,inf", "--out", _dir.File("out2"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(_dir.File("out2/report.json")));
        Assert.All(doc.RootElement.GetProperty("times").EnumerateArray(), t => Assert.True(t.GetProperty("max_relative_error").GetDouble() <= 1e-10));
        Assert.False(doc.RootElement.GetProperty("times")[0].TryGetProperty("orbit_same_counts", out _));
        Assert.Equal([2, 3, 6, 2], Npy.Read(_dir.File("out2/orbit_test.npy")).Shape);
    }

    [Theory]
    [InlineData("C5x", "unknown group")]
    [InlineData("Cn:0", "positive integer")]
    [InlineData("Translations --output-rep vector", "not defined")]
    public void Equivariance_BadGroup_FailsWithOneLine(string group, string expected)
    {
        var parts = group.Split(' ');
        var r = Run(["--group", .. parts]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
    }

    [Fact]
    public void Equivariance_VectorRepWithThreeOutputs_Fails()
    {
        var r = Run("--group", "C4", "--output-rep", "vector");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("acts on 2 outputs", r.Stderr);
    }
}
