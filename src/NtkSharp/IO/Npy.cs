using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.IO;

/// <summary>
/// Reads and writes numpy's <c>.npy</c> files, so that inputs and kernels move between NtkSharp and Python
/// (<c>numpy.load</c>/<c>numpy.save</c>) without conversion.
/// </summary>
/// <remarks>
/// <para>Format (NEP 1, "A simple file format for NumPy arrays"; <c>numpy.lib.format</c>): the magic string
/// <c>\x93NUMPY</c>, a major and minor version byte, the header length (uint16 little-endian in version 1.0,
/// uint32 in 2.0 and 3.0), and an ASCII (3.0: UTF-8) Python dict literal with <c>descr</c>, <c>fortran_order</c>
/// and <c>shape</c>, padded with spaces and ended by a newline; then the raw items.</para>
/// <para>Reading accepts versions 1.0, 2.0 and 3.0, any rank, C or Fortran order (Fortran-order data is transposed to
/// C order), float16/32/64, 1–8 byte signed and unsigned integers and bool in either byte order, all converted to
/// float64 (integers beyond 2⁵³ round). Writing produces float64 (<c>&lt;f8</c>) C-order version 1.0 files whose
/// header is padded so that the data starts at a multiple of 64 bytes, as numpy does (version 2.0 only when the
/// header would not fit a uint16).</para>
/// </remarks>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Alignment = 64;
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <exception cref="NpyFormatException">Not a .npy file, an unsupported version or dtype, a malformed header or
    /// truncated data; the message starts with the path.</exception>
    /// <exception cref="IOException">The file cannot be opened (e.g. <see cref="FileNotFoundException"/>).</exception>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Read(stream);
        }
        catch (NpyFormatException e)
        {
            throw new NpyFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a <c>.npy</c> array from the current position of <paramref name="stream"/>, leaving it just after the data.</summary>
    /// <exception cref="NpyFormatException">Not a .npy stream, an unsupported version or dtype, a malformed header or truncated data.</exception>
    public static NpyArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (header, dtype) = ReadHeader(stream);

        long count = 1;
        foreach (int s in header.Shape)
        {
            count *= s;
            if (count > Array.MaxLength)
                throw new NpyFormatException($"The array of shape {NpyHeader.FormatShape(header.Shape)} has more than {Array.MaxLength} values, the most a .NET array holds.");
        }
        var data = NtkSharp.LinearAlgebra.Native.LargeArrays.Allocate(count);
        ReadData(stream, dtype, data, header.Shape);
        if (header.FortranOrder && header.Shape.Length > 1) data = FortranToC(data, header.Shape);
        return new NpyArray(data, header.Shape, header.Descr);
    }

    /// <summary>Reads the magic string, version and header dict, leaving <paramref name="stream"/> at the first data
    /// byte.</summary>
    internal static (NpyHeader Header, NpyDType DType) ReadHeader(Stream stream)
    {
        var prefix = new byte[8];
        int got = ReadUpTo(stream, prefix);
        if (got < Magic.Length || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new NpyFormatException("Not a .npy file: it does not start with the magic string \\x93NUMPY.");
        if (got < 8) throw new NpyFormatException("Truncated .npy file: it ends inside the version bytes.");
        byte major = prefix[6], minor = prefix[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            throw new NpyFormatException($"Unsupported .npy format version {major}.{minor}; supported: 1.0, 2.0, 3.0.");
        var lengthBytes = new byte[major == 1 ? 2 : 4];
        if (ReadUpTo(stream, lengthBytes) < lengthBytes.Length) throw new NpyFormatException("Truncated .npy file: it ends inside the header length.");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > 1 << 24) throw new NpyFormatException($"Implausible .npy header length {headerLength} bytes.");
        var headerBytes = new byte[headerLength];
        if (ReadUpTo(stream, headerBytes) < headerBytes.Length)
            throw new NpyFormatException($"Truncated .npy file: it ends inside the {headerLength}-byte header.");
        string headerText = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var header = NpyHeader.Parse(headerText);
        var dtype = NpyDType.Parse(header.Descr);
        return (header, dtype);
    }

    /// <summary>Reads a <c>.npy</c> file of rank ≥ 1 as a tensor, first axis the batch axis.</summary>
    /// <exception cref="NpyFormatException">The file cannot be read, or it holds a 0-d or empty array.</exception>
    public static Tensor ReadTensor(string path)
    {
        var a = Read(path);
        if (a.Rank == 0) throw new NpyFormatException($"{path}: a 0-d array (a single value) is not a batch of examples.");
        if (a.Data.Length == 0) throw new NpyFormatException($"{path}: the array of shape {a.ShapeText} is empty.");
        return a.ToTensor();
    }

    /// <summary>Writes <paramref name="data"/> (C order) with the given shape as a float64 <c>.npy</c> file, replacing any existing file.</summary>
    /// <exception cref="ArgumentException">A negative axis, or a shape whose size differs from the data length.</exception>
    public static void Write(string path, double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(path);
        NpyArray.CheckShape(data, shape);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, data, shape);
    }

    /// <summary>Writes <paramref name="data"/> (C order) with the given shape in float64 <c>.npy</c> format to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A negative axis, or a shape whose size differs from the data length.</exception>
    public static void Write(Stream stream, double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        NpyArray.CheckShape(data, shape);
        WriteHeader(stream, shape);
        WriteDoubles(stream, data);
    }

    /// <summary>Writes a tensor as a float64 C-order <c>.npy</c> file.</summary>
    public static void Write(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Write(path, tensor.Data, tensor.Shape);
    }

    /// <summary>Writes a tensor in float64 C-order <c>.npy</c> format to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Write(stream, tensor.Data, tensor.Shape);
    }

    /// <summary>Writes an array read earlier (or built) as a float64 C-order <c>.npy</c> file.</summary>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        Write(path, array.Data, array.Shape);
    }

    /// <summary>Writes a matrix as a (rows, columns) float64 C-order <c>.npy</c> file (MathNet's column-major storage is transposed to row-major).</summary>
    public static void Write(string path, Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(matrix);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, matrix);
    }

    /// <summary>Writes a matrix in (rows, columns) float64 C-order <c>.npy</c> format to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        int rows = matrix.RowCount, cols = matrix.ColumnCount;
        WriteHeader(stream, [rows, cols]);
        if (rows == 0 || cols == 0) return;
        // MathNet stores dense matrices column-major: transpose blocks of rows into a row-major buffer, reading each
        // column's slice of the block contiguously.
        int block = (int)Math.Clamp(ChunkBytes / sizeof(double) / cols, 1, rows);
        var buffer = new double[(long)block * cols];
        double[]? columnMajor = matrix.AsColumnMajorArray();
        for (int i0 = 0; i0 < rows; i0 += block)
        {
            int b = Math.Min(block, rows - i0);
            for (int j = 0; j < cols; j++)
            {
                if (columnMajor is not null)
                {
                    long start = (long)j * rows + i0;
                    for (int i = 0; i < b; i++) buffer[(long)i * cols + j] = columnMajor[start + i];
                }
                else
                {
                    for (int i = 0; i < b; i++) buffer[(long)i * cols + j] = matrix.At(i0 + i, j);
                }
            }
            WriteDoubles(stream, buffer.AsSpan(0, b * cols));
        }
    }

    /// <summary>Writes a vector as a (length,) float64 <c>.npy</c> file.</summary>
    public static void Write(string path, Vector<double> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        Write(path, vector.ToArray(), vector.Count);
    }

    private static void WriteHeader(Stream stream, int[] shape) => stream.Write(HeaderBytes(shape));

    /// <summary>The complete header (magic, version, length, padded dict) of a float64 C-order array of
    /// <paramref name="shape"/>; the data follows at <c>HeaderBytes(shape).Length</c>, a multiple of 64.</summary>
    internal static byte[] HeaderBytes(int[] shape)
    {
        string dict = new NpyHeader("<f8", false, shape).Format();
        int prefix = Magic.Length + 2 + 2;
        int total = prefix + dict.Length + 1;
        bool v2 = false;
        if (RoundUp(total) - prefix > ushort.MaxValue)
        {
            v2 = true;
            prefix += 2;
            total += 2;
        }
        int headerLength = RoundUp(total) - prefix;
        var bytes = new byte[prefix + headerLength];
        Magic.CopyTo(bytes, 0);
        bytes[6] = (byte)(v2 ? 2 : 1);
        bytes[7] = 0;
        if (v2) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        var text = bytes.AsSpan(prefix, headerLength);
        text.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, text);
        text[^1] = (byte)'\n';
        return bytes;
    }

    private static int RoundUp(int n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void WriteDoubles(Stream stream, ReadOnlySpan<double> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            const int perChunk = ChunkBytes / sizeof(double);
            for (int start = 0; start < values.Length; start += perChunk)
                stream.Write(MemoryMarshal.AsBytes(values.Slice(start, Math.Min(perChunk, values.Length - start))));
            return;
        }
        var buffer = new byte[ChunkBytes];
        for (int start = 0; start < values.Length; start += ChunkBytes / 8)
        {
            int n = Math.Min(ChunkBytes / 8, values.Length - start);
            for (int i = 0; i < n; i++) BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(i * 8), values[start + i]);
            stream.Write(buffer, 0, n * 8);
        }
    }

    private static void ReadData(Stream stream, NpyDType dtype, double[] data, int[] shape)
    {
        long needed = (long)data.Length * dtype.Size;
        long read = 0;
        if (dtype.IsNativeFloat64)
        {
            while (read < needed)
            {
                int n = stream.Read(SliceLong(data, read));
                if (n == 0) break;
                read += n;
            }
        }
        else
        {
            var buffer = new byte[Math.Min(ChunkBytes, Math.Max(needed, dtype.Size))];
            int perChunk = buffer.Length / dtype.Size;
            for (long item = 0; item < data.Length;)
            {
                int items = (int)Math.Min(perChunk, data.Length - item);
                int bytes = ReadUpTo(stream, buffer.AsSpan(0, items * dtype.Size));
                read += bytes;
                if (bytes < items * dtype.Size) break;
                dtype.Convert(buffer.AsSpan(0, bytes), data.AsSpan((int)item, items));
                item += items;
            }
        }
        if (read < needed)
            throw new NpyFormatException($"Truncated .npy data: shape {NpyHeader.FormatShape(shape)} of '{dtype.Descr}' needs {needed} bytes but only {read} follow the header.");
    }

    private static Span<byte> SliceLong(double[] data, long byteOffset)
    {
        // A span cannot exceed int.MaxValue bytes: take the next window of at most ChunkBytes starting at byteOffset.
        long itemOffset = byteOffset / sizeof(double);
        int within = (int)(byteOffset % sizeof(double));
        int items = (int)Math.Min(ChunkBytes / sizeof(double), data.Length - itemOffset);
        return MemoryMarshal.AsBytes(data.AsSpan((int)itemOffset, items))[within..];
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Reorders Fortran-order (first axis fastest) data into C order (last axis fastest).</summary>
    private static double[] FortranToC(double[] f, int[] shape)
    {
        int rank = shape.Length;
        var strides = new long[rank];
        long s = 1;
        for (int k = 0; k < rank; k++)
        {
            strides[k] = s;
            s *= shape[k];
        }
        var c = new double[f.Length];
        var index = new int[rank];
        long offset = 0;
        for (long i = 0; i < c.Length; i++)
        {
            c[i] = f[offset];
            for (int k = rank - 1; k >= 0; k--)
            {
                index[k]++;
                offset += strides[k];
                if (index[k] < shape[k]) break;
                offset -= strides[k] * shape[k];
                index[k] = 0;
            }
        }
        return c;
    }
}
