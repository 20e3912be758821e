using BenchmarkDotNet.Attributes;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// A CNN kernel on 16×32 polar images (512 positions; padding (Same, Circular): zeros along the radius, wrap-around
/// along the angle) against the same CNN on 22×22 Cartesian images (484 positions; Same padding): the per-pair cost
/// should follow the number of positions. 3 × (3×3 conv, ReLU), NNGP and NTK, 2 threads.
/// Flatten readout: 32 × 32 pairs per call; GlobalAvgPool readout: 3 × 3 pairs per call.
/// Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*PolarKernel*' --job short</c>.
/// </summary>
public class PolarKernelBenchmarks
{
    private readonly KernelOptions _options = new() { MaxDegreeOfParallelism = 2 };
    private readonly Dictionary<(string, bool), (KernelFunction Kf, Tensor X1, Tensor X2)> _cases = [];

    /// <summary>"polar 16×32" or "cartesian 22×22".</summary>
    [Params("polar 16x32", "cartesian 22x22")]
    public string Grid { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        foreach (var grid in new[] { "polar 16x32", "cartesian 22x22" })
        {
            bool polar = grid.StartsWith("polar", StringComparison.Ordinal);
            int h = polar ? 16 : 22, w = polar ? 32 : 22;
            var pad = polar ? (Padding.Same, Padding.Circular) : (Padding.Same, Padding.Same);
            Layer[] body = [.. Enumerable.Range(0, 3).SelectMany(_ => new Layer[] { Stax.Conv(256, (3, 3), pad, wStd: 1.4, bStd: 0.1), Stax.Relu() })];
            Tensor Images(int n)
            {
                var d = new double[n * h * w];
                for (int i = 0; i < d.Length; i++) d[i] = rng.NextDouble() * 2 - 1;
                return new Tensor(d, n, h, w, 1);
            }
            _cases[(grid, false)] = (new KernelFunction(Stax.Serial([.. body, Stax.Flatten(), Stax.Dense(1)])), Images(32), Images(32));
            _cases[(grid, true)] = (new KernelFunction(Stax.Serial([.. body, Stax.GlobalAvgPool(), Stax.Dense(1)])), Images(3), Images(3));
        }
    }

    /// <summary>Flatten readout, 1024 pairs.</summary>
    [Benchmark(OperationsPerInvoke = 32 * 32)]
    public KernelResult FlattenPerPair()
    {
        var c = _cases[(Grid, false)];
        return c.Kf.Compute(c.X1, c.X2, KernelOutputs.Both, _options);
    }

    /// <summary>GlobalAvgPool readout, 9 pairs.</summary>
    [Benchmark(OperationsPerInvoke = 3 * 3)]
    public KernelResult GlobalAvgPoolPerPair()
    {
        var c = _cases[(Grid, true)];
        return c.Kf.Compute(c.X1, c.X2, KernelOutputs.Both, _options);
    }
}
