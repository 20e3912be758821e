using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Symmetry;

/// <summary>Tables of the infinite-width mean's equivariance error, with and without augmentation.</summary>
internal static class InfiniteWidthTables
{
    private static readonly double[] Times = [0.1, 1, 10, 100, 10_000, double.PositiveInfinity];

    public static void Run(ToyProblem toy)
    {
        var kf = new KernelFunction(ToyProblem.Mlp(512));
        var augmented = AugmentedMean.Fit(kf, toy.XTrain, toy.YTrain, toy.Group, AugmentationMode.Explicit);
        var plain = AugmentedMean.Fit(kf, toy.XTrain, toy.YTrain, null, AugmentationMode.None);
        Console.WriteLine($"1. Infinite-width NTK mean μ_t, ReLU MLP (2 hidden layers), target invariant under C{toy.K} acting on ℝ²;");
        Console.WriteLine($"   {toy.XTrain.Count} training points on the unit circle, augmented to {toy.Augmented.X.Count}. η = 1, n = Y.size.");
        PrintTable(toy.Group, augmented, plain, [("train", toy.XTrain), ("circle", toy.OnCircle), ("off-manifold", toy.OffManifold), ("OOD r=3", toy.OutOfDistribution)]);

        Console.WriteLine();
        var images = new ImageProblem();
        var cnn = new KernelFunction(ImageProblem.Cnn());
        var sw = Stopwatch.StartNew();
        var cnnAug = AugmentedMean.Fit(cnn, images.XTrain, images.YTrain, images.Group, AugmentationMode.Explicit);
        var explicitFit = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var cnnAvg = AugmentedMean.Fit(cnn, images.XTrain, images.YTrain, images.Group, AugmentationMode.GroupAveraged);
        var averagedFit = sw.Elapsed.TotalSeconds;
        var cnnPlain = AugmentedMean.Fit(cnn, images.XTrain, images.YTrain, null, AugmentationMode.None);
        var symmetry = KernelSymmetry.Check(ImageProblem.Cnn(), images.Group, images.Noise.Slice(0, 3));
        Console.WriteLine($"2. Infinite-width NTK mean μ_t, CNN (two 3×3 Same convolutions, ReLU, Flatten, Dense) on {ImageProblem.Size}×{ImageProblem.Size} images, D4 (|G| = 8), invariant target;");
        Console.WriteLine($"   {images.XTrain.Count} training images, augmented to {images.XTrain.Count * 8}. Kernel symmetry Θ(gx, gx') = Θ(x, x'): max violation {symmetry.MaxNtkViolation:0.0E+00} (NTK), {symmetry.MaxNngpViolation:0.0E+00} (NNGP).");
        PrintTable(images.Group, cnnAug, cnnPlain, [("train", images.XTrain), ("noise", images.Noise), ("OOD stripes", images.Stripes)]);
        var test = images.Noise;
        var a = cnnAug.Predict(test, Times);
        var b = cnnAvg.Predict(test, Times);
        double diff = Times.Select((_, i) => (a[i] - b[i]).Enumerate().Max(Math.Abs) / a[i].Enumerate().Max(Math.Abs)).Max();
        Console.WriteLine($"   Group-averaged kernel Θᴳ on the {images.XTrain.Count} originals vs explicit augmentation: max relative difference {diff:0.0E+00} over all t");
        Console.WriteLine($"   (fit {averagedFit:F2} s vs {explicitFit:F2} s: {images.XTrain.Count}×{images.XTrain.Count * 8} kernel entries and a {images.XTrain.Count}-point solve instead of {images.XTrain.Count * 8}²).");
    }

    private static void PrintTable(SymmetryGroup group, AugmentedMean augmented, AugmentedMean plain, (string Name, Tensor X)[] sets)
    {
        var aug = sets.Select(s => Equivariance.Measure(augmented.AtTimes(Times), Times, group, s.X)).ToArray();
        var ctl = sets.Skip(1).Select(s => Equivariance.Measure(plain.AtTimes(Times), Times, group, s.X)).ToArray();
        const int w = 13;
        Console.WriteLine();
        Console.WriteLine("   " + "t".PadRight(8) + "| full augmentation".PadRight(sets.Length * w + 1) + "| no augmentation (control)");
        Console.WriteLine("   " + "".PadRight(8) + "| " + string.Concat(sets.Select(s => s.Name.PadRight(w))) + "| " + string.Concat(sets.Skip(1).Select(s => s.Name.PadRight(w))));
        Console.WriteLine("   " + new string('-', 8 + 2 + sets.Length * w + 2 + (sets.Length - 1) * w));
        for (int t = 0; t < Times.Length; t++)
        {
            string time = double.IsPositiveInfinity(Times[t]) ? "∞" : Times[t].ToString("G4");
            Console.WriteLine("   " + time.PadRight(8) + "| " + string.Concat(aug.Select(r => r[t].MaxRelativeError.ToString("0.0E+00").PadRight(w)))
                + "| " + string.Concat(ctl.Select(r => r[t].MaxRelativeError.ToString("0.0E+00").PadRight(w))));
        }
    }
}

/// <summary>Synthetic images: random smooth blobs; the target is a D4-invariant functional of the image.</summary>
internal sealed class ImageProblem
{
    public const int Size = 7;

    public ImageProblem()
    {
        Group = Groups.D4([Size, Size, 1]);
        var rng = new Random(3);
        XTrain = Blobs(rng, 6);
        YTrain = Matrix<double>.Build.Dense(XTrain.Count, 1, (i, _) => Target(XTrain, i));
        Noise = new Tensor(Enumerable.Range(0, 8 * Size * Size).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 8, Size, Size, 1);
        var stripes = new double[4 * Size * Size];
        for (int e = 0; e < 4; e++)
        {
            for (int i = 0; i < Size; i++)
            {
                for (int j = 0; j < Size; j++) stripes[(e * Size + i) * Size + j] = 2.0 + Math.Sin((e + 1) * (i + 0.3 * e * j));
            }
        }
        Stripes = new Tensor(stripes, 4, Size, Size, 1);
    }

    public SymmetryGroup Group { get; }

    public Tensor XTrain { get; }

    public Matrix<double> YTrain { get; }

    public Tensor Noise { get; }

    public Tensor Stripes { get; }

    public static Layer Cnn() => Stax.Serial(
        Stax.Conv(16, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(),
        Stax.Conv(16, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(),
        Stax.Flatten(), Stax.Dense(1, wStd: 1.5, bStd: 0.1));

    private static Tensor Blobs(Random rng, int n)
    {
        var data = new double[n * Size * Size];
        for (int e = 0; e < n; e++)
        {
            for (int b = 0; b < 2; b++)
            {
                double ci = rng.NextDouble() * (Size - 1), cj = rng.NextDouble() * (Size - 1), s = 0.8 + rng.NextDouble();
                double amp = rng.NextDouble() * 2 - 1;
                for (int i = 0; i < Size; i++)
                {
                    for (int j = 0; j < Size; j++)
                        data[(e * Size + i) * Size + j] += amp * Math.Exp(-((i - ci) * (i - ci) + (j - cj) * (j - cj)) / (2 * s * s));
                }
            }
        }
        return new Tensor(data, n, Size, Size, 1);
    }

    /// <summary>Mean square intensity plus the squared radial moment: invariant under D4.</summary>
    private static double Target(Tensor x, int e)
    {
        double sq = 0, radial = 0, c = (Size - 1) / 2.0;
        for (int i = 0; i < Size; i++)
        {
            for (int j = 0; j < Size; j++)
            {
                double v = x.Data[(e * Size + i) * Size + j];
                sq += v * v;
                radial += v * ((i - c) * (i - c) + (j - c) * (j - c));
            }
        }
        return sq / (Size * Size) + 0.01 * radial;
    }
}
