using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// The quadrature nonlinearities (Tanh, Sigmoid, Softplus, Silu) on the GPU engine, run on ILGPU's CPU accelerator,
/// against the CPU engine to 1e-12 relative to the largest entry: vectors (the fused FC program; depths 1 to 3, both
/// parameterisations, a residual branch, symmetric and x1 × x2) and images (conv + GlobalAvgPool in the full layout,
/// conv + Flatten in the diagonal layout). The inputs are scaled up and x2 repeats examples of x1, so that entries with
/// correlation ±1 at large variance take the direct 2-D quadrature fallback; each test checks by construction (the
/// first layer's covariances in closed form and the series' tail bound) that some entries do, and some do not.
/// </summary>
public class QuadratureGpuParityTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private const double Tolerance = 1e-12;

    /// <summary>Input scale: the first layer's variances reach ~7 (~27 for Softplus, whose smooth part dominates its
    /// energy), where φ(σz) needs more than 128 Hermite terms at correlation 1.</summary>
    private static double Scale(string name) => name == "Softplus" ? 6.0 : 3.0;

    public static TheoryData<string> Names => ["Tanh", "Sigmoid", "Softplus", "Silu"];

    private static Activation Make(string name) => name switch
    {
        "Tanh" => Stax.Tanh(),
        "Sigmoid" => Stax.Sigmoid(),
        "Softplus" => Stax.Softplus(),
        _ => Stax.Silu(),
    };

    private static Tensor Scaled(int n, int d, int seed, double scale)
    {
        var x = GpuEngineParityTests.Inputs(n, d, seed);
        return new Tensor([.. x.Data.Select(v => scale * v)], n, d);
    }

    /// <summary>x2: examples 0 and 2 of x1 (correlation 1 with them at every layer), then new ones.</summary>
    private static Tensor WithDuplicates(Tensor x1, int extra, int seed, double scale)
    {
        int d = x1.ExampleSize;
        var fresh = Scaled(extra, d, seed, scale);
        var data = x1.Data.AsSpan(0, d).ToArray().Concat(x1.Data.AsSpan(2 * d, d).ToArray()).Concat(fresh.Data).ToArray();
        return new Tensor(data, 2 + extra, d);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Compute_VectorsOnIlgpuCpu_MatchesCpuEngine(string name)
    {
        const double w = 1.5, b = 0.1;
        var x1 = Scaled(5, 4, 7, Scale(name));
        var x2 = WithDuplicates(x1, 2, 8, Scale(name));
        var networks = new Dictionary<string, Layer>
        {
            ["depth 1"] = Stax.Serial(Stax.Dense(8, w, b), Make(name), Stax.Dense(1)),
            ["depth 3, standard"] = Stax.Serial(Stax.Dense(8, w, b), Make(name), Stax.Dense(8, 1.2, 0.2, Parameterization.Standard), Make(name),
                Stax.Dense(8, 1.1, 0.1, Parameterization.Standard), Make(name), Stax.Dense(1, 1.0, 0.1, Parameterization.Standard)),
            ["residual"] = Stax.Serial(Stax.Dense(8, w, b), Make(name), Stax.FanOut(2),
                Stax.Parallel(Stax.Serial(Stax.Dense(8, 1.3, 0.05), Make(name), Stax.Dense(8)), Stax.Identity()),
                Stax.FanInSum(), Stax.Dense(8, 0.8, 0.1), Stax.Erf(), Stax.Dense(1)),
        };
        foreach (var (what, net) in networks)
        {
            if (what != "residual")
                Close(new KernelFunction(net).Compute(x1, x2), new KernelFunction(net, fixture.Context).Compute(x1, x2), $"{name} {what} x1 × x2");
            if (what != "depth 3, standard")
                Close(new KernelFunction(net).Compute(x1), new KernelFunction(net, fixture.Context).Compute(x1), $"{name} {what} symmetric");
        }
        // The first layer's covariances: w²·x·x′/d + b².
        var pairs = new List<(double, double, double)>();
        for (int i = 0; i < x1.Count; i++)
        {
            for (int j = 0; j < x2.Count; j++) pairs.Add((Cov(x1, i, x1, i, w, b), Cov(x1, i, x2, j, w, b), Cov(x2, j, x2, j, w, b)));
        }
        AssertBothPaths(name, pairs);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Compute_ImagesOnIlgpuCpu_MatchesCpuEngine(string name)
    {
        const double w = 1.5, b = 0.1;
        var x = new Tensor([.. GpuEngineParityTests.Inputs(2, 3 * 3 * 2, 30).Data.Select(v => Scale(name) * v)], 2, 3, 3, 2);
        var full = Stax.Serial(Stax.Conv(2, (1, 1), wStd: w, bStd: b), Make(name), Stax.Conv(2, (2, 2), padding: Padding.Same, wStd: 1.2, bStd: 0.1),
            Make(name), Stax.GlobalAvgPool(), Stax.Dense(1));
        var diagonal = Stax.Serial(Stax.Conv(2, (1, 1), wStd: w, bStd: b), Make(name), Stax.Conv(2, (2, 2), padding: Padding.Same, wStd: 1.2, bStd: 0.1),
            Make(name), Stax.Flatten(), Stax.Dense(1));
        foreach (var (what, net) in new[] { ("GlobalAvgPool (full layout)", full), ("Flatten (diagonal layout)", diagonal) })
        {
            Close(new KernelFunction(net).Compute(x), new KernelFunction(net, fixture.Context).Compute(x), $"{name} {what}");
        }
        // The 1×1 convolution's covariance between positions p of example i and p′ of example j: w²·x_ip·x_jp′/C + b²
        // (every entry of the full layout; the diagonal layout keeps p = p′ only).
        var pixels = new Tensor(x.Data, 2 * 9, 2);
        var pairs = new List<(double, double, double)>();
        for (int p = 0; p < pixels.Count; p++)
        {
            for (int q = 0; q < pixels.Count; q++) pairs.Add((Cov(pixels, p, pixels, p, w, b), Cov(pixels, p, pixels, q, w, b), Cov(pixels, q, pixels, q, w, b)));
        }
        AssertBothPaths(name, pairs);
    }

    [Fact]
    public void Compute_ElementwiseOnGpu_ThrowsNamingLayerAndSupportedOnes()
    {
        var net = Stax.Serial(Stax.Dense(4), Stax.Elementwise(x => Math.Sin(x) + 0.3 * x), Stax.Dense(1));
        var e = Assert.Throws<NotSupportedException>(() => new KernelFunction(net, fixture.Context).Compute(GpuEngineParityTests.Inputs(3, 2, 1)));
        Assert.Contains("Elementwise at [1] has no device body", e.Message, StringComparison.Ordinal);
        Assert.Contains("C# delegate", e.Message, StringComparison.Ordinal);
        Assert.Contains("Tanh(), Sigmoid(), Softplus() and Silu() do run on the GPU engine", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_RecordsOverHalfTheBudget_ThrowsNamingOption()
    {
        // 10 examples × 2 records × 2,080 bytes = 41,600 bytes > 64 KiB / 2.
        var net = Stax.Serial(Stax.Dense(4), Stax.Tanh(), Stax.Dense(4), Stax.Silu(), Stax.Dense(1));
        var options = new KernelOptions { MemoryBudgetBytes = 1 << 16 };
        var e = Assert.Throws<ArgumentException>(() => new KernelFunction(net, fixture.Context).Compute(GpuEngineParityTests.Inputs(10, 2, 1), options: options));
        Assert.Contains("Tanh at [1], Silu at [3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("41,600 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("KernelOptions.MemoryBudgetBytes", e.Message, StringComparison.Ordinal);
    }

    private static double Cov(Tensor a, int i, Tensor b, int j, double w, double bias)
    {
        int d = a.ExampleSize;
        double dot = 0;
        for (int c = 0; c < d; c++) dot += a.Data[i * d + c] * b.Data[j * d + c];
        return w * w * dot / d + bias * bias;
    }

    /// <summary>Asserts that among the first quadrature layer's entries some take the series and some the direct
    /// fallback (the series' tail bound evaluated on records computed here).</summary>
    private static void AssertBothPaths(string name, List<(double C11, double C12, double C22)> pairs)
    {
        int fallback = 0;
        foreach (var (c11, c12, c22) in pairs)
        {
            var p1 = Record(name, c11);
            var p2 = Record(name, c22);
            bool series = QuadratureDual.TrySeries(p1.Degree, new ArrayCoefficients(p1.Record), 0, new ArrayCoefficients(p2.Record), 0,
                QuadratureDual.Correlation(c11, c12, c22), out _, out _);
            if (!series) fallback++;
        }
        Assert.True(fallback > 0 && fallback < pairs.Count, $"{name}: {fallback} of {pairs.Count} first-layer entries take the fallback");
    }

    private static QuadratureCoefficients Record(string name, double variance) => name switch
    {
        "Tanh" => QuadratureDual.Prepare(new TanhFunction(), variance),
        "Sigmoid" => QuadratureDual.Prepare(new SigmoidFunction(), variance),
        "Softplus" => QuadratureDual.Prepare(new SoftplusFunction(), variance),
        _ => QuadratureDual.Prepare(new SiluFunction(), variance),
    };

    private static void Close(KernelResult expected, KernelResult actual, string what)
    {
        foreach (var (e, a) in new[] { (expected.Nngp!, actual.Nngp!), (expected.Ntk!, actual.Ntk!) })
        {
            double scale = e.Enumerate().Max(Math.Abs);
            double worst = 0;
            for (int i = 0; i < e.RowCount; i++)
            {
                for (int j = 0; j < e.ColumnCount; j++) worst = Math.Max(worst, Math.Abs(e[i, j] - a[i, j]) / scale);
            }
            Assert.True(worst <= Tolerance, $"{what}: GPU vs CPU relative difference {worst:E2}");
        }
    }
}
