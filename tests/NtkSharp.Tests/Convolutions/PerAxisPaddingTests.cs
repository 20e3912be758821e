using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Gpu;
using NtkSharp.Tests.TestSupport;
using Xunit;

namespace NtkSharp.Tests.Convolutions;

/// <summary>
/// One padding per spatial axis (e.g. (Same, Circular) on polar images). The reference is independent of the padding
/// code: pad the input explicitly (zeros for Same, wrap-around for Circular, nothing for Valid) and run the same layer
/// with Valid padding on both axes; kernels and finite networks must agree to rounding.
/// </summary>
public sealed class PerAxisPaddingTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private static readonly Padding[] All = [Padding.Valid, Padding.Same, Padding.Circular];

    public static TheoryData<Padding, Padding> Combinations()
    {
        var data = new TheoryData<Padding, Padding>();
        foreach (var h in All)
        {
            foreach (var w in All) data.Add(h, w);
        }
        return data;
    }

    /// <summary>Pads (N, H, W, C) images by k//2 on both sides of each axis that is not Valid: zeros (Same) or wrapped
    /// values (Circular).</summary>
    private static Tensor PadExplicitly(Tensor x, (Padding H, Padding W) padding, int k)
    {
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3], r = k / 2;
        int ph = padding.H == Padding.Valid ? 0 : r, pw = padding.W == Padding.Valid ? 0 : r;
        int hh = h + 2 * ph, ww = w + 2 * pw;
        var data = new double[n * hh * ww * c];
        for (int e = 0; e < n; e++)
        {
            for (int i = 0; i < hh; i++)
            {
                for (int j = 0; j < ww; j++)
                {
                    int si = i - ph, sj = j - pw;
                    if (padding.H == Padding.Circular) si = ((si % h) + h) % h;
                    if (padding.W == Padding.Circular) sj = ((sj % w) + w) % w;
                    if (si < 0 || si >= h || sj < 0 || sj >= w) continue;
                    for (int ch = 0; ch < c; ch++) data[((e * hh + i) * ww + j) * c + ch] = x.Data[((e * h + si) * w + sj) * c + ch];
                }
            }
        }
        return new Tensor(data, n, hh, ww, c);
    }

    private static Layer ConvNet((Padding H, Padding W) p) => Stax.Serial(Stax.Conv(6, (3, 3), p, wStd: 1.3, bStd: 0.2), Stax.Relu(),
        Stax.Conv(5, (3, 3), p, wStd: 1.1), Stax.Relu(), Stax.Flatten(), Stax.Dense(2, bStd: 0.1));

    // Only the first layer sees the raw input, so the explicit-padding reference applies to the first window layer; the
    // second one runs in the full layout (pooling) to exercise covariances between positions too.
    private static Layer PoolNet((Padding H, Padding W) p) => Stax.Serial(Stax.AvgPool((3, 3), p), Stax.Conv(6, (2, 2), wStd: 1.2, bStd: 0.1),
        Stax.Relu(), Stax.AvgPool((2, 2)), Stax.Flatten(), Stax.Dense(1));

    private static Layer FirstConvNet((Padding H, Padding W) p) => Stax.Serial(Stax.Conv(6, (3, 3), p, wStd: 1.3, bStd: 0.2), Stax.Relu(),
        Stax.Flatten(), Stax.Dense(2, bStd: 0.1));

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tol, string what)
    {
        double scale = expected.Enumerate().Max(Math.Abs);
        double err = (expected - actual).Enumerate().Max(Math.Abs) / scale;
        Assert.True(err <= tol, $"{what}: max relative difference {err:G3} > {tol:G1}");
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Compute_PerAxisConv_EqualsExplicitPaddingWithValid(Padding h, Padding w)
    {
        var x = ConvTestData.Images(41, 3, 5, 6, 2);
        var actual = new KernelFunction(FirstConvNet((h, w))).Compute(x);
        var expected = new KernelFunction(FirstConvNet((Padding.Valid, Padding.Valid))).Compute(PadExplicitly(x, (h, w), 3));
        AssertClose(expected.Nngp!, actual.Nngp!, 1e-13, $"({h}, {w}) NNGP");
        AssertClose(expected.Ntk!, actual.Ntk!, 1e-13, $"({h}, {w}) NTK");
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Compute_PerAxisAvgPool_EqualsExplicitPaddingWithValid(Padding h, Padding w)
    {
        var x = ConvTestData.Images(42, 3, 5, 6, 1);
        var actual = new KernelFunction(PoolNet((h, w))).Compute(x);
        var expected = new KernelFunction(PoolNet((Padding.Valid, Padding.Valid))).Compute(PadExplicitly(x, (h, w), 3));
        AssertClose(expected.Nngp!, actual.Nngp!, 1e-13, $"({h}, {w}) NNGP");
        AssertClose(expected.Ntk!, actual.Ntk!, 1e-13, $"({h}, {w}) NTK");
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Apply_PerAxisFiniteConvAndPool_EqualsExplicitPaddingWithValid(Padding h, Padding w)
    {
        var x = ConvTestData.Images(43, 2, 5, 6, 2);
        foreach (var make in new Func<(Padding, Padding), Layer>[] { FirstConvNet, PoolNet })
        {
            var netA = FiniteNetwork.Create(make((h, w)), 5, 6, 2);
            var padded = PadExplicitly(x, (h, w), 3);
            var netB = FiniteNetwork.Create(make((Padding.Valid, Padding.Valid)), padded.ExampleShape);
            var pa = netA.Init(7);
            var pb = netB.Init(7);
            AssertClose(netB.Apply(pb, padded), netA.Apply(pa, x), 1e-13, $"finite ({h}, {w}) outputs");
            var cot = Matrix<double>.Build.Dense(2, netA.Apply(pa, x).ColumnCount, 1.0);
            var ga = netA.Gradient(pa, x, cot);
            var gb = netB.Gradient(pb, padded, cot);
            Assert.Equal(ga.Count, gb.Count);
            double scale = Enumerable.Range(0, gb.Count).Max(i => Math.Abs(gb.Values[i]));
            double err = Enumerable.Range(0, gb.Count).Max(i => Math.Abs(ga.Values[i] - gb.Values[i])) / scale;
            Assert.True(err <= 1e-12, $"finite ({h}, {w}) gradients: max relative difference {err:G3}");
        }
    }

    [Fact]
    public void Compute_SameCircularDeepNetOnGpu_MatchesCpuEngine()
    {
        var net = Stax.Serial(ConvNet((Padding.Same, Padding.Circular)), Stax.Identity());
        var pooled = Stax.Serial(Stax.Conv(4, (3, 3), (Padding.Same, Padding.Circular), wStd: 1.2), Stax.Relu(),
            Stax.AvgPool((2, 2), (Padding.Valid, Padding.Circular)), Stax.GlobalAvgPool(), Stax.Dense(1));
        var x = ConvTestData.Images(44, 3, 4, 8, 1);
        foreach (var n in new[] { net, pooled })
        {
            var cpu = new KernelFunction(n).Compute(x);
            var gpu = new KernelFunction(n, fixture.Context).Compute(x);
            AssertClose(cpu.Nngp!, gpu.Nngp!, 1e-12, "GPU NNGP");
            AssertClose(cpu.Ntk!, gpu.Ntk!, 1e-12, "GPU NTK");
        }
    }

    [Fact]
    public void Estimate_SameCircularConv_MonteCarloMatchesKernel()
    {
        var net = Stax.Serial(Stax.Conv(256, (3, 3), (Padding.Same, Padding.Circular), wStd: 1.5, bStd: 0.1), Stax.Relu(),
            Stax.Conv(256, (3, 3), (Padding.Same, Padding.Circular), wStd: 1.3), Stax.Relu(), Stax.Flatten(), Stax.Dense(8));
        var x = ConvTestData.Images(45, 3, 3, 6, 1);
        MonteCarloAgreement.AssertAgrees(net, x, seed: 9, samples: 100);
        var exact = new KernelFunction(net).Compute(x);
        // The control: the same network with Same padding on both axes has a different kernel.
        var same = new KernelFunction(Stax.Serial(Stax.Conv(256, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(),
            Stax.Conv(256, (3, 3), padding: Padding.Same, wStd: 1.3), Stax.Relu(), Stax.Flatten(), Stax.Dense(8))).Compute(x);
        double gap = (same.Ntk! - exact.Ntk!).Enumerate().Max(Math.Abs) / exact.Ntk!.Diagonal().Max();
        Assert.True(gap > 0.01, $"(Same, Circular) and Same must differ; relative gap {gap:G3}");
    }

    [Theory]
    [InlineData("Conv(8, filter: (3, 3), padding: (Same, Circular))")]
    [InlineData("Conv(8, filter: (3, 1), strides: (2, 1), padding: (Circular, Valid), wStd: 1.5)")]
    [InlineData("AvgPool(window: (2, 2), padding: (Valid, Circular))")]
    [InlineData("SumPool(window: (3, 3), strides: (1, 2), padding: (Same, Valid))")]
    [InlineData("Conv(8, filter: (3, 3), padding: Circular)")]
    public void Parse_PerAxisPadding_RoundTrips(string text)
    {
        var layer = Layer.Parse(text);
        Assert.Equal(text, layer.ToString());
        Assert.Equal(layer, Layer.Parse(layer.ToString()));
    }

    [Fact]
    public void Parse_EqualAxes_PrintsTheSinglePaddingForm()
    {
        var layer = Layer.Parse("Conv(8, filter: (3, 3), padding: (Same, Same))");
        Assert.Equal("Conv(8, filter: (3, 3), padding: Same)", layer.ToString());
        Assert.Equal(Padding.Same, ((Conv)layer).Padding);
        var mixed = (Conv)Layer.Parse("Conv(8, filter: (3, 3), padding: (Same, Circular))");
        Assert.Equal((Padding.Same, Padding.Circular), mixed.Paddings);
        Assert.Throws<InvalidOperationException>(() => mixed.Padding);
    }

    [Fact]
    public void Parse_BadPerAxisPadding_RaisesParseError()
    {
        Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Conv(8, filter: (3, 3), padding: (Same, Round))"));
        Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Conv(8, filter: (3, 3), padding: (Same, Same, Same))"));
    }

    [Fact]
    public void ValidateNetwork_ValidAxisTooSmall_NamesTheAxis()
    {
        var net = Stax.Serial(Stax.Conv(4, (5, 5), (Padding.Circular, Padding.Valid)), Stax.Flatten(), Stax.Dense(1));
        var e = Assert.Throws<ArchitectureException>(() => net.ValidateNetwork([8, 3, 1]));
        Assert.Contains("along w", e.Message);
    }
}
