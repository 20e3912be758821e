using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// The catalogue's duals in the fused FC program, one core (MaxDegreeOfParallelism = 1): NNGP + NTK of
/// Serial(Dense(512, 1.2, 0.05), φ, Dense(1)) on N = 1000 inputs of d = 64 features (N(N+1)/2 = 500 500 upper-triangle
/// entries), against the same network with φ = Identity() (the Gram, self pass, affine steps and mirror), so that
/// (t_φ − t_Identity)/500 500 is the dual's cost per entry.
/// <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*CatalogueKernel*'</c>
/// </summary>
[Config(typeof(InProcessMonitoring))]
public class CatalogueKernelBenchmarks
{
    private const int N = 1000, D = 64;
    private Tensor _x = null!;
    private KernelFunction _kernel = null!;
    private static readonly KernelOptions OneCore = new() { MaxDegreeOfParallelism = 1 };

    /// <summary>The nonlinearity as architecture text.</summary>
    [Params("Identity()", "Relu()", "Erf()", "Gelu()", "Erf(a: 0.5, b: 2, c: 0.1)", "Sin(a: 1, b: 1, c: 0.3)", "Cos()", "Rbf(gamma: 1)",
        "Gaussian(a: 2, b: -1)", "Exp(a: 1, b: 0.5)", "Monomial(degree: 3)", "RectifiedMonomial(degree: 2)",
        "Polynomial(coefficients: [0.1, 1, 0.5, 0.2])", "Hermite(degree: 3)", "Tanh()", "Softplus()")]
    public string Phi { get; set; } = "Relu()";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(0);
        var data = new double[N * D];
        for (int i = 0; i < data.Length; i++) data[i] = 2 * rng.NextDouble() - 1;
        _x = new Tensor(data, N, D);
        _kernel = new KernelFunction(Layer.Parse($"Serial(Dense(512, wStd: 1.2, bStd: 0.05), {Phi}, Dense(1))"));
    }

    /// <summary>One warm-up and five measured calls, in process (the out-of-process build times out on the loaded
    /// machine).</summary>
    private sealed class InProcessMonitoring : ManualConfig
    {
        public InProcessMonitoring() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1)
            .WithWarmupCount(1).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
    }

    [Benchmark(Description = "NNGP+NTK, 1 core")]
    public KernelResult Both() => _kernel.Compute(_x, options: OneCore);
}
