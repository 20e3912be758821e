using System.Text.Json;
using NtkSharp.IO;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Cli;

public sealed class PolarCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public PolarCommandTests()
    {
        var rng = new Random(7);
        Npy.Write(_dir.File("img.npy"), Enumerable.Range(0, 5 * 9 * 9).Select(_ => rng.NextDouble()).ToArray(), 5, 9, 9, 1);
        Npy.Write(_dir.File("rect.npy"), new double[2 * 9 * 8], 2, 9, 8, 1);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Polar_SquareImages_WritesPolarImagesEqualToTheLibrary()
    {
        var r = CliRun.Of("polar", "--x", _dir.File("img.npy"), "--radii", "3", "--angles", "8", "--out", _dir.File("p.npy"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var written = Npy.Read(_dir.File("p.npy"));
        Assert.Equal(new[] { 5, 3, 8, 1 }, written.Shape);
        var expected = new PolarGrid(9, 3, 8).ToPolar(Npy.ReadTensor(_dir.File("img.npy")));
        Assert.Equal(expected.Data, written.Data);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp-*"));
    }

    [Theory]
    [InlineData("rect.npy", "3", "8", "--x")]
    [InlineData("img.npy", "0", "8", "--radii")]
    [InlineData("img.npy", "3", "-1", "--angles")]
    [InlineData("img.npy", "3", "x", "--angles")]
    public void Polar_BadInput_ExitsTwoNamingTheOptionAndWritesNothing(string file, string radii, string angles, string option)
    {
        var r = CliRun.Of("polar", "--x", _dir.File(file), "--radii", radii, "--angles", angles, "--out", _dir.File("bad.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(option, r.Stderr);
        Assert.False(File.Exists(_dir.File("bad.npy")), "no output on bad input");
    }

    [Fact]
    public void Equivariance_PolarGroupOnPolarImages_AugmentedMeanExactlyInvariant()
    {
        Assert.Equal(0, CliRun.Of("polar", "--x", _dir.File("img.npy"), "--radii", "3", "--angles", "8", "--out", _dir.File("p.npy")).ExitCode);
        var y = new double[5];
        for (int i = 0; i < 5; i++) y[i] = 1 + i % 2; // non-zero: the metric is relative to |μ(x)|
        Npy.Write(_dir.File("y.npy"), y, 5);
        var r = CliRun.Of("equivariance", "--arch", "Serial(Conv(4, filter: (3, 3), padding: Circular), Relu(), Flatten(), Dense(1))",
            "--group", "Polar:8", "--x-train", _dir.File("p.npy"), "--y-train", _dir.File("y.npy"), "--x-test", _dir.File("p.npy"),
            "--times", "1,inf", "--out", _dir.File("eq"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.File("eq"), "report.json")));
        Assert.True(json.RootElement.GetProperty("exact_representation").GetBoolean());
        foreach (var t in json.RootElement.GetProperty("times").EnumerateArray())
        {
            double err = t.GetProperty("max_relative_error").GetDouble();
            Assert.True(err < 1e-10, $"Polar:8-augmented mean must be invariant; max relative error {err:G3}");
        }
    }

    [Fact]
    public void Equivariance_PolarOrderNotDividingAngles_ExitsTwoNamingGroup()
    {
        Assert.Equal(0, CliRun.Of("polar", "--x", _dir.File("img.npy"), "--radii", "3", "--angles", "8", "--out", _dir.File("p.npy")).ExitCode);
        Npy.Write(_dir.File("y.npy"), new double[5], 5);
        var r = CliRun.Of("equivariance", "--arch", "Serial(Flatten(), Dense(1))", "--group", "Polar:3",
            "--x-train", _dir.File("p.npy"), "--y-train", _dir.File("y.npy"), "--x-test", _dir.File("p.npy"), "--times", "1", "--out", _dir.File("eq"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--group", r.Stderr);
        Assert.Contains("(3, 8, 1)", r.Stderr);
    }
}
