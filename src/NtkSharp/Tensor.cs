using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp;

/// <summary>
/// A dense, row-major (C order) float64 array with a batch axis first: (N, d) for vectors,
/// (N, L, C) for 1-D signals and (N, H, W, C) for NHWC images. Immutable by convention:
/// the library never writes into a tensor it was given.
/// </summary>
public sealed class Tensor
{
    /// <summary>Creates a tensor over <paramref name="data"/> (not copied) with the given shape.</summary>
    /// <exception cref="ArgumentException">The shape is empty, has a non-positive axis, or does not match the data length.</exception>
    public Tensor(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0) throw new ArgumentException("A tensor needs at least one axis.", nameof(shape));
        long size = 1;
        foreach (int s in shape)
        {
            if (s <= 0) throw new ArgumentException($"Every axis must be positive; got shape ({string.Join(", ", shape)}).", nameof(shape));
            size *= s;
        }
        if (size != data.Length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {size} values but the data has {data.Length}.", nameof(data));
        Data = data;
        Shape = (int[])shape.Clone();
    }

    /// <summary>The values in row-major order.</summary>
    public double[] Data { get; }

    /// <summary>The shape, batch axis first.</summary>
    public int[] Shape { get; }

    /// <summary>The number of examples (the first axis).</summary>
    public int Count => Shape[0];

    /// <summary>The shape of one example (all axes but the first).</summary>
    public int[] ExampleShape => Shape[1..];

    /// <summary>The number of values in one example.</summary>
    public int ExampleSize => Data.Length / Shape[0];

    /// <summary>Copies a (N, d) array.</summary>
    public static Tensor From(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.GetLength(0), d = x.GetLength(1);
        var data = new double[n * d];
        Buffer.BlockCopy(x, 0, data, 0, data.Length * sizeof(double));
        return new Tensor(data, n, d);
    }

    /// <summary>Copies a (N, L, C) array of 1-D signals.</summary>
    public static Tensor From(double[,,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var data = new double[x.Length];
        Buffer.BlockCopy(x, 0, data, 0, data.Length * sizeof(double));
        return new Tensor(data, x.GetLength(0), x.GetLength(1), x.GetLength(2));
    }

    /// <summary>Copies a (N, H, W, C) array of NHWC images.</summary>
    public static Tensor From(double[,,,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var data = new double[x.Length];
        Buffer.BlockCopy(x, 0, data, 0, data.Length * sizeof(double));
        return new Tensor(data, x.GetLength(0), x.GetLength(1), x.GetLength(2), x.GetLength(3));
    }

    /// <summary>Copies a MathNet matrix as (rows, columns).</summary>
    public static Tensor From(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return From(x.ToArray());
    }

    /// <summary>Implicit conversion from a (N, d) array.</summary>
    public static implicit operator Tensor(double[,] x) => From(x);

    /// <summary>The same data seen with another shape of equal size (data not copied).</summary>
    public Tensor Reshape(params int[] shape) => new(Data, shape);

    /// <summary>The examples <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 (copied).</summary>
    public Tensor Slice(int start, int count)
    {
        if (start < 0 || count <= 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Examples [{start}, {start + count}) are outside [0, {Count}).");
        int e = ExampleSize;
        var data = new double[count * e];
        Array.Copy(Data, (long)start * e, data, 0, data.Length);
        var shape = (int[])Shape.Clone();
        shape[0] = count;
        return new Tensor(data, shape);
    }

    /// <summary>A (N, ExampleSize) MathNet matrix copy.</summary>
    public Matrix<double> ToMatrix()
    {
        int n = Count, e = ExampleSize;
        return Matrix<double>.Build.Dense(n, e, (i, j) => Data[(long)i * e + j]);
    }

    /// <summary>Throws when a value is NaN or infinite, naming <paramref name="argumentName"/> and the first bad index.</summary>
    public void EnsureFinite(string argumentName)
    {
        for (int i = 0; i < Data.Length; i++)
        {
            if (!double.IsFinite(Data[i]))
                throw new ArgumentException($"{argumentName} contains a non-finite value ({Data[i]}) at flat index {i}.", argumentName);
        }
    }

    /// <summary>Throws when this tensor's examples do not have <paramref name="reference"/>'s example shape, naming the
    /// user's argument <paramref name="argumentName"/> and what it must match.</summary>
    /// <exception cref="ArgumentException">The example shapes differ.</exception>
    internal void EnsureExampleShape(Tensor reference, string argumentName, string referenceDescription)
    {
        if (!ExampleShape.SequenceEqual(reference.ExampleShape))
            throw new ArgumentException($"{argumentName} examples have shape ({string.Join(", ", ExampleShape)}) but {referenceDescription} have shape ({string.Join(", ", reference.ExampleShape)}).", argumentName);
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor({string.Join(", ", Shape)})";
}
