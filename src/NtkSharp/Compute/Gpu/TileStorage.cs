using System.Numerics;
using System.Runtime.CompilerServices;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The storage format of the fully-connected engine's device inputs, Gram and result tiles
/// (<see cref="KernelPrecision"/>), as a type argument: the tile kernels of <see cref="GpuKernels"/> are generic over
/// a struct implementing this interface, and ILGPU compiles one instance per format (<see cref="Float64Storage"/>,
/// <see cref="Float32Storage"/>) from the same source. Per-entry arithmetic is always double precision: values are
/// widened on load and narrowed on store. The host-side members convert between the format and the managed
/// double arrays.
/// </summary>
/// <typeparam name="T">The stored element type.</typeparam>
internal interface ITileStorage<T> where T : unmanaged
{
    /// <summary>A stored value as a double (exact).</summary>
    double Widen(T value);

    /// <summary>A double rounded to the stored format.</summary>
    T Narrow(double value);

    /// <summary>acc + a·b in the stored format (the input Gram accumulates in it, as the vendor GEMM of that format
    /// does).</summary>
    T MultiplyAdd(T acc, T a, T b);

    /// <summary>Host: widens <paramref name="source"/> into <paramref name="destination"/> (same length).</summary>
    void WidenAll(ReadOnlySpan<T> source, Span<double> destination);

    /// <summary>The factor the Gram GEMM applies: the input kernel's 1/d for double storage (exact to double rounding);
    /// 1 for float storage, whose Gram stays an unscaled float sum so that 1/d is not rounded to float (the per-entry
    /// kernel applies it in double, <see cref="EntryScale"/>) — the same on the cuBLAS and the fallback path.</summary>
    double GemmScale(double scale);

    /// <summary>The factor the per-entry kernel applies to the widened Gram: 1 for double storage, 1/d for float.</summary>
    double EntryScale(double scale);

    /// <summary>Host: enqueues the scaled Gram tile G (rows×cols, column-major, leading dimension rows) =
    /// scale·X1ᵀX2 of row-major examples of width d (<paramref name="x1"/>, <paramref name="x2"/>: device pointers of
    /// the tile's first examples) on cuBLAS' stream, with the GEMM of this format.</summary>
    void Gram(IDeviceGemm blas, int rows, int cols, int d, double scale, IntPtr x1, IntPtr x2, IntPtr gram);
}

/// <summary>Double-precision storage (<see cref="KernelPrecision.Float64"/>): every conversion is the identity.</summary>
internal readonly struct Float64Storage : ITileStorage<double>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Widen(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Narrow(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double MultiplyAdd(double acc, double a, double b) => acc + a * b;

    /// <inheritdoc/>
    public void WidenAll(ReadOnlySpan<double> source, Span<double> destination) => source.CopyTo(destination);

    /// <inheritdoc/>
    public double GemmScale(double scale) => scale;

    /// <inheritdoc/>
    public double EntryScale(double scale) => 1.0;

    /// <inheritdoc/>
    public void Gram(IDeviceGemm blas, int rows, int cols, int d, double scale, IntPtr x1, IntPtr x2, IntPtr gram) =>
        blas.Dgemm(true, false, rows, cols, d, scale, x1, d, x2, d, 0.0, gram, rows);
}

/// <summary>Single-precision storage (<see cref="KernelPrecision.Float32"/>): round to nearest on store, exact widening
/// on load.</summary>
internal readonly struct Float32Storage : ITileStorage<float>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Widen(float value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Narrow(double value) => (float)value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float MultiplyAdd(float acc, float a, float b) => acc + a * b;

    /// <inheritdoc/>
    public void WidenAll(ReadOnlySpan<float> source, Span<double> destination)
    {
        if (destination.Length != source.Length) throw new ArgumentException("Lengths differ.", nameof(destination));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var src = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(source);
            var dst = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(destination);
            for (int v = 0; v < src.Length; v++)
            {
                Vector.Widen(src[v], out dst[2 * v], out dst[2 * v + 1]);
            }
            i = src.Length * Vector<float>.Count;
        }
        for (; i < source.Length; i++) destination[i] = source[i];
    }

    /// <inheritdoc/>
    public double GemmScale(double scale) => 1.0;

    /// <inheritdoc/>
    public double EntryScale(double scale) => scale;

    /// <inheritdoc/>
    public void Gram(IDeviceGemm blas, int rows, int cols, int d, double scale, IntPtr x1, IntPtr x2, IntPtr gram) =>
        blas.Sgemm(true, false, rows, cols, d, (float)scale, x1, d, x2, d, 0f, gram, rows);
}
