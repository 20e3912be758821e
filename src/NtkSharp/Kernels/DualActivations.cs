using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>
/// The (kind, a, b) entry points of the activation registry, kept for tests and benchmarks that name a dual by its
/// kind and two slopes: each call builds the <see cref="ActivationSpec"/> (kind, P0 = a, P1 = b) and forwards to the
/// registry (<see cref="DeviceActivations"/> for scalars, <see cref="ActivationFamily"/> for runs). The math lives in
/// the activations' own files (e.g. <see cref="ABReluBody"/>, <see cref="ErfBody"/>).
/// </summary>
internal static class DualActivations
{
    /// <summary>T and Ṫ for <paramref name="kind"/> with parameters (<paramref name="a"/>, <paramref name="b"/>).</summary>
    public static void Evaluate(ActivationKind kind, double a, double b, double c11, double c12, double c22, out double t, out double tDot)
        => DeviceActivations.Dual(Spec(kind, a, b), c11, c12, c22, out t, out tDot);

    /// <summary>The arc-cosine dual of φ(x) = a·min(x,0) + b·max(x,0).</summary>
    public static void ABRelu(double a, double b, double c11, double c12, double c22, out double t, out double tDot)
        => default(ABReluBody).Dual(new ActivationSpec(ActivationKind.ABRelu, a, b), c11, c12, c22, out t, out tDot);

    /// <summary>The arcsine dual of φ(x) = erf(x).</summary>
    public static void Erf(double c11, double c12, double c22, out double t, out double tDot)
        => default(ErfBody).Dual(ErfBody.Plain, c11, c12, c22, out t, out tDot);

    /// <summary>The run form over entries sharing the second variance (<see cref="ActivationFamily.Run(in ActivationSpec, ReadOnlySpan{double}, double, Span{double}, Span{double})"/>).</summary>
    public static void UpdateRun(ActivationKind kind, double a, double b, ReadOnlySpan<double> c11, double c22,
        Span<double> k, Span<double> theta)
    {
        var spec = Spec(kind, a, b);
        ActivationRegistry.Family(spec).Run(spec, c11, c22, k, theta);
    }

    /// <summary>The run form with a second variance per entry.</summary>
    public static void UpdateRun(ActivationKind kind, double a, double b, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22,
        Span<double> k, Span<double> theta)
    {
        var spec = Spec(kind, a, b);
        ActivationRegistry.Family(spec).Run(spec, c11, c22, k, theta);
    }

    /// <summary>The ABRelu vector body (<see cref="ABReluBody.Run"/>); returns how many leading entries it processed.</summary>
    public static int ABReluVector<TOps, TV>(double a, double b, ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
        => ABReluBody.Run<TOps, TV>(new ActivationSpec(ActivationKind.ABRelu, a, b), ref c11, ref c22, c22PerEntry, ref k, ref theta, n, ntk);

    /// <summary>The Erf vector body (<see cref="ErfBody.Run"/>); returns how many leading entries it processed.</summary>
    public static int ErfVector<TOps, TV>(ref double c11, ref double c22, bool c22PerEntry, ref double k, ref double theta, int n, bool ntk)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
        => ErfBody.Run<TOps, TV>(ErfBody.Plain, ref c11, ref c22, c22PerEntry, ref k, ref theta, n, ntk);

    /// <summary>The spec of (kind, a, b): Erf takes no slopes here, so it names plain erf (a = 1, b = 1, c = 0).</summary>
    private static ActivationSpec Spec(ActivationKind kind, double a, double b) =>
        kind == ActivationKind.Erf ? ErfBody.Plain : new ActivationSpec(kind, a, b);
}
