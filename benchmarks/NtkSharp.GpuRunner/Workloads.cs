using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Layers;

namespace NtkSharp.GpuRunner;

/// <summary>The architectures and data of the workloads (fixed seeds).</summary>
internal static class Workloads
{
    /// <summary>Depth-5 ReLU MLP: 5 × (Dense(σ_w = 1.4, σ_b = 0.1), ReLU), Dense readout (NTK parameterisation).</summary>
    public static Layer DeepRelu()
    {
        var layers = new List<Layer>();
        for (int l = 0; l < 5; l++)
        {
            layers.Add(Stax.Dense(1024, 1.4, 0.1));
            layers.Add(Stax.Relu());
        }
        layers.Add(Stax.Dense(1, 1.0, 0.0));
        return Stax.Serial([.. layers]);
    }

    /// <summary>The ensemble benchmark's member: 3 × (Dense(width, σ_w = 1.4, σ_b = 0.1), ReLU), Dense readout (NTK parameterisation).</summary>
    public static Layer EnsembleMlp(int width) => Stax.Serial(Stax.Dense(width, 1.4, 0.1), Stax.Relu(), Stax.Dense(width, 1.4, 0.1), Stax.Relu(),
        Stax.Dense(width, 1.4, 0.1), Stax.Relu(), Stax.Dense(1, 1.0, 0.0));

    /// <summary>Erf network in the standard parameterisation.</summary>
    public static Layer ErfStandard() => Stax.Serial(Stax.Dense(256, 1.3, 0.2, Parameterization.Standard), Stax.Erf(),
        Stax.Dense(256, 1.1, 0.1, Parameterization.Standard), Stax.Erf(), Stax.Dense(1, 1.0, 0.0, Parameterization.Standard));

    /// <summary>A residual block with a leaky-ReLU branch.</summary>
    public static Layer Residual() => Stax.Serial(Stax.Dense(256, 1.0, 0.1), Stax.Relu(), Stax.FanOut(2),
        Stax.Parallel(Stax.Serial(Stax.Dense(256, 1.2, 0.05), Stax.LeakyRelu(0.1), Stax.Dense(256)), Stax.Identity()),
        Stax.FanInSum(), Stax.Dense(256, 0.9, 0.1), Stax.Erf(), Stax.Dense(1));

    /// <summary>The CNN: 5 × (3×3 conv with Same padding, ReLU), then Flatten (<paramref name="gap"/> false) or
    /// global average pooling, and a Dense readout.</summary>
    public static Layer Cnn(bool gap)
    {
        var layers = new List<Layer>();
        for (int l = 0; l < 5; l++)
        {
            layers.Add(Stax.Conv(16, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1));
            layers.Add(Stax.Relu());
        }
        layers.Add(gap ? Stax.GlobalAvgPool() : Stax.Flatten());
        layers.Add(Stax.Dense(1));
        return Stax.Serial([.. layers]);
    }

    /// <summary>Uniform(−1, 1) images (N, side, side, 1).</summary>
    public static Tensor Images(int n, int side, int seed) => new(Inputs(n, side * side, seed).Data, n, side, side, 1);

    /// <summary>Uniform(−1, 1) inputs, one example per row.</summary>
    public static Tensor Inputs(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var data = new double[(long)n * d];
        for (long i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return new Tensor(data, n, d);
    }

    /// <summary>Standard normal targets, N×K.</summary>
    public static Matrix<double> Targets(int n, int k, int seed)
    {
        var rng = new Random(seed);
        return DenseMatrix.Create(n, k, (_, _) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1));
    }

    /// <summary>max |a − b| / max |a|.</summary>
    public static double RelativeError(Matrix<double> expected, Matrix<double> actual) =>
        (expected - actual).Enumerate().Max(Math.Abs) / expected.Enumerate().Max(Math.Abs);
}
