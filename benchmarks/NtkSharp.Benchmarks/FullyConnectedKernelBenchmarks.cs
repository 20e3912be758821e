using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// The fully-connected kernel bar of the foundation issue: NNGP and NTK of a depth-5 ReLU MLP
/// (Serial(Dense(512, 1.5, 0.05), Relu()) × 5, Dense(1, 1.5, 0.05)) on N inputs of d = 784 features, x2 absent, end to end
/// (input Gram, self pass, fused per-entry program, mirror, result matrices). <c>Depth = 0</c> (Dense(1) only) isolates
/// the input Gram and the fixed costs, so (t₅ − t₀)/5 is the cost of one Dense+ReLU layer over the N(N+1)/2 entries.
/// Compare with <c>benchmarks/reference/relu_mlp_numpy.py</c> (same architecture and input distribution).
/// <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*FullyConnected*'</c>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class FullyConnectedKernelBenchmarks
{
    private const int D = 784;
    private Tensor _x = null!;
    private KernelFunction _kernel = null!;

    /// <summary>Number of inputs.</summary>
    [Params(1000, 4000)]
    public int N { get; set; }

    /// <summary>Hidden Dense+ReLU layers.</summary>
    [Params(0, 5)]
    public int Depth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(0);
        var data = new double[N * D];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            data[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        _x = new Tensor(data, N, D);
        _kernel = new KernelFunction(ReluMlp(Depth));
    }

    /// <summary>Serial(Dense(512, 1.5, 0.05), Relu()) × depth, Dense(1, 1.5, 0.05).</summary>
    public static Layer ReluMlp(int depth)
    {
        var layers = new List<Layer>();
        for (int l = 0; l < depth; l++)
        {
            layers.Add(Stax.Dense(512, 1.5, 0.05));
            layers.Add(Stax.Relu());
        }
        layers.Add(Stax.Dense(1, 1.5, 0.05));
        return Stax.Serial([.. layers]);
    }

    [Benchmark(Description = "NNGP+NTK")]
    public KernelResult Both() => _kernel.Compute(_x);

    [Benchmark(Description = "NNGP only")]
    public KernelResult NngpOnly() => _kernel.Compute(_x, outputs: KernelOutputs.Nngp);
}
