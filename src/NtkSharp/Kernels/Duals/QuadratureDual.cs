using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// Duals without a closed form (Tanh, Sigmoid, Softplus, Silu, and any user φ through <c>Stax.Elementwise</c>) by
/// Mehler's expansion with quadrature coefficients, and a direct two-dimensional quadrature where the truncated series
/// cannot guarantee the accuracy. Plain arithmetic without allocation (<see cref="DeviceMath"/>, panels generated one
/// at a time by <see cref="QuadraturePanels"/>, records in an <see cref="ICoefficientStore"/>), so the CPU engines and
/// the GPU kernels run the very same code and agree to rounding.
/// </summary>
/// <remarks>
/// <para><b>Series.</b> For u = σ₁z, v = σ₂z′ with corr(z, z′) = ρ, Mehler's formula gives
/// T = Σₖ ρᵏ·αₖ(σ₁)·αₖ(σ₂) and Ṫ = Σₖ ρᵏ·α̇ₖ(σ₁)·α̇ₖ(σ₂), with the normalised Hermite coefficients
/// αₖ(σ) = E[φ(σz)hₖ(z)], α̇ₖ(σ) = E[φ′(σz)hₖ(z)]. They depend on one variance only, so they are computed once per
/// example (and position) (<see cref="Prepare{TF, TS}"/>), and an entry costs one Horner sum of <c>degree</c> terms in ρ.</para>
/// <para><b>Coefficients.</b> Composite 8-point Gauss–Legendre on panels of width 1/4 over |z| ≤ 12.5 (the Hermite
/// functions hₖ(z)e^(−z²/4) are O(1) and the other e^(−z²/4) is below 10⁻¹⁶ there), with panels halved towards z = 0
/// down to 1/50 of φ(σz)'s transition width 1/σ, so that steep φ (large σ) is resolved; hₖ by its three-term
/// recurrence.</para>
/// <para><b>Error bound and fallback.</b> By Cauchy–Schwarz the truncated tail is at most
/// |ρ|^degree·√(τ₁τ₂), τᵢ = E[φ(σᵢz)²] − Σₖ αₖ(σᵢ)² (Parseval). Where this exceeds <see cref="SeriesTolerance"/>·√(E₁E₂)
/// (|ρ| near 1 with large variances), the entry is integrated directly: T = E_x[φ(σ₁x)·E_y[φ(σ₂(ρx + ry))]],
/// r = √(1 − ρ²) from the exactly rounded determinant, both levels with graded composite Gauss–Legendre (the inner one
/// refined around its transition point y* = −ρx/r). About 10⁶ evaluations of φ: slow, but rare.</para>
/// <para><b>Degree, accuracy, speed.</b> <see cref="DefaultDegree"/> = 128 terms reaches the 1e-8 target (measured
/// in the tests against an independent tensor Gauss–Hermite rule) with the fallback covering the rest; a smaller degree
/// is faster per entry (linear in the degree) but sends more near-diagonal entries to the slow fallback.</para>
/// <para><b>Records.</b> One variance's coefficients are a record of <see cref="RecordLength"/>(degree) = 2·degree + 4
/// doubles: τ, τ̇, E[φ²], E[φ′²], α₀ … α_{degree−1}, α̇₀ … α̇_{degree−1} (2,080 bytes at the default degree).</para>
/// </remarks>
internal static class QuadratureDual
{
    /// <summary>The default number of Hermite terms.</summary>
    public const int DefaultDegree = 128;

    /// <summary>The bound on the truncated tail, relative to √(E[φ(u)²]E[φ(v)²]), below which the series is used.</summary>
    public const double SeriesTolerance = 1e-9;

    /// <summary>Record offsets: the tails τ and τ̇, the energies E[φ²] and E[φ′²], then the αₖ and α̇ₖ.</summary>
    public const int TailAt = 0, TailDotAt = 1, EnergyAt = 2, EnergyDotAt = 3, AlphaAt = 4;

    private const double InvSqrt2Pi = 0.39894228040143267793994605993438;

    /// <summary>Doubles of one coefficient record of <paramref name="degree"/> terms: 2·degree + 4.</summary>
    public static int RecordLength(int degree) => 2 * degree + AlphaAt;

    /// <summary>The Hermite coefficients of φ at variance <paramref name="variance"/>.</summary>
    public static QuadratureCoefficients Prepare<TF>(TF f, double variance, int degree = DefaultDegree)
        where TF : struct, IScalarActivation
    {
        var record = new double[RecordLength(degree)];
        Prepare(f, variance, degree, new ArrayCoefficients(record), 0);
        return new QuadratureCoefficients(variance, degree, record);
    }

    /// <summary>Writes the coefficient record of φ at variance <paramref name="variance"/> to
    /// <paramref name="store"/>[<paramref name="at"/> …] (see the class remarks for the layout).</summary>
    public static void Prepare<TF, TS>(TF f, double variance, int degree, TS store, long at)
        where TF : struct, IScalarActivation
        where TS : struct, ICoefficientStore
    {
        long a = at + AlphaAt, ad = a + degree;
        for (int q = 0; q < RecordLength(degree); q++) store[at + q] = 0.0;
        double sigma = Math.Sqrt(variance);
        double energy = 0, energyDot = 0;
        var panels = new QuadraturePanels(0.0, sigma > 0 ? f.SharpnessScale / sigma : 0);
        while (panels.Next(out double lo, out double hi))
        {
            double half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
            for (int g = 0; g < 8; g++)
            {
                double z = mid + half * GaussLegendre8.Node(g);
                double w = half * GaussLegendre8.Weight(g) * InvSqrt2Pi * DeviceMath.Exp(-0.5 * z * z);
                double x = sigma * z;
                double fv = f.Value(x), fd = f.Derivative(x);
                double wf = w * fv, wd = w * fd;
                energy += wf * fv;
                energyDot += wd * fd;
                // h₀ = 1, h₁ = z, √(k+1)·hₖ₊₁ = z·hₖ − √k·hₖ₋₁.
                double h0 = 1.0, h1 = z, sk = 1.0;
                store[a] += wf;
                store[ad] += wd;
                if (degree > 1)
                {
                    store[a + 1] += wf * h1;
                    store[ad + 1] += wd * h1;
                }
                for (int k = 1; k + 1 < degree; k++)
                {
                    double sk1 = Math.Sqrt(k + 1.0);
                    double h2 = (z * h1 - sk * h0) / sk1;
                    h0 = h1;
                    h1 = h2;
                    sk = sk1;
                    store[a + k + 1] += wf * h2;
                    store[ad + k + 1] += wd * h2;
                }
            }
        }
        double sa = 0, sd = 0;
        for (int k = 0; k < degree; k++)
        {
            sa += store[a + k] * store[a + k];
            sd += store[ad + k] * store[ad + k];
        }
        store[at + EnergyAt] = energy;
        store[at + EnergyDotAt] = energyDot;
        store[at + TailAt] = Math.Max(energy - sa, 0.0);
        store[at + TailDotAt] = Math.Max(energyDot - sd, 0.0);
    }

    /// <summary>T and Ṫ for one entry, given both examples' coefficients and the covariance c₁₂.</summary>
    public static void Dual<TF>(TF f, QuadratureCoefficients p1, QuadratureCoefficients p2, double c12, out double t, out double tDot)
        where TF : struct, IScalarActivation
    {
        double c11 = p1.Variance, c22 = p2.Variance;
        if (TrySeries(p1.Degree, new ArrayCoefficients(p1.Record), 0, new ArrayCoefficients(p2.Record), 0,
                Correlation(c11, c12, c22), out t, out tDot))
            return;
        Direct(f, c11, c12, c22, out t, out tDot);
    }

    /// <summary>ρ = c₁₂/√(c₁₁c₂₂) clamped to [−1, 1] (0 when a variance is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Correlation(double c11, double c12, double c22)
    {
        double norm = Math.Sqrt(c11) * Math.Sqrt(c22);
        return norm > 0.0 ? Math.Min(1.0, Math.Max(-1.0, c12 / norm)) : 0.0;
    }

    /// <summary>T and Ṫ by the truncated series from the records at <paramref name="at1"/> and <paramref name="at2"/>
    /// when its tail bound holds (true); false (and zeros) when the entry needs <see cref="Direct{TF}"/>. Compiled fully
    /// optimised on first use on the CPU (no tier-0 code: the store accessors must be inlined from the first run).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySeries<TS1, TS2>(int degree, TS1 s1, long at1, TS2 s2, long at2, double rho, out double t, out double tDot)
        where TS1 : struct, ICoefficientStore
        where TS2 : struct, ICoefficientStore
    {
        double rk = PowAbs(rho, degree);
        bool seriesOk = rk * Math.Sqrt(s1[at1 + TailAt] * s2[at2 + TailAt]) <= SeriesTolerance * Math.Sqrt(s1[at1 + EnergyAt] * s2[at2 + EnergyAt])
            && rk * Math.Sqrt(s1[at1 + TailDotAt] * s2[at2 + TailDotAt]) <= SeriesTolerance * Math.Sqrt(s1[at1 + EnergyDotAt] * s2[at2 + EnergyDotAt]);
        if (!seriesOk)
        {
            t = tDot = 0.0;
            return false;
        }
        t = Horner(degree, s1, at1 + AlphaAt, s2, at2 + AlphaAt, rho);
        tDot = Horner(degree, s1, at1 + AlphaAt + degree, s2, at2 + AlphaAt + degree, rho);
        return true;
    }

    /// <summary>E[φ(u)] = α₀.</summary>
    public static double Mean(QuadratureCoefficients p) => p.Record[AlphaAt];

    /// <summary>T and Ṫ by direct two-dimensional quadrature (the fallback; see the class remarks).</summary>
    public static void Direct<TF>(TF f, double c11, double c12, double c22, out double t, out double tDot)
        where TF : struct, IScalarActivation
    {
        double s1 = Math.Sqrt(c11), s2 = Math.Sqrt(c22);
        double norm = s1 * s2;
        double rho = Correlation(c11, c12, c22);
        double r = norm > 0.0 ? Math.Sqrt(DualMath.Det(c11, c12, c22)) / norm : 1.0;
        double tau = s2 * r;
        double outerScale = Math.Max(s1, s2 * Math.Abs(rho));
        double sum = 0, sumDot = 0;
        var outer = new QuadraturePanels(0.0, outerScale > 0 ? f.SharpnessScale / outerScale : 0);
        while (outer.Next(out double lo, out double hi))
        {
            double half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
            for (int g = 0; g < 8; g++)
            {
                double x = mid + half * GaussLegendre8.Node(g);
                double w = half * GaussLegendre8.Weight(g) * InvSqrt2Pi * DeviceMath.Exp(-0.5 * x * x);
                double m = s2 * rho * x;
                double inner = 0, innerDot = 0;
                double centre = tau > 0 ? Math.Min(QuadraturePanels.HalfRange, Math.Max(-QuadraturePanels.HalfRange, -m / tau)) : 0.0;
                var panels = new QuadraturePanels(centre, tau > 0 ? f.SharpnessScale / tau : 0);
                while (panels.Next(out double lo2, out double hi2))
                {
                    double half2 = 0.5 * (hi2 - lo2), mid2 = 0.5 * (hi2 + lo2);
                    for (int g2 = 0; g2 < 8; g2++)
                    {
                        double y = mid2 + half2 * GaussLegendre8.Node(g2);
                        double w2 = half2 * GaussLegendre8.Weight(g2) * InvSqrt2Pi * DeviceMath.Exp(-0.5 * y * y);
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

    /// <summary>|x|ⁿ by binary powering (the same rounding on every engine).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double PowAbs(double x, int n)
    {
        double b = Math.Abs(x), p = 1.0;
        for (int e = n; e > 0; e >>= 1)
        {
            if ((e & 1) != 0) p *= b;
            b *= b;
        }
        return p;
    }

    /// <summary>Σₖ aₖbₖρᵏ by Horner's rule in ρ⁴ over four interleaved chains (k mod 4), so that the four dependent
    /// multiply-add chains overlap instead of one chain of <c>degree</c> latencies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Horner<TS1, TS2>(int n, TS1 a, long ia, TS2 b, long ib, double rho)
        where TS1 : struct, ICoefficientStore
        where TS2 : struct, ICoefficientStore
    {
        double r2 = rho * rho, r4 = r2 * r2;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int top = n - 1 - (n - 1) % 4; // the largest multiple of 4 below n
        for (int k = top; k >= 0; k -= 4)
        {
            s0 = s0 * r4 + a[ia + k] * b[ib + k];
            if (k + 1 < n) s1 = s1 * r4 + a[ia + k + 1] * b[ib + k + 1];
            if (k + 2 < n) s2 = s2 * r4 + a[ia + k + 2] * b[ib + k + 2];
            if (k + 3 < n) s3 = s3 * r4 + a[ia + k + 3] * b[ib + k + 3];
        }
        return s0 + rho * (s1 + rho * (s2 + rho * s3));
    }
}
