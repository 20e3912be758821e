using MathNet.Numerics.LinearAlgebra;
using NtkSharp;

/// <summary>Grey-scale square images with class labels: pixels row-major in [0, 1], <c>Pixels[e·S·S + i·S + j]</c>.</summary>
internal sealed record ImageSet(double[] Pixels, int[] Labels, int Size)
{
    public int Count => Labels.Length;

    /// <summary>The images as an NtkSharp tensor of shape [N, S, S, 1].</summary>
    public Tensor ToTensor() => new(Pixels, Count, Size, Size, 1);

    /// <summary>One-hot targets, N × classes.</summary>
    public Matrix<double> OneHot(int classes) => Matrix<double>.Build.Dense(Count, classes, (i, c) => Labels[i] == c ? 1.0 : 0.0);

    /// <summary>The examples at the given indices.</summary>
    public ImageSet Select(IReadOnlyList<int> indices)
    {
        int p = Size * Size;
        var pixels = new double[indices.Count * p];
        var labels = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            Array.Copy(Pixels, indices[k] * p, pixels, k * p, p);
            labels[k] = Labels[indices[k]];
        }
        return new ImageSet(pixels, labels, Size);
    }

    /// <summary>Average-pools by an integer factor (28 → 14 for factor 2).</summary>
    public ImageSet Downsample(int factor)
    {
        if (factor == 1) return this;
        if (factor < 1 || Size % factor != 0) throw new ArgumentOutOfRangeException(nameof(factor), factor, $"The factor must divide the image size {Size}.");
        int s = Size / factor, p = Size * Size, q = s * s;
        var pixels = new double[Count * q];
        for (int e = 0; e < Count; e++)
        {
            for (int i = 0; i < Size; i++)
            {
                for (int j = 0; j < Size; j++)
                    pixels[e * q + (i / factor) * s + j / factor] += Pixels[e * p + i * Size + j] / (factor * factor);
            }
        }
        return new ImageSet(pixels, Labels, s);
    }

    /// <summary>
    /// A class-balanced random subset: <paramref name="perClass"/> examples of each class, drawn without replacement,
    /// avoiding the indices in <paramref name="exclude"/> (which is extended with the ones drawn).
    /// </summary>
    public int[] Balanced(int perClass, Random rng, HashSet<int> exclude)
    {
        var chosen = new List<int>();
        foreach (var group in Enumerable.Range(0, Count).Where(i => !exclude.Contains(i)).GroupBy(i => Labels[i]).OrderBy(g => g.Key))
        {
            var pool = group.ToArray();
            if (pool.Length < perClass) throw new InvalidOperationException($"Class {group.Key} has only {pool.Length} unused examples; {perClass} were asked for.");
            rng.Shuffle(pool);
            chosen.AddRange(pool.Take(perClass));
        }
        exclude.UnionWith(chosen);
        return chosen.ToArray();
    }
}
