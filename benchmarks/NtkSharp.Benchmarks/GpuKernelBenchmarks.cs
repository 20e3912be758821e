using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Benchmarks;

/// <summary>
/// The GPU engine on a CUDA device (for machines with a GPU and the .NET SDK; without an SDK use the self-contained
/// <c>NtkSharp.GpuRunner</c>, docs/gpu.md): the depth-5 ReLU MLP NNGP + NTK on N × 784 inputs, and the
/// eigendecomposition of the resulting NTK through cuSOLVER. Without a CUDA device the setup throws and
/// BenchmarkDotNet reports the benchmarks as failed. Monitoring job: one warm-up (kernel compilation), 3 iterations.
/// Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*GpuKernel*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser(false)]
public class GpuKernelBenchmarks
{
    private ComputeContext _context = null!;
    private KernelFunction _kernel = null!;
    private Tensor _x = null!;
    private MathNet.Numerics.LinearAlgebra.Matrix<double> _ntk = null!;

    /// <summary>Training examples.</summary>
    [Params(5000, 20000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _context = ComputeContext.Cuda();
        Console.WriteLine(_context.Describe());
        var layers = new List<Layer>();
        for (int l = 0; l < 5; l++)
        {
            layers.Add(Stax.Dense(1024, 1.4, 0.1));
            layers.Add(Stax.Relu());
        }
        layers.Add(Stax.Dense(1));
        _kernel = new KernelFunction(Stax.Serial([.. layers]), _context);
        var rng = new Random(1);
        var data = new double[N * 784];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        _x = new Tensor(data, N, 784);
        _ntk = _kernel.Compute(_x, outputs: KernelOutputs.Ntk).Ntk!;
    }

    [GlobalCleanup]
    public void Cleanup() => _context.Dispose();

    [Benchmark(Description = "depth-5 ReLU MLP NNGP+NTK (CUDA)")]
    public KernelResult MlpKernel() => _kernel.Compute(_x);

    [Benchmark(Description = "eigh of the NTK (cuSOLVER Dsyevd)")]
    public SymmetricEigen Eigh()
    {
        using var scope = _context.UseForLinearAlgebra();
        return SymmetricEigen.Compute(_ntk);
    }
}
