using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NtkSharp.Kernels;

/// <summary>A family whose run forms use the SIMD body of <typeparamref name="TBody"/> (AVX-512 lanes when available,
/// else AVX2, else none) and the scalar body for the tail of the run.</summary>
internal abstract class VectorActivationFamily<TBody> : ActivationFamily<TBody>
    where TBody : struct, IActivationBody, IActivationVectorBody
{
    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta)
    {
        CheckRun(c11, k, theta);
        int done = Vector(s, ref MemoryMarshal.GetReference(c11), ref c22, false, k, theta);
        ScalarRun(s, c11, c22, k, theta, done);
    }

    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22, Span<double> k, Span<double> theta)
    {
        CheckRun(c11, c22, k, theta);
        int done = Vector(s, ref MemoryMarshal.GetReference(c11), ref MemoryMarshal.GetReference(c22), true, k, theta);
        ScalarRun(s, c11, c22, k, theta, done);
    }

    private static int Vector(in ActivationSpec s, ref double c11, ref double c22, bool perEntry, Span<double> k, Span<double> theta)
    {
        ref double rk = ref MemoryMarshal.GetReference(k);
        ref double rt = ref MemoryMarshal.GetReference(theta);
        bool ntk = !theta.IsEmpty;
        if (Vector512.IsHardwareAccelerated)
            return TBody.Run<Simd512, Vector512<double>>(s, ref c11, ref c22, perEntry, ref rk, ref rt, k.Length, ntk);
        if (Vector256.IsHardwareAccelerated)
            return TBody.Run<Simd256, Vector256<double>>(s, ref c11, ref c22, perEntry, ref rk, ref rt, k.Length, ntk);
        return 0;
    }
}
