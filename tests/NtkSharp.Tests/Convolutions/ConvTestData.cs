namespace NtkSharp.Tests.Convolutions;

internal static class ConvTestData
{
    /// <summary>n examples of the given per-example shape, standard normal, fixed seed.</summary>
    public static Tensor Images(int seed, int n, params int[] exampleShape)
    {
        var rng = new Random(seed);
        int size = exampleShape.Aggregate(1, (a, b) => a * b);
        var data = new double[n * size];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            data[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
        return new Tensor(data, [n, .. exampleShape]);
    }

    /// <summary>Applies a map of (h, w) → (h′, w′) on an H×W grid to every example and channel of (N, H, W, C) data.</summary>
    public static Tensor Remap(Tensor x, Func<int, int, (int H, int W)> source)
    {
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        var data = new double[x.Data.Length];
        for (int i = 0; i < n; i++)
        for (int a = 0; a < h; a++)
        for (int b = 0; b < w; b++)
        {
            var (sa, sb) = source(a, b);
            for (int q = 0; q < c; q++) data[((i * h + a) * w + b) * c + q] = x.Data[((i * h + sa) * w + sb) * c + q];
        }
        return new Tensor(data, x.Shape);
    }

    public static double MaxAbs(MathNet.Numerics.LinearAlgebra.Matrix<double> m) => m.Enumerate().Max(Math.Abs);
}
