using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.ScaleOut;
using NtkSharp.Tests.Cli;
using Xunit;

namespace NtkSharp.Tests.ScaleOut;

public class OutOfCoreKernelTests
{
    private const double WStd = 1.5, BStd = 0.05;

    /// <summary>
    /// Closed form of the ReLU network of <see cref="ScaleOutFixtures.ReluText"/> (NTK parameterisation): K ← σw²K + σb²,
    /// Θ ← K + σw²Θ per Dense; per ReLU the arc-cosine kernel K ← √(KxxKyy)(sin θ + (π − θ)cos θ)/(2π), Θ ← Θ(π − θ)/(2π)
    /// (Cho &amp; Saul 2009; Jacot et al. 2018), θ = 0 exactly on the diagonal.
    /// </summary>
    private static (double K, double T) ClosedForm(ReadOnlySpan<double> x, ReadOnlySpan<double> y, bool same)
    {
        int d = x.Length;
        double k = 0, kx = 0, ky = 0;
        for (int i = 0; i < d; i++)
        {
            k += x[i] * y[i];
            kx += x[i] * x[i];
            ky += y[i] * y[i];
        }
        k /= d;
        kx /= d;
        ky /= d;
        double t = 0, w2 = WStd * WStd, b2 = BStd * BStd;
        for (int layer = 0; layer < 2; layer++)
        {
            k = w2 * k + b2;
            kx = w2 * kx + b2;
            ky = w2 * ky + b2;
            t = k + w2 * t;
            double norm = Math.Sqrt(kx * ky);
            double theta = same ? 0 : Math.Acos(Math.Clamp(k / norm, -1, 1));
            k = norm * (Math.Sin(theta) + (Math.PI - theta) * Math.Cos(theta)) / (2 * Math.PI);
            t *= (Math.PI - theta) / (2 * Math.PI);
            kx /= 2;
            ky /= 2;
        }
        k = w2 * k + b2;
        t = k + w2 * t;
        return (k, t);
    }

    [Theory]
    [InlineData(45, 0)]
    [InlineData(45, 29)]
    [InlineData(17, 0)]
    public void WriteNpy_EntriesAtAndAwayFromTileBorders_MatchClosedFormAndInMemoryKernel(int n1, int n2)
    {
        using var dir = new TempFolder();
        var x1 = ScaleOutFixtures.Gaussian(n1, 6, 1);
        var x2 = n2 == 0 ? null : ScaleOutFixtures.Gaussian(n2, 6, 2);
        OutOfCoreKernel.WriteNpy(ScaleOutFixtures.Relu, x1, x2, KernelOutputs.Both, dir.File("nngp.npy"), dir.File("ntk.npy"));
        var k = ScaleOutFixtures.ReadMatrix(dir.File("nngp.npy"));
        var t = ScaleOutFixtures.ReadMatrix(dir.File("ntk.npy"));
        var memory = new KernelFunction(ScaleOutFixtures.Relu).Compute(x1, x2);
        var y = x2 ?? x1;
        int side = new GramTiling(n1, y.Count, x2 is null).TileRows;
        Assert.Equal(8, side);
        Assert.Equal(n1, k.GetLength(0));
        Assert.Equal(y.Count, k.GetLength(1));
        for (int i = 0; i < n1; i++)
        {
            for (int j = 0; j < y.Count; j++)
            {
                var (ck, ct) = ClosedForm(x1.Data.AsSpan(i * 6, 6), y.Data.AsSpan(j * 6, 6), x2 is null && i == j);
                Assert.True(Math.Abs(k[i, j] - ck) <= 1e-12 * Math.Abs(ck), $"NNGP ({i}, {j}) = {k[i, j]:R}, closed form {ck:R}");
                Assert.True(Math.Abs(t[i, j] - ct) <= 1e-12 * Math.Abs(ct), $"NTK ({i}, {j}) = {t[i, j]:R}, closed form {ct:R}");
                Assert.True(Math.Abs(k[i, j] - memory.Nngp![i, j]) <= 1e-13 * Math.Abs(ck), $"NNGP ({i}, {j}) = {k[i, j]:R}, in memory {memory.Nngp[i, j]:R}");
                Assert.True(Math.Abs(t[i, j] - memory.Ntk![i, j]) <= 1e-13 * Math.Abs(ct), $"NTK ({i}, {j}) = {t[i, j]:R}, in memory {memory.Ntk[i, j]:R}");
                if (x2 is null)
                {
                    Assert.True(k[i, j].Equals(k[j, i]), $"NNGP not exactly symmetric at ({i}, {j}): {k[i, j]:R} vs {k[j, i]:R}");
                    Assert.True(t[i, j].Equals(t[j, i]), $"NTK not exactly symmetric at ({i}, {j}): {t[i, j]:R} vs {t[j, i]:R}");
                }
            }
        }
    }

    [Theory]
    [InlineData(45, 0)]
    [InlineData(45, 29)]
    public void WriteNpy_BandsOfOneTileRow_SameBytesAsOneBand(int n1, int n2)
    {
        using var dir = new TempFolder();
        var x1 = ScaleOutFixtures.Gaussian(n1, 6, 3);
        var x2 = n2 == 0 ? null : ScaleOutFixtures.Gaussian(n2, 6, 4);
        var net = ScaleOutFixtures.Relu;
        OutOfCoreKernel.WriteNpy(net, x1, x2, KernelOutputs.Both, dir.File("k1.npy"), dir.File("t1.npy"));
        // A budget of one tile row per band: every later band's mirror tiles go through memory-mapped windows.
        var tight = new KernelOptions { MemoryBudgetBytes = 8L * 2 * (x2?.Count ?? n1) * 8 };
        OutOfCoreKernel.WriteNpy(net, x1, x2, KernelOutputs.Both, dir.File("k2.npy"), dir.File("t2.npy"), tight);
        Assert.Equal(-1, ScaleOutFixtures.FirstDifference(dir.File("k1.npy"), dir.File("k2.npy")));
        Assert.Equal(-1, ScaleOutFixtures.FirstDifference(dir.File("t1.npy"), dir.File("t2.npy")));
    }

    [Fact]
    public void WriteNpy_ConvolutionalNetwork_MatchesInMemoryKernel()
    {
        using var dir = new TempFolder();
        var x = ScaleOutFixtures.Gaussian(19, 4 * 4 * 2, 5).Reshape(19, 4, 4, 2);
        var net = Layer.Parse("Serial(Conv(8, filter: (3, 3), padding: Same, wStd: 1.4), Relu(), GlobalAvgPool(), Dense(1))");
        OutOfCoreKernel.WriteNpy(net, x, null, KernelOutputs.Ntk, null, dir.File("ntk.npy"));
        var t = ScaleOutFixtures.ReadMatrix(dir.File("ntk.npy"));
        var memory = new KernelFunction(net).Compute(x, null, KernelOutputs.Ntk).Ntk!;
        Assert.False(File.Exists(dir.File("nngp.npy")));
        for (int i = 0; i < 19; i++)
        {
            for (int j = 0; j < 19; j++)
                Assert.True(Math.Abs(t[i, j] - memory[i, j]) <= 1e-13 * Math.Abs(memory[i, i]), $"NTK ({i}, {j}) = {t[i, j]:R}, in memory {memory[i, j]:R}");
        }
    }
}
