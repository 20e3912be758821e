namespace NtkSharp.Kernels;

/// <summary>
/// One nonlinearity as plain data: its kind and up to eight parameters, blittable so that the fused FC program, the
/// spatial programs and the GPU kernels carry it inside their instruction arrays. What the parameters mean is up to the
/// kind (ABRelu: P0 = a, P1 = b; a polynomial: its coefficients; an integer parameter such as a degree: <see cref="N"/>).
/// </summary>
/// <param name="Kind">The nonlinearity.</param>
/// <param name="P0">First parameter.</param>
/// <param name="P1">Second parameter.</param>
/// <param name="P2">Third parameter.</param>
/// <param name="P3">Fourth parameter.</param>
/// <param name="P4">Fifth parameter.</param>
/// <param name="P5">Sixth parameter.</param>
/// <param name="P6">Seventh parameter.</param>
/// <param name="P7">Eighth parameter.</param>
/// <param name="N">An integer parameter (a degree, a count of used parameters, or the host family's number for
/// <see cref="ActivationKind.Host"/>).</param>
internal readonly record struct ActivationSpec(
    ActivationKind Kind, double P0 = 0, double P1 = 0, double P2 = 0, double P3 = 0,
    double P4 = 0, double P5 = 0, double P6 = 0, double P7 = 0, int N = 0)
{
    /// <summary>The most parameters a spec holds inline.</summary>
    public const int MaxParameters = 8;

    /// <summary>Parameter <paramref name="i"/> (0 ≤ i &lt; <see cref="MaxParameters"/>; 0 outside), device-safe.</summary>
    public double P(int i) => i switch
    {
        0 => P0,
        1 => P1,
        2 => P2,
        3 => P3,
        4 => P4,
        5 => P5,
        6 => P6,
        7 => P7,
        _ => 0.0,
    };
}
