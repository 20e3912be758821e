using System.Runtime.InteropServices;

namespace NtkSharp.LinearAlgebra.Native;

/// <summary>A 64-byte-aligned native array of doubles (cache-line and AVX-512 aligned; 2 MiB-aligned and advised for
/// transparent huge pages from 4 MiB on), freed on dispose.</summary>
/// <remarks>OpenBLAS' <c>dsyevd</c> runs 20–30 % faster on such buffers than on (16-byte aligned) .NET arrays on
/// the reference machine, so the large LAPACK calls copy into one.</remarks>
internal sealed unsafe class AlignedBuffer : IDisposable
{
    private const int Alignment = 64;
    private const int HugeAlignment = 2 * 1024 * 1024;

    public AlignedBuffer(long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        Length = length;
        long bytes = Math.Max(1, length) * sizeof(double);
        bool huge = bytes >= LargeArrays.Threshold;
        Pointer = (double*)NativeMemory.AlignedAlloc((nuint)bytes, (nuint)(huge ? HugeAlignment : Alignment));
        if (huge) LibC.AdviseHugePages(Pointer, bytes);
        GC.AddMemoryPressure(Math.Max(1, length) * sizeof(double));
    }

    ~AlignedBuffer() => Free();

    public double* Pointer { get; private set; }

    public long Length { get; }

    public void CopyFrom(double[] source)
    {
        fixed (double* s = source) Buffer.MemoryCopy(s, Pointer, Length * sizeof(double), Length * sizeof(double));
    }

    public void CopyTo(double[] destination)
    {
        fixed (double* d = destination) Buffer.MemoryCopy(Pointer, d, Length * sizeof(double), Length * sizeof(double));
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (Pointer == null) return;
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
        GC.RemoveMemoryPressure(Math.Max(1, Length) * sizeof(double));
    }
}
