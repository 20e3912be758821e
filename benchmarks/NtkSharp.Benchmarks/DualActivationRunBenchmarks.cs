using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// One nonlinearity's update over a run of 256 entries (a column segment as the engine runs it): the SIMD run form
/// of the activation registry (<see cref="ActivationFamily.Run(in ActivationSpec, ReadOnlySpan{double}, double, Span{double}, Span{double})"/>)
/// against the scalar device form (<see cref="DeviceActivations.Dual"/>) called per entry. Reported per run; divide by 256
/// for ns per entry. The scalar form is what the run form of an activation without a SIMD body costs (Gelu, Sin, Cos,
/// RectifiedMonomial, Polynomial, Rbf, Gaussian and Exp before their vector bodies), so the two columns are before/after in one run.
/// In process (the out-of-process build times out on the loaded machine):
/// <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*DualActivationRun*'</c>.
/// </summary>
[Config(typeof(InProcessShort))]
public class DualActivationRunBenchmarks
{
    private const int Length = 256;
    private readonly double[] _c11 = new double[Length];
    private readonly double[] _c12 = new double[Length];
    private readonly double[] _k = new double[Length];
    private readonly double[] _theta = new double[Length];

    private ActivationSpec _spec;
    private ActivationFamily _family = null!;

    /// <summary>The nonlinearity, as architecture text.</summary>
    [Params("Relu()", "Erf()", "Gelu()", "Sin(a: 1, b: 1, c: 0.3)", "Cos()", "RectifiedMonomial(degree: 2)",
        "Polynomial(coefficients: [0.1, 1, 0.5, 0.2])", "Rbf(gamma: 1)", "Gaussian(a: 2, b: -1)", "Exp(a: 1, b: 0.5)")]
    public string Nonlinearity { get; set; } = "Relu()";

    /// <summary>ShortRun's counts (3 warm-ups, 3 iterations), in process.</summary>
    private sealed class InProcessShort : ManualConfig
    {
        public InProcessShort() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }

    [GlobalSetup]
    public void Setup()
    {
        var layer = (Activation)Layer.Parse(Nonlinearity);
        _spec = layer.Spec;
        _family = layer.Family;
        var rng = new Random(1);
        for (int i = 0; i < Length; i++)
        {
            _c11[i] = 0.5 + rng.NextDouble();
            _c12[i] = (2 * rng.NextDouble() - 1) * Math.Sqrt(_c11[i] * 1.2);
        }
    }

    [Benchmark(Baseline = true, Description = "scalar per entry")]
    public double Scalar()
    {
        double acc = 0;
        for (int i = 0; i < Length; i++)
        {
            DeviceActivations.Dual(_spec, _c11[i], _c12[i], 1.2, out double t, out double td);
            acc += t + td;
        }
        return acc;
    }

    [Benchmark(Description = "SIMD run")]
    public double Run()
    {
        _c12.CopyTo(_k, 0);
        Array.Fill(_theta, 1.0);
        _family.Run(_spec, _c11, 1.2, _k, _theta);
        return _k[0] + _theta[Length - 1];
    }
}
