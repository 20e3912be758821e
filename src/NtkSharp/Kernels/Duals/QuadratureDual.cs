using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Duals without a closed form (Tanh, Sigmoid, Softplus, Silu, and any user φ through <c>Stax.Elementwise</c>) by
/// Mehler's expansion with quadrature coefficients, and a direct two-dimensional quadrature where the truncated series
/// cannot guarantee the accuracy.
/// </summary>
/// <remarks>
/// <para><b>Series.</b> For u = σ₁z, v = σ₂z′ with corr(z, z′) = ρ, Mehler's formula gives
/// T = Σₖ ρᵏ·αₖ(σ₁)·αₖ(σ₂) and Ṫ = Σₖ ρᵏ·α̇ₖ(σ₁)·α̇ₖ(σ₂), with the normalised Hermite coefficients
/// αₖ(σ) = E[φ(σz)hₖ(z)], α̇ₖ(σ) = E[φ′(σz)hₖ(z)]. They depend on one variance only, so they are computed once per
/// example (<see cref="Prepare{TF}"/>), and an entry costs one Horner sum of <c>degree</c> terms in ρ.</para>
/// <para><b>Coefficients.</b> Composite 8-point Gauss–Legendre on panels of width 1/4 over |z| ≤ 12.5 (the Hermite
/// functions hₖ(z)e^(−z²/4) are O(1) and the other e^(−z²/4) is below 10⁻¹⁶ there), with panels halved towards z = 0
/// down to 1/50 of φ(σz)'s transition width 1/σ, so that steep φ (large σ) is resolved; hₖ by its three-term
/// recurrence.</para>
/// <para><b>Error bound and fallback.</b> By Cauchy–Schwarz the truncated tail is at most
/// |ρ|^degree·√(τ₁τ₂), τᵢ = E[φ(σᵢz)²] − Σₖ αₖ(σᵢ)² (Parseval). Where this exceeds <see cref="SeriesTolerance"/>·√(E₁E₂)
/// (|ρ| near 1 with large variances), the entry is integrated directly: T = E_x[φ(σ₁x)·E_y[φ(σ₂(ρx + ry))]],
/// r = √(1 − ρ²) from the exactly rounded determinant, both levels with graded composite Gauss–Legendre (the inner one
/// refined around its transition point y* = −ρx/r). About 10⁵ evaluations of φ: slow, but rare.</para>
/// <para><b>Degree, accuracy, speed.</b> <see cref="DefaultDegree"/> = 128 terms reaches the 1e-8 target (measured
/// in the tests against an independent tensor Gauss–Hermite rule) with the fallback covering the rest; a smaller degree
/// is faster per entry (linear in the degree) but sends more near-diagonal entries to the slow fallback.</para>
/// </remarks>
internal static class QuadratureDual
{
    /// <summary>The default number of Hermite terms.</summary>
    public const int DefaultDegree = 128;

    /// <summary>The bound on the truncated tail, relative to √(E[φ(u)²]E[φ(v)²]), below which the series is used.</summary>
    public const double SeriesTolerance = 1e-9;

    private const double HalfRange = 12.5;
    private const double PanelWidth = 0.25;
    private static readonly double[] GlNodes = new double[8];
    private static readonly double[] GlWeights = new double[8];
    private const double InvSqrt2Pi = 0.39894228040143267793994605993438;

    static QuadratureDual() => GaussLegendre(GlNodes, GlWeights);

    /// <summary>The Hermite coefficients of φ at variance <paramref name="variance"/>.</summary>
    public static QuadratureCoefficients Prepare<TF>(TF f, double variance, int degree = DefaultDegree)
        where TF : struct, IScalarActivation
    {
        double sigma = Math.Sqrt(variance);
        var alpha = new double[degree];
        var alphaDot = new double[degree];
        double energy = 0, energyDot = 0;
        var h = new double[degree];
        var sq = new double[degree + 1];
        for (int k = 0; k <= degree; k++) sq[k] = Math.Sqrt(k);
        foreach (var (lo, hi) in Panels(0.0, sigma > 0 ? f.SharpnessScale / sigma : 0))
        {
            double half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
            for (int g = 0; g < 8; g++)
            {
                double z = mid + half * GlNodes[g];
                double w = half * GlWeights[g] * InvSqrt2Pi * Math.Exp(-0.5 * z * z);
                double x = sigma * z;
                double fv = f.Value(x), fd = f.Derivative(x);
                energy += w * fv * fv;
                energyDot += w * fd * fd;
                // h₀ = 1, h₁ = z, √(k+1)·hₖ₊₁ = z·hₖ − √k·hₖ₋₁.
                double h0 = 1.0, h1 = z;
                alpha[0] += w * fv;
                alphaDot[0] += w * fd;
                if (degree > 1)
                {
                    alpha[1] += w * fv * h1;
                    alphaDot[1] += w * fd * h1;
                }
                for (int k = 1; k + 1 < degree; k++)
                {
                    double h2 = (z * h1 - sq[k] * h0) / sq[k + 1];
                    h0 = h1;
                    h1 = h2;
                    alpha[k + 1] += w * fv * h2;
                    alphaDot[k + 1] += w * fd * h2;
                }
            }
        }
        return new QuadratureCoefficients(variance, alpha, alphaDot, energy, energyDot);
    }

    /// <summary>T and Ṫ for one entry, given both examples' coefficients and the covariance c₁₂.</summary>
    public static void Dual<TF>(TF f, QuadratureCoefficients p1, QuadratureCoefficients p2, double c12, out double t, out double tDot)
        where TF : struct, IScalarActivation
    {
        double c11 = p1.Variance, c22 = p2.Variance;
        double norm = Math.Sqrt(c11) * Math.Sqrt(c22);
        double rho = norm > 0.0 ? Math.Clamp(c12 / norm, -1.0, 1.0) : 0.0;
        int degree = p1.Alpha.Length;
        double rk = Math.Pow(Math.Abs(rho), degree);
        bool seriesOk = rk * Math.Sqrt(p1.Tail * p2.Tail) <= SeriesTolerance * Math.Sqrt(p1.Energy * p2.Energy)
            && rk * Math.Sqrt(p1.TailDot * p2.TailDot) <= SeriesTolerance * Math.Sqrt(p1.EnergyDot * p2.EnergyDot);
        if (seriesOk)
        {
            t = Horner(p1.Alpha, p2.Alpha, rho);
            tDot = Horner(p1.AlphaDot, p2.AlphaDot, rho);
            return;
        }
        Direct(f, c11, c12, c22, out t, out tDot);
    }

    /// <summary>E[φ(u)] = α₀.</summary>
    public static double Mean(QuadratureCoefficients p) => p.Alpha[0];

    /// <summary>T and Ṫ by direct two-dimensional quadrature (the fallback; see the class remarks).</summary>
    public static void Direct<TF>(TF f, double c11, double c12, double c22, out double t, out double tDot)
        where TF : struct, IScalarActivation
    {
        double s1 = Math.Sqrt(c11), s2 = Math.Sqrt(c22);
        double norm = s1 * s2;
        double rho = norm > 0.0 ? Math.Clamp(c12 / norm, -1.0, 1.0) : 0.0;
        double r = norm > 0.0 ? Math.Sqrt(DualMath.Det(c11, c12, c22)) / norm : 1.0;
        double tau = s2 * r;
        double outerScale = Math.Max(s1, s2 * Math.Abs(rho));
        double sum = 0, sumDot = 0;
        foreach (var (lo, hi) in Panels(0.0, outerScale > 0 ? f.SharpnessScale / outerScale : 0))
        {
            double half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
            for (int g = 0; g < 8; g++)
            {
                double x = mid + half * GlNodes[g];
                double w = half * GlWeights[g] * InvSqrt2Pi * Math.Exp(-0.5 * x * x);
                double m = s2 * rho * x;
                double inner = 0, innerDot = 0;
                double centre = tau > 0 ? Math.Clamp(-m / tau, -HalfRange, HalfRange) : 0.0;
                foreach (var (lo2, hi2) in Panels(centre, tau > 0 ? f.SharpnessScale / tau : 0))
                {
                    double half2 = 0.5 * (hi2 - lo2), mid2 = 0.5 * (hi2 + lo2);
                    for (int g2 = 0; g2 < 8; g2++)
                    {
                        double y = mid2 + half2 * GlNodes[g2];
                        double w2 = half2 * GlWeights[g2] * InvSqrt2Pi * Math.Exp(-0.5 * y * y);
                        double v = m + tau * y;
                        inner += w2 * f.Value(v);
                        innerDot += w2 * f.Derivative(v);
                    }
                }
                double u = s1 * x;
                sum += w * f.Value(u) * inner;
                sumDot += w * f.Derivative(u) * innerDot;
            }
        }
        t = sum;
        tDot = sumDot;
    }

    /// <summary>Σₖ aₖbₖρᵏ by Horner's rule in ρ⁴ over four interleaved chains (k mod 4), so that the four dependent
    /// multiply-add chains overlap instead of one chain of <c>degree</c> latencies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Horner(double[] a, double[] b, double rho)
    {
        int n = a.Length;
        double r2 = rho * rho, r4 = r2 * r2;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int top = n - 1 - (n - 1) % 4; // the largest multiple of 4 below n
        for (int k = top; k >= 0; k -= 4)
        {
            s0 = s0 * r4 + a[k] * b[k];
            if (k + 1 < n) s1 = s1 * r4 + a[k + 1] * b[k + 1];
            if (k + 2 < n) s2 = s2 * r4 + a[k + 2] * b[k + 2];
            if (k + 3 < n) s3 = s3 * r4 + a[k + 3] * b[k + 3];
        }
        return s0 + rho * (s1 + rho * (s2 + rho * s3));
    }

    /// <summary>Panels of width ≤ 1/4 covering [−12.5, 12.5], halved geometrically towards <paramref name="centre"/>
    /// down to 1/50 of <paramref name="scale"/> (no refinement for scale 0 or ≥ 1/4).</summary>
    private static List<(double Lo, double Hi)> Panels(double centre, double scale)
    {
        var cuts = new List<double>();
        for (double z = -HalfRange; z <= HalfRange + 1e-12; z += PanelWidth) cuts.Add(z);
        if (scale > 0)
        {
            for (double d = PanelWidth / 2; d > scale / 50; d /= 2)
            {
                if (centre - d > -HalfRange) cuts.Add(centre - d);
                if (centre + d < HalfRange) cuts.Add(centre + d);
            }
            if (centre > -HalfRange && centre < HalfRange) cuts.Add(centre);
        }
        cuts.Sort();
        var panels = new List<(double, double)>(cuts.Count);
        for (int i = 0; i + 1 < cuts.Count; i++)
        {
            if (cuts[i + 1] - cuts[i] > 1e-15) panels.Add((cuts[i], cuts[i + 1]));
        }
        return panels;
    }

    /// <summary>Gauss–Legendre nodes and weights on [−1, 1] by Newton's iteration on Pₙ (Golub and Welsch would do as
    /// well; n = 8 here).</summary>
    private static void GaussLegendre(double[] x, double[] w)
    {
        int n = x.Length;
        for (int i = 0; i < n; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), dp = 0;
            for (int iter = 0; iter < 100; iter++)
            {
                double p0 = 1.0, p1 = z;
                for (int k = 2; k <= n; k++)
                {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (z * p1 - p0) / (z * z - 1.0);
                double dz = p1 / dp;
                z -= dz;
                if (Math.Abs(dz) < 1e-16) break;
            }
            x[i] = z;
            w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
        }
    }
}
