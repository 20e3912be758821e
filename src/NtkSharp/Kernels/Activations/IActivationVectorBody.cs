namespace NtkSharp.Kernels;

/// <summary>
/// The SIMD run body of a nonlinearity's dual (CPU only): the formulas of <see cref="IActivationBody.Dual"/>,
/// operation for operation, on vector lanes (<see cref="ISimdOps{TV}"/>: AVX-512 or AVX2), so the run form differs from
/// the scalar form only through vector transcendental functions (a few ulp).
/// </summary>
/// <remarks>Mark <c>Run</c> <c>[MethodImpl(AggressiveOptimization | NoInlining)]</c>: compiled once, fully optimised, with
/// its vector helpers (<see cref="VectorAtan2"/>, the <see cref="ISimdOps{TV}"/> calls) inlined. Left inlinable, the
/// tiered JIT inlines it into the family's run form (twice, for both widths), exhausts its inlining budget there and
/// leaves <see cref="VectorAtan2.Atan2{TOps, TV}"/> as a call that passes vectors through memory: the ReLU network of
/// the pooled-CNN benchmark ran 20–30 % slower that way (perf: 30 % of its time in a non-inlined Atan2).</remarks>
internal interface IActivationVectorBody
{
    /// <summary>
    /// Processes the leading whole vectors of a run and returns how many entries it did:
    /// <c>k[i] ← T(c11[i], k[i], c22)</c>, <c>theta[i] ← Ṫ·theta[i]</c> when <paramref name="ntk"/>; <paramref name="c22"/> is
    /// one shared value, or (<paramref name="c22PerEntry"/>) the first of a run of values.
    /// </summary>
    static abstract int Run<TOps, TV>(in ActivationSpec s, ref double c11, ref double c22, bool c22PerEntry,
        ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct;
}
