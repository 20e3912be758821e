using ILGPU;
using ILGPU.Runtime;

namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// One matrix per ensemble member inside a device buffer: member m's matrix starts at
/// <see cref="Offset"/> + m·<see cref="MemberStride"/> (in elements). A stride of 0 gives every member the same matrix
/// (the shared training or test inputs).
/// </summary>
/// <param name="Buffer">The device buffer.</param>
/// <param name="Offset">Element offset of member 0's matrix.</param>
/// <param name="MemberStride">Elements between consecutive members' matrices.</param>
internal readonly record struct MemberBatch(MemoryBuffer1D<double, Stride1D.Dense> Buffer, long Offset, long MemberStride)
{
    /// <summary>The buffer from member 0's matrix on.</summary>
    public ArrayView<double> View => Buffer.View.SubView(Offset, Buffer.Length - Offset);

    /// <summary>The raw device address of member 0's matrix (for cuBLAS).</summary>
    public IntPtr Pointer => Buffer.NativePtr + (nint)(Offset * sizeof(double));

    /// <summary>The same matrices shifted by <paramref name="elements"/> (e.g. a parameter block inside each member's vector).</summary>
    public MemberBatch Shift(long elements) => this with { Offset = Offset + elements };
}
