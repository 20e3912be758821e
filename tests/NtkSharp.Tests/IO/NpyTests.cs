using System.Buffers.Binary;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.IO;
using Xunit;

namespace NtkSharp.Tests.IO;

/// <summary>
/// Reads files written by numpy 1.24 (<c>np.save</c>, <c>np.lib.format.write_array(version=…)</c>), embedded as base64
/// so that the tests need no Python, and round-trips what <see cref="Npy"/> writes.
/// </summary>
public class NpyTests
{
    // np.save of np.array([[0.1, -2.5, 3e-300], [1e300, -0.0, np.pi]])
    private const string F8_2x3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqamZmZmZm5PwAAAAAAAATAg7Y60pcSwAGcdQCIPOQ3fgAAAAAAAACAGC1EVPshCUA=";

    // np.array([[0.1, -2.5], [3.25, 1e30], [-7, 0.5]], dtype=np.float32)
    private const string F4_3x2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIArNzMw9AAAgwAAAUEDK8klxAADgwAAAAD8=";

    // np.array([1, -2, 2147483647, -2147483648], dtype=np.int32)
    private const string I4_4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAA/v///////38AAACA";

    // np.array([[0, 255], [7, 128]], dtype=np.uint8)
    private const string U1_2x2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoA/weA";

    // np.array([-5, 1 << 40], dtype=np.int64)
    private const string I8_2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr7/////////wAAAAAAAQAA";

    // np.asfortranarray(np.arange(12, dtype=np.float64).reshape(2, 3, 2))
    private const string F8Fortran_2x3x2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAABhAAAAAAAAAAEAAAAAAAAAgQAAAAAAAABBAAAAAAAAAJEAAAAAAAADwPwAAAAAAABxAAAAAAAAACEAAAAAAAAAiQAAAAAAAABRAAAAAAAAAJkA=";

    // np.array([1.5, -2.25, 1e-5], dtype='>f8')
    private const string F8BigEndian_3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/+AAAAAAAAMACAAAAAAAAPuT4tYjjaPE=";

    // np.array(42.5)
    private const string F8Scalar = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAEBFQA==";

    // np.array([True, False, True])
    private const string B1_3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=";

    // write_array(np.array([[1., 2.], [3., 4.]]), version=(2, 0)) and version=(3, 0)
    private const string F8V2_2x2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAABAAAAAAAAACEAAAAAAAAAQQA==";
    private const string F8V3_2x2 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAABAAAAAAAAACEAAAAAAAAAQQA==";

    // np.zeros(2, dtype=[('a', '<f8'), ('b', '<i4')]) and np.zeros(2, dtype=np.complex128)
    private const string Structured = "k05VTVBZAQB2AHsnZGVzY3InOiBbKCdhJywgJzxmOCcpLCAoJ2InLCAnPGk0JyldLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private const string Complex = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGMxNicsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

    private static NpyArray ReadBase64(string b64) => Npy.Read(new MemoryStream(Convert.FromBase64String(b64)));

    [Fact]
    public void Read_NumpyFloat64Matrix_ExactValuesInCOrder()
    {
        var a = ReadBase64(F8_2x3);
        Assert.Equal(new[] { 2, 3 }, a.Shape);
        Assert.Equal("<f8", a.SourceDType);
        Assert.Equal(new[] { 0.1, -2.5, 3e-300, 1e300, -0.0, Math.PI }, a.Data);
        Assert.True(double.IsNegative(a.Data[4]));
    }

    [Fact]
    public void Read_NumpyFloat32_WidensEachValueExactly()
    {
        var a = ReadBase64(F4_3x2);
        Assert.Equal(new[] { 3, 2 }, a.Shape);
        Assert.Equal(new[] { 0.1f, -2.5f, 3.25f, 1e30f, -7f, 0.5f }.Select(f => (double)f), a.Data);
    }

    [Fact]
    public void Read_NumpyIntegerAndBoolDtypes_ConvertToDouble()
    {
        Assert.Equal(new[] { 1.0, -2.0, int.MaxValue, int.MinValue }, ReadBase64(I4_4).Data);
        var u1 = ReadBase64(U1_2x2);
        Assert.Equal(new[] { 2, 2 }, u1.Shape);
        Assert.Equal(new[] { 0.0, 255.0, 7.0, 128.0 }, u1.Data);
        Assert.Equal(new[] { -5.0, 1L << 40 }, ReadBase64(I8_2).Data);
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, ReadBase64(B1_3).Data);
    }

    [Fact]
    public void Read_NumpyFortranOrder_TransposedToCOrder()
    {
        var a = ReadBase64(F8Fortran_2x3x2);
        Assert.Equal(new[] { 2, 3, 2 }, a.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (double)i), a.Data);
    }

    [Fact]
    public void Read_NumpyBigEndian_SwapsBytes()
    {
        Assert.Equal(new[] { 1.5, -2.25, 1e-5 }, ReadBase64(F8BigEndian_3).Data);
    }

    [Fact]
    public void Read_NumpyZeroDimensional_RankZeroOneValue()
    {
        var a = ReadBase64(F8Scalar);
        Assert.Empty(a.Shape);
        Assert.Equal(new[] { 42.5 }, a.Data);
        Assert.Throws<InvalidOperationException>(() => a.ToTensor());
    }

    [Theory]
    [InlineData(F8V2_2x2)]
    [InlineData(F8V3_2x2)]
    public void Read_NumpyFormatVersions2And3_Read(string b64)
    {
        var a = ReadBase64(b64);
        Assert.Equal(new[] { 2, 2 }, a.Shape);
        Assert.Equal(new[] { 1.0, 2.0, 3.0, 4.0 }, a.Data);
    }

    [Fact]
    public void Read_StructuredDtype_ThrowsNamingStructured()
    {
        var e = Assert.Throws<NpyFormatException>(() => ReadBase64(Structured));
        Assert.Contains("structured", e.Message);
    }

    [Fact]
    public void Read_ComplexDtype_ThrowsNamingDtype()
    {
        var e = Assert.Throws<NpyFormatException>(() => ReadBase64(Complex));
        Assert.Contains("'<c16'", e.Message);
    }

    [Fact]
    public void Read_BadMagic_Throws()
    {
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(Encoding.ASCII.GetBytes("a,b\n1,2\n"))));
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void Read_UnsupportedVersion_Throws()
    {
        var bytes = Convert.FromBase64String(F8_2x3);
        bytes[6] = 4;
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(bytes)));
        Assert.Contains("version 4.0", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(47)]
    public void Read_TruncatedData_ThrowsWithByteCounts(int cut)
    {
        var bytes = Convert.FromBase64String(F8_2x3);
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(bytes[..^cut])));
        Assert.Contains("needs 48 bytes", e.Message);
        Assert.Contains($"only {48 - cut} follow", e.Message);
    }

    [Fact]
    public void Read_TruncatedFloat32Data_Throws()
    {
        var bytes = Convert.FromBase64String(F4_3x2);
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(bytes[..^3])));
        Assert.Contains("Truncated", e.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        var bytes = Convert.FromBase64String(F8_2x3);
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(bytes[..40])));
        Assert.Contains("header", e.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3) ")]
    [InlineData("{'descr': '<f8', 'fortran_order': False}")]
    [InlineData("{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3], }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3), }")]
    public void Read_MalformedHeader_ThrowsMalformed(string header)
    {
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(WithHeader(header, 48))));
        Assert.Contains("Malformed", e.Message);
    }

    [Fact]
    public void Read_File_MessageStartsWithPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ntksharp-npy-{Guid.NewGuid():N}.npy");
        try
        {
            File.WriteAllText(path, "not numpy");
            var e = Assert.Throws<NpyFormatException>(() => Npy.Read(path));
            Assert.StartsWith(path + ":", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_SameArrayAsNumpy_SameDataBytesAndAlignedHeader()
    {
        var numpy = Convert.FromBase64String(F8_2x3);
        var ms = new MemoryStream();
        Npy.Write(ms, new[] { 0.1, -2.5, 3e-300, 1e300, -0.0, Math.PI }, 2, 3);
        var ours = ms.ToArray();
        Assert.Equal(numpy[..8], ours[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(ours.AsSpan(8));
        int dataStart = 10 + headerLength;
        Assert.Equal(0, dataStart % 64);
        Assert.Equal((byte)'\n', ours[dataStart - 1]);
        Assert.Equal("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
            Encoding.ASCII.GetString(ours, 10, headerLength).TrimEnd());
        Assert.Equal(numpy[^48..], ours[dataStart..]);
    }

    [Fact]
    public void WriteRead_RandomShapesAndSpecialValues_RoundTripBitExact()
    {
        var rng = new Random(1234);
        for (int trial = 0; trial < 50; trial++)
        {
            int rank = rng.Next(0, 5);
            var shape = Enumerable.Range(0, rank).Select(_ => rng.Next(0, 5)).ToArray();
            int size = shape.Aggregate(1, (a, b) => a * b);
            var data = Enumerable.Range(0, size).Select(_ => rng.Next(6) switch
            {
                0 => double.NaN,
                1 => double.NegativeInfinity,
                2 => double.Epsilon,
                3 => -0.0,
                _ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-300, 300)),
            }).ToArray();
            var ms = new MemoryStream();
            Npy.Write(ms, data, shape);
            Assert.Equal(0, (ms.Length - size * 8) % 64);
            ms.Position = 0;
            var back = Npy.Read(ms);
            Assert.Equal(shape, back.Shape);
            Assert.Equal(data.Select(BitConverter.DoubleToInt64Bits), back.Data.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(ms.Length, ms.Position);
        }
    }

    [Fact]
    public void Write_MathNetMatrix_WritesRowMajor()
    {
        var m = Matrix<double>.Build.Dense(3, 4, (i, j) => 10 * i + j);
        var ms = new MemoryStream();
        Npy.Write(ms, m);
        ms.Position = 0;
        var a = Npy.Read(ms);
        Assert.Equal(new[] { 3, 4 }, a.Shape);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++) Assert.Equal(m[i, j], a.Data[i * 4 + j]);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(300, 1000)]
    [InlineData(1, 200_000)]
    public void Write_LargeDenseAndSparseMatrices_RowMajorAcrossBlocks(int rows, int cols)
    {
        var dense = Matrix<double>.Build.Dense(rows, cols, (i, j) => i * 1e6 + j);
        var sparse = Matrix<double>.Build.Sparse(rows, cols, (i, j) => (i + j) % 7 == 0 ? i - 0.5 * j : 0.0);
        foreach (var m in new[] { dense, sparse })
        {
            var ms = new MemoryStream();
            Npy.Write(ms, m);
            ms.Position = 0;
            var a = Npy.Read(ms);
            Assert.Equal(new[] { rows, cols }, a.Shape);
            Assert.Equal(m.ToRowMajorArray(), a.Data);
        }
    }

    [Fact]
    public void Write_TensorFile_ReadTensorGivesSameTensor()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ntksharp-npy-{Guid.NewGuid():N}.npy");
        try
        {
            var t = new Tensor(Enumerable.Range(0, 24).Select(i => i * 0.25).ToArray(), 2, 3, 4);
            Npy.Write(path, t);
            var back = Npy.ReadTensor(path);
            Assert.Equal(t.Shape, back.Shape);
            Assert.Equal(t.Data, back.Data);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_HeaderBeyondUInt16_UsesVersion2AndReadsBack()
    {
        var shape = Enumerable.Repeat(1, 25_000).ToArray();
        var ms = new MemoryStream();
        Npy.Write(ms, new[] { 7.0 }, shape);
        var bytes = ms.ToArray();
        Assert.Equal(2, bytes[6]);
        Assert.Equal(0L, (12L + BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8))) % 64);
        ms.Position = 0;
        var a = Npy.Read(ms);
        Assert.Equal(25_000, a.Rank);
        Assert.Equal(new[] { 7.0 }, a.Data);
    }

    [Fact]
    public void WriteRead_MoreThanOneReadChunk_RoundTrips()
    {
        var data = Enumerable.Range(0, 300_001).Select(i => Math.Sin(i) * 1e3).ToArray();
        var ms = new MemoryStream();
        Npy.Write(ms, data, 300_001, 1);
        ms.Position = 0;
        Assert.Equal(data, Npy.Read(new NonSeekableStream(ms)).Data);
    }

    [Fact]
    public void Read_BigEndianAcrossConversionChunks_ConvertsEveryValue()
    {
        const int n = 200_003;
        string header = $"{{'descr': '>f8', 'fortran_order': False, 'shape': ({n},), }}".PadRight(117) + "\n";
        var bytes = new byte[10 + header.Length + n * 8];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(bytes, 10);
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(10 + header.Length + i * 8), i * 0.5 - 7);
        var a = Npy.Read(new NonSeekableStream(new MemoryStream(bytes)));
        Assert.Equal(Enumerable.Range(0, n).Select(i => i * 0.5 - 7), a.Data);
    }

    [Fact]
    public void Write_ShapeMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => Npy.Write(new MemoryStream(), new double[5], 2, 3));
        Assert.Throws<ArgumentException>(() => Npy.Write(new MemoryStream(), Array.Empty<double>(), 2, -1));
    }

    private static byte[] WithHeader(string dict, int dataBytes)
    {
        var text = dict.PadRight(117) + "\n";
        var bytes = new byte[10 + text.Length + dataBytes];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text).CopyTo(bytes, 10);
        return bytes;
    }

    /// <summary>Returns at most 1000 bytes per read, as pipes and network streams may.</summary>
    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
