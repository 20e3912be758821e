using NtkSharp.Layers;

namespace NtkSharp.Tests.ScaleOut;

/// <summary>Inputs and architectures shared by the scale-out tests.</summary>
internal static class ScaleOutFixtures
{
    public const string ReluText = "Serial(Dense(64, wStd: 1.5, bStd: 0.05), Relu(), Dense(64, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5, bStd: 0.05))";

    public static Layer Relu => Layer.Parse(ReluText);

    /// <summary>Standard-normal (n, d) inputs from a fixed seed.</summary>
    public static Tensor Gaussian(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var data = new double[n * d];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            data[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return new Tensor(data, [n, d]);
    }

    /// <summary>The (rows, cols) float64 matrix of an .npy file.</summary>
    public static double[,] ReadMatrix(string path)
    {
        var a = NtkSharp.IO.Npy.Read(path);
        var m = new double[a.Shape[0], a.Shape[1]];
        for (int i = 0; i < a.Shape[0]; i++)
        {
            for (int j = 0; j < a.Shape[1]; j++) m[i, j] = a.Data[(long)i * a.Shape[1] + j];
        }
        return m;
    }

    /// <summary>The first index where two files' bytes differ, or -1 when they are identical.</summary>
    public static long FirstDifference(string a, string b)
    {
        var x = File.ReadAllBytes(a);
        var y = File.ReadAllBytes(b);
        for (long i = 0; i < Math.Min(x.LongLength, y.LongLength); i++)
        {
            if (x[i] != y[i]) return i;
        }
        return x.LongLength == y.LongLength ? -1 : Math.Min(x.LongLength, y.LongLength);
    }
}
