using BenchmarkDotNet.Attributes;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// The bar: a CNN of 5 × (3×3 Same conv, ReLU) on 28×28×1 inputs, NNGP and NTK, on 2 threads.
/// Flatten readout (diagonal layout): 64 × 64 inputs = 4096 Gram entries per call.
/// GlobalAvgPool readout (full layout): 4 × 4 inputs = 16 Gram entries per call.
/// Per-entry time = mean / entries (the self passes, 128 resp. 8 runs, are included in the mean).
/// Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*ConvKernel*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class ConvKernelBenchmarks
{
    private KernelFunction _flatten = null!;
    private KernelFunction _gap = null!;
    private Tensor _x1 = null!;
    private Tensor _x2 = null!;
    private Tensor _small1 = null!;
    private Tensor _small2 = null!;
    private readonly KernelOptions _options = new() { MaxDegreeOfParallelism = 2 };

    [GlobalSetup]
    public void Setup()
    {
        Layer[] body = [.. Enumerable.Range(0, 5).SelectMany(_ => new Layer[] { Stax.Conv(256, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu() })];
        _flatten = new KernelFunction(Stax.Serial([.. body, Stax.Flatten(), Stax.Dense(1)]));
        _gap = new KernelFunction(Stax.Serial([.. body, Stax.GlobalAvgPool(), Stax.Dense(1)]));
        var rng = new Random(1);
        Tensor Images(int n)
        {
            var d = new double[n * 28 * 28];
            for (int i = 0; i < d.Length; i++) d[i] = rng.NextDouble() * 2 - 1;
            return new Tensor(d, n, 28, 28, 1);
        }
        _x1 = Images(64);
        _x2 = Images(64);
        _small1 = Images(4);
        _small2 = Images(4);
    }

    /// <summary>Flatten readout, 4096 entries.</summary>
    [Benchmark(OperationsPerInvoke = 64 * 64)]
    public KernelResult FlattenReadout() => _flatten.Compute(_x1, _x2, KernelOutputs.Both, _options);

    /// <summary>GlobalAvgPool readout, 16 entries.</summary>
    [Benchmark(OperationsPerInvoke = 4 * 4)]
    public KernelResult GlobalAvgPoolReadout() => _gap.Compute(_small1, _small2, KernelOutputs.Both, _options);
}
