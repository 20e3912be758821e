using System.Globalization;
using System.Text.Json;
using NtkSharp.IO;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Cli;

public sealed class SpectrumCommandTests : IDisposable
{
    private const string Arch = "Serial(Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(64, wStd: 1.5, bStd: 0.1), Relu(), Dense(1, wStd: 1.5, bStd: 0.1))";
    private const string ImageArch = "Serial(Conv(4, (3, 1), padding: Padding.Same, wStd: 1.5), Relu(), Flatten(), Dense(1))";
    private readonly TempFolder _dir = new();

    public SpectrumCommandTests()
    {
        var rng = new Random(11);
        Npy.Write(_dir.File("p.npy"), Enumerable.Range(0, 6 * 2).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 6, 2);
        Npy.Write(_dir.File("img.npy"), Enumerable.Range(0, 3 * 16).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 3, 4, 4, 1);
        Npy.Write(_dir.File("sets.npy"), Enumerable.Range(0, 2 * 6).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 2, 3, 2);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("Cn:6", "p.npy", "ntk")]
    [InlineData("D4", "p.npy", "nngp")]
    [InlineData("Permutations", "sets.npy", "ntk")]
    public void Spectrum_SymmetricKernel_CsvRowsEqualDenseOrbitGramEigenvaluesWithMultiplicity(string group, string file, string kernel)
    {
        string arch = file == "sets.npy" ? "Serial(Flatten(), " + Arch[7..] : Arch;
        var r = CliRun.Of("spectrum", "--arch", arch, "--group", group, "--x", _dir.File(file), "--kernel", kernel, "--out", _dir.File("out"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = File.ReadAllLines(_dir.File("out/spectrum.csv"));
        Assert.Equal("irrep,dimension,eigenvalue", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal("trivial", rows[0][0]);
        var all = new List<double>();
        foreach (var grp in rows.GroupBy(row => row[0]))
        {
            var values = grp.Select(row => double.Parse(row[2], CultureInfo.InvariantCulture)).ToArray();
            for (int i = 1; i < values.Length; i++) Assert.True(values[i] <= values[i - 1], $"{grp.Key} not descending");
            int d = int.Parse(grp.First()[1], CultureInfo.InvariantCulture);
            for (int c = 0; c < d; c++) all.AddRange(values);
        }
        all.Sort((a, b) => b.CompareTo(a));

        var x = Npy.ReadTensor(_dir.File(file));
        var g = Symmetry(group, x.ExampleShape);
        var which = kernel == "ntk" ? KernelOutputs.Ntk : KernelOutputs.Nngp;
        var gram = new KernelFunction(Layer.Parse(arch)).Compute(g.OrbitInputs(x), null, which).Get(which);
        var dense = SymmetricEigen.Compute(gram).EigenValues.Reverse().ToArray();
        Assert.Equal(dense.Length, all.Count);
        for (int i = 0; i < dense.Length; i++) Assert.True(Math.Abs(dense[i] - all[i]) <= 1e-10 * dense[0], $"eigenvalue {i}: {all[i]:R} vs dense {dense[i]:R}");

        using var doc = JsonDocument.Parse(File.ReadAllText(_dir.File("out/summary.json")));
        double shares = doc.RootElement.GetProperty("irreps").EnumerateArray().Sum(e => e.GetProperty("trace_share").GetDouble());
        Assert.Equal(1.0, shares, 10);
        Assert.True(doc.RootElement.GetProperty("trace_share").GetProperty("trivial").GetDouble() > 0);
    }

    private static SymmetryGroup Symmetry(string name, int[] shape) => name switch
    {
        "Cn:6" => Groups.Cn(6, shape),
        "D4" => Groups.D4(shape),
        _ => Groups.Permutations(shape),
    };

    [Fact]
    public void Spectrum_NonSymmetricKernel_ExitCode2WithMeasuredAsymmetry()
    {
        var r = CliRun.Of("spectrum", "--arch", ImageArch, "--group", "C4", "--x", _dir.File("img.npy"), "--out", _dir.File("bad"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not C4-symmetric", r.Stderr);
        Assert.Contains("--group C4", r.Stderr);
    }

    [Fact]
    public void Spectrum_UnknownKernel_ExitCode2()
    {
        var r = CliRun.Of("spectrum", "--arch", Arch, "--group", "C4", "--x", _dir.File("p.npy"), "--kernel", "rbf", "--out", _dir.File("o"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--kernel", r.Stderr);
    }

    [Fact]
    public void Equivariance_OneHotLabels_ReportJsonHasSymmetrisedKl()
    {
        var rng = new Random(3);
        Npy.Write(_dir.File("xt.npy"), Enumerable.Range(0, 3 * 2).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 3, 2);
        Npy.Write(_dir.File("yt.npy"), [1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3);
        string arch = Arch.Replace("Dense(1,", "Dense(3,", StringComparison.Ordinal);
        var r = CliRun.Of("equivariance", "--arch", arch, "--group", "C4", "--x-train", _dir.File("xt.npy"), "--y-train", _dir.File("yt.npy"),
            "--x-test", _dir.File("p.npy"), "--times", "1,inf", "--out", _dir.File("eq"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(_dir.File("eq/report.json")));
        foreach (var t in doc.RootElement.GetProperty("times").EnumerateArray())
        {
            double mean = t.GetProperty("mean_symmetrized_kl").GetDouble(), max = t.GetProperty("max_symmetrized_kl").GetDouble();
            Assert.True(max >= mean && max < 1e-20, $"mean {mean:E2}, max {max:E2}");
        }
        var control = CliRun.Of("equivariance", "--arch", arch, "--group", "C4", "--x-train", _dir.File("xt.npy"), "--y-train", _dir.File("yt.npy"),
            "--x-test", _dir.File("p.npy"), "--times", "inf", "--no-augment", "--out", _dir.File("eq2"));
        Assert.True(control.ExitCode == 0, control.Stderr);
        using var doc2 = JsonDocument.Parse(File.ReadAllText(_dir.File("eq2/report.json")));
        Assert.True(doc2.RootElement.GetProperty("times")[0].GetProperty("max_symmetrized_kl").GetDouble() > 1e-6);
    }
}
