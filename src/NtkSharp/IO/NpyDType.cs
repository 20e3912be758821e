using System.Buffers.Binary;

namespace NtkSharp.IO;

/// <summary>A numeric numpy dtype descriptor such as <c>&lt;f8</c>: byte order, kind (f, i, u, b) and item size.</summary>
internal readonly record struct NpyDType(string Descr, char Kind, int Size, bool BigEndian)
{
    public const string Supported = "float16/32/64 ('<f2', '<f4', '<f8'), signed and unsigned integers of 1, 2, 4, 8 bytes ('|i1', '<i4', '|u1', …) and bool ('|b1'), either byte order";

    public bool IsNativeFloat64 => Kind == 'f' && Size == 8 && BigEndian != BitConverter.IsLittleEndian;

    public static NpyDType Parse(string descr)
    {
        if (descr.Length >= 2)
        {
            char order = descr[0];
            int start = order is '<' or '>' or '|' or '=' ? 1 : 0;
            bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
            if (start < descr.Length && int.TryParse(descr.AsSpan(start + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
            {
                char kind = descr[start];
                bool ok = kind switch
                {
                    'f' => size is 2 or 4 or 8,
                    'i' or 'u' => size is 1 or 2 or 4 or 8,
                    'b' => size == 1,
                    _ => false,
                };
                if (ok) return new NpyDType(descr, kind, size, big);
            }
        }
        throw new NpyFormatException($"Unsupported .npy dtype '{descr}'; supported: {Supported}.");
    }

    /// <summary>Converts <paramref name="bytes"/> (a whole number of items) to doubles.</summary>
    public void Convert(ReadOnlySpan<byte> bytes, Span<double> values)
    {
        if (Kind == 'f' && Size == 4 && BigEndian != BitConverter.IsLittleEndian)
        {
            // The common float32 case without per-item dispatch.
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes[..(values.Length * 4)]);
            for (int i = 0; i < values.Length; i++) values[i] = floats[i];
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            var b = bytes.Slice(i * Size, Size);
            values[i] = (Kind, Size) switch
            {
                ('f', 8) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
                ('f', 4) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
                ('f', 2) => (double)(BigEndian ? BinaryPrimitives.ReadHalfBigEndian(b) : BinaryPrimitives.ReadHalfLittleEndian(b)),
                ('i', 1) => (sbyte)b[0],
                ('u', 1) => b[0],
                ('b', 1) => b[0] != 0 ? 1.0 : 0.0,
                ('i', 2) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
                ('u', 2) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
                ('i', 4) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
                ('u', 4) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
                ('i', 8) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
                ('u', 8) => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
                _ => throw new InvalidOperationException($"dtype {Descr} has no converter."),
            };
        }
    }
}
