using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Benchmarks;

/// <summary>
/// Dense kernels of the active native backend (see <see cref="Backend.Describe"/>, printed at setup): symmetric
/// eigendecomposition (dsyevd), Cholesky factorisation (dpotrf) and a square product (dgemm) at n = 1000, 2000,
/// 4000. A short monitoring job (1 warm-up, 3 iterations, one launch): eigh at n = 4000 takes seconds per call.
/// Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*LinearAlgebra*'</c>;
/// set <c>NTKSHARP_BACKEND=managed</c> to time MathNet's provider instead (minutes at n = 4000).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser(false)]
public class LinearAlgebraBenchmarks
{
    private Matrix<double> _spd = null!;
    private Matrix<double> _b = null!;

    /// <summary>The matrix order.</summary>
    [Params(1000, 2000, 4000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine(Backend.Describe());
        var rng = new Random(1);
        _b = Matrix<double>.Build.Dense(N, N, (_, _) => rng.NextDouble() - 0.5);
        _spd = DenseOps.TransposeAndMultiplySelf(_b) / N + Matrix<double>.Build.DenseIdentity(N);
    }

    [Benchmark(Description = "eigh (dsyevd)")]
    public SymmetricEigen Eigh() => SymmetricEigen.Compute(_spd);

    [Benchmark(Description = "cholesky (dpotrf)")]
    public CholeskyFactor Cholesky() => CholeskyFactor.Compute(_spd);

    [Benchmark(Description = "gemm (dgemm)")]
    public Matrix<double> Gemm() => DenseOps.Multiply(_b, _b);
}
