using NtkSharp.Layers;

namespace NtkSharp.Tests.Layers;

/// <summary>
/// Random architectures over every layer type, residual blocks (FanOut, Parallel, FanInSum) and nested Serial
/// included, with doubles that use all 53 mantissa bits. Mostly valid; callers skip the
/// <see cref="ArchitectureException"/> of the invalid ones.
/// </summary>
internal static class RandomArchitectures
{
    /// <summary>A fully-connected network, or with <paramref name="spatial"/> a convolutional one (convolutions,
    /// pooling, then a global pooling or Flatten readout and Dense layers).</summary>
    public static Layer Network(Random rng, bool spatial = false)
    {
        var layers = new List<Layer> { spatial ? Conv(rng) : Dense(rng) };
        AppendBody(rng, layers, gaussian: true, depth: 0, spatial);
        if (spatial)
        {
            layers.Add(rng.Next(3) switch { 0 => new GlobalAvgPool(), 1 => new GlobalSumPool(), _ => new Flatten() });
            layers.Add(Dense(rng));
            AppendBody(rng, layers, gaussian: true, depth: 1, spatial: false);
        }
        if (rng.Next(3) > 0) layers.Add(Dense(rng));
        return new Serial([.. layers]);
    }

    /// <summary>Appends 1–5 random layers; <paramref name="gaussian"/>: the signal entering is an affine layer's output.</summary>
    private static bool AppendBody(Random rng, List<Layer> layers, bool gaussian, int depth, bool spatial)
    {
        int n = rng.Next(1, 6);
        for (int k = 0; k < n; k++)
        {
            switch (rng.Next(gaussian ? 6 : 4))
            {
                case 0:
                    layers.Add(spatial ? Conv(rng) : Dense(rng));
                    gaussian = true;
                    break;
                case 1 when depth < 2:
                    gaussian = AppendResidual(rng, layers, gaussian, depth, spatial);
                    break;
                case 2 when depth < 2:
                {
                    var inner = new List<Layer>();
                    gaussian = AppendBody(rng, inner, gaussian, depth + 1, spatial);
                    layers.Add(new Serial([.. inner]));
                    break;
                }
                case 3:
                    layers.Add(spatial && rng.Next(2) == 0 ? Pool(rng) : new Identity());
                    break;
                default:
                    layers.Add(gaussian ? Activation(rng) : spatial ? Conv(rng) : Dense(rng));
                    gaussian = !gaussian;
                    break;
            }
        }
        return gaussian;
    }

    private static bool AppendResidual(Random rng, List<Layer> layers, bool gaussian, int depth, bool spatial)
    {
        int branches = rng.Next(2, 4);
        int free = rng.Next(branches);
        var parallel = new Layer[branches];
        bool allGaussian = true;
        for (int b = 0; b < branches; b++)
        {
            if (b == free && rng.Next(2) == 0)
            {
                parallel[b] = new Identity();
                allGaussian &= gaussian;
                continue;
            }
            var branch = new List<Layer>();
            bool g = AppendBody(rng, branch, gaussian, depth + 1, spatial);
            if (b != free || rng.Next(2) == 0)
            {
                branch.Add(spatial ? Conv(rng, keepShape: true) : Dense(rng));
                g = true;
            }
            allGaussian &= g;
            parallel[b] = branch.Count == 1 && rng.Next(2) == 0 ? branch[0] : new Serial([.. branch]);
        }
        layers.Add(new FanOut(branches));
        layers.Add(new ParallelLayer(parallel));
        layers.Add(new FanInSum());
        return allGaussian;
    }

    public static Dense Dense(Random rng) => new(
        rng.Next(4) == 0 ? rng.Next(1, 5) : rng.Next(1, 4097),
        rng.Next(3) == 0 ? 1.0 : rng.NextDouble() * 3,
        rng.Next(3) switch { 0 => 0.0, 1 => rng.NextDouble() * 1e-4, _ => rng.NextDouble() },
        rng.Next(3) == 0 ? Parameterization.Standard : Parameterization.Ntk);

    public static Conv Conv(Random rng, bool keepShape = false) => new(
        rng.Next(1, 513),
        (rng.Next(1, 6), rng.Next(1, 6)),
        keepShape || rng.Next(2) == 0 ? null : (rng.Next(1, 4), rng.Next(1, 4)),
        keepShape ? Padding.Same : (Padding)rng.Next(3),
        rng.Next(3) == 0 ? 1.0 : rng.NextDouble() * 3,
        rng.Next(2) == 0 ? 0.0 : rng.NextDouble(),
        rng.Next(3) == 0 ? Parameterization.Standard : Parameterization.Ntk);

    private static Layer Pool(Random rng)
    {
        var window = (rng.Next(1, 4), rng.Next(1, 4));
        (int, int)? strides = rng.Next(2) == 0 ? null : (rng.Next(1, 4), rng.Next(1, 4));
        var padding = (Padding)rng.Next(3);
        return rng.Next(2) == 0 ? new AvgPool(window, strides, padding) : new SumPool(window, strides, padding);
    }

    private static Layer Activation(Random rng) => rng.Next(5) switch
    {
        0 => new Relu(),
        1 => new LeakyRelu((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-8, 3))),
        2 => new ABRelu(rng.NextDouble() * 4 - 2, -rng.NextDouble() * 1e7),
        3 => new Abs(),
        _ => new Erf(),
    };
}
