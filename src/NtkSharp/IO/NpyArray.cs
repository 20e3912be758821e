namespace NtkSharp.IO;

/// <summary>
/// The contents of a <c>.npy</c> file converted to float64 in C (row-major) order, of any rank (rank 0: one value).
/// </summary>
public sealed class NpyArray
{
    /// <summary>Creates the array.</summary>
    /// <exception cref="ArgumentException">A negative axis or a shape whose size differs from the data length.</exception>
    public NpyArray(double[] data, int[] shape, string sourceDType)
    {
        CheckShape(data, shape);
        ArgumentNullException.ThrowIfNull(sourceDType);
        Data = data;
        Shape = (int[])shape.Clone();
        SourceDType = sourceDType;
    }

    /// <summary>The values in C (row-major) order, converted to float64.</summary>
    public double[] Data { get; }

    /// <summary>The shape (empty for a 0-d array).</summary>
    public int[] Shape { get; }

    /// <summary>The number of axes.</summary>
    public int Rank => Shape.Length;

    /// <summary>The dtype descriptor the file declared (e.g. <c>&lt;f4</c>), before conversion to float64.</summary>
    public string SourceDType { get; }

    /// <summary>The shape as numpy prints it, e.g. <c>(3, 4)</c> or <c>(5,)</c>.</summary>
    public string ShapeText => NpyHeader.FormatShape(Shape);

    /// <summary>The array as a <see cref="Tensor"/> (data not copied), first axis the batch axis.</summary>
    /// <exception cref="InvalidOperationException">A 0-d array or an empty axis, which a tensor cannot hold.</exception>
    public Tensor ToTensor()
    {
        if (Rank == 0) throw new InvalidOperationException("A 0-d .npy array cannot be a tensor; it needs at least a batch axis.");
        if (Shape.Any(s => s == 0)) throw new InvalidOperationException($"The array of shape {ShapeText} is empty.");
        return new Tensor(Data, Shape);
    }

    /// <summary>Throws unless <paramref name="shape"/>'s axes are non-negative and hold exactly data.Length values.</summary>
    internal static void CheckShape(double[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long size = 1;
        foreach (int s in shape)
        {
            if (s < 0) throw new ArgumentException($"Axis lengths must be non-negative; got shape ({string.Join(", ", shape)}).", nameof(shape));
            size *= s;
        }
        if (size != data.Length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {size} values but the data has {data.Length}.", nameof(data));
    }
}
