namespace NtkSharp.Kernels;

/// <summary>
/// The SIMD run body of a nonlinearity's dual (CPU only): the formulas of <see cref="IActivationBody.Dual"/>,
/// operation for operation, on vector lanes (<see cref="ISimdOps{TV}"/>: AVX-512 or AVX2), so the run form differs from
/// the scalar form only through vector transcendental functions (a few ulp).
/// </summary>
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
