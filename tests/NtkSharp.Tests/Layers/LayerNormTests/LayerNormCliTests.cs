using NtkSharp.IO;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Cli;
using Xunit;

namespace NtkSharp.Tests.Layers.LayerNormTests;

/// <summary>LayerNorm through the CLI: listed in the help, run by <c>ntksharp kernel</c> (the out-of-core tile path)
/// with the library's values, and a nonlinearity after a LayerNorm of a non-Gaussian signal refused as bad input.</summary>
public class LayerNormCliTests
{
    private const string Arch = "Serial(Dense(16, bStd: 0.1), Relu(), LayerNorm(), Dense(16), LayerNorm(), Erf(), Dense(1))";

    [Fact]
    public void KernelHelp_ListsLayerNorm()
    {
        var help = CliRun.Of("kernel", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains(" LayerNorm,", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_LayerNormNetwork_FilesEqualKernelFunction()
    {
        using var tmp = new TempFolder();
        var rng = new Random(3);
        var x = new Tensor([.. Enumerable.Range(0, 6 * 4).Select(_ => rng.NextDouble() * 2 - 1)], 6, 4);
        Npy.Write(tmp.File("x.npy"), x);
        var run = CliRun.Of("kernel", "--arch", Arch, "--x1", tmp.File("x.npy"), "--out", tmp.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var expected = new KernelFunction(Layer.Parse(Arch)).Compute(x);
        foreach (var (file, m) in new[] { ("nngp.npy", expected.Nngp!), ("ntk.npy", expected.Ntk!) })
        {
            var a = Npy.ReadTensor(Path.Combine(tmp.File("out"), file));
            double scale = m.Enumerate().Max(Math.Abs), worst = 0;
            for (int i = 0; i < 6; i++)
            {
                for (int j = 0; j < 6; j++) worst = Math.Max(worst, Math.Abs(a.Data[i * 6 + j] - m[i, j]) / scale);
            }
            Assert.True(worst <= 1e-12, $"{file}: CLI vs library relative difference {worst:E2}");
        }
    }

    [Fact]
    public void Kernel_ReluAfterLayerNormOfReluOutput_ExitsTwoNamingTheLayer()
    {
        using var tmp = new TempFolder();
        Npy.Write(tmp.File("x.npy"), new Tensor([0.1, 0.2, 0.3, 0.4], 2, 2));
        var run = CliRun.Of("kernel", "--arch", "Serial(Dense(8), Relu(), LayerNorm(), Relu(), Dense(1))", "--x1", tmp.File("x.npy"), "--out", tmp.File("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("[3]", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Relu", run.Stderr, StringComparison.Ordinal);
    }
}
