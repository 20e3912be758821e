using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Layers;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Benchmarks;

/// <summary>
/// Ensemble training throughput for the 784→512→512→10 ReLU MLP on 256 examples (float64, full-batch gradient
/// descent): <see cref="Members"/> members trained for <see cref="Steps"/> steps, members in parallel across cores.
/// Member-steps per second = Members·Steps / time (the time includes each member's initialisation and one test pass).
/// </summary>
[MemoryDiagnoser]
public class EnsembleTrainingBenchmarks
{
    private Layer _network = null!;
    private Tensor _x = null!, _t = null!;
    private Matrix<double> _y = null!;

    /// <summary>Ensemble size.</summary>
    [Params(1, 2)]
    public int Members { get; set; }

    /// <summary>Gradient steps per member.</summary>
    public int Steps { get; set; } = 20;

    [GlobalSetup]
    public void Setup()
    {
        (_network, _x, _y, _t) = Mnist.Problem();
    }

    [Benchmark]
    public EnsembleResult Train() => Ensemble.Train(_network, _x, _y, _t,
        new EnsembleOptions { Members = Members, LearningRate = 0.1, Checkpoints = [Steps], RecordNtk = false });
}

/// <summary>The benchmark problem: MNIST-shaped random inputs (256 × 784), 10 targets, the 784→512→512→10 ReLU MLP.</summary>
internal static class Mnist
{
    public static (Layer Network, Tensor X, Matrix<double> Y, Tensor Test) Problem()
    {
        var net = Serial(Dense(512, bStd: 0.1), Relu(), Dense(512, bStd: 0.1), Relu(), Dense(10));
        var rng = new GaussianSampler(1);
        var x = new double[256 * 784];
        rng.FillGaussian(x, 1.0);
        var t = new double[16 * 784];
        rng.FillGaussian(t, 1.0);
        var y = Matrix<double>.Build.Dense(256, 10, (i, k) => (i % 10 == k) ? 1.0 : 0.0);
        return (net, new Tensor(x, 256, 784), y, new Tensor(t, 16, 784));
    }

    /// <summary>A quick stopwatch measurement (no BenchmarkDotNet): member-steps per second for 1 member on 1 thread
    /// and for one member per core.</summary>
    public static void Throughput(TextWriter output)
    {
        Measure(output, "managed GEMM");
    }

    private static void Measure(TextWriter output, string label)
    {
        var (net, x, y, t) = Problem();
        foreach (var (members, threads) in new[] { (1, 1), (Environment.ProcessorCount, Environment.ProcessorCount) })
        {
            var o = new EnsembleOptions { Members = members, LearningRate = 0.1, RecordNtk = false, MaxDegreeOfParallelism = threads };
            Ensemble.Train(net, x, y, t, o with { Checkpoints = [2] }); // warm-up (JIT)
            const int Short = 5, Long = 45;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Ensemble.Train(net, x, y, t, o with { Checkpoints = [Short] });
            double a = clock.Elapsed.TotalSeconds;
            clock.Restart();
            Ensemble.Train(net, x, y, t, o with { Checkpoints = [Long] });
            double b = clock.Elapsed.TotalSeconds;
            // The difference of two runs removes initialisation and the test pass.
            double perStep = (b - a) / (Long - Short);
            output.WriteLine($"{label}: members {members}, threads {threads}: {members / perStep:F1} member-steps/s ({perStep * 1000:F1} ms per step of the ensemble)");
        }
    }
}
