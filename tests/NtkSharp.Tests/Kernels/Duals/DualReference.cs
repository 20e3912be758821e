namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>
/// An independent reference for E[f(u)g(v)], (u, v) ~ N(0, [[c₁₁, c₁₂], [c₁₂, c₂₂]]): the Cholesky factor
/// (u, v) = (l₁₁x, l₂₁x + l₂₂y) with x, y ~ N(0, 1) (determinant formed exactly, <see cref="GaussianExpectations.Cholesky"/>),
/// then nested composite 16-point Gauss–Legendre over [−12, 12]² on unit panels, graded geometrically (halving
/// down to 10⁻³) towards x = 0 (where u = 0) and, in the inner integral, towards y* = −l₂₁x/l₂₂ (where v = 0), with
/// both points always panel boundaries. So kinks of f and g (ReLU-like, step) fall on panel edges, and steep but smooth
/// features (Gaussian bumps at large variance, tanh at large scale) are resolved; the Gaussian weight beyond |x| = 12 is
/// below 10⁻³¹. Shares no code with the closed forms or with the library's Mehler-series quadrature.
/// </summary>
internal static class DualReference
{
    private const double Range = 12.0;
    private static readonly (double[] Nodes, double[] Weights) Rule = GaussQuadrature.Legendre(16);
    private static readonly double InvSqrt2Pi = 1.0 / Math.Sqrt(2 * Math.PI);

    /// <summary>E[f(u)g(v)].</summary>
    public static double Pair(Func<double, double> f, Func<double, double> g, double c11, double c12, double c22)
    {
        var (l11, l21, l22) = GaussianExpectations.Cholesky(c11, c12, c22);
        return Integrate(0.0, x =>
        {
            double fu = f(l11 * x);
            if (fu == 0.0) return 0.0;
            double m = l21 * x;
            double inner = l22 > 0
                ? Integrate(Math.Clamp(-m / l22, -Range, Range), y => g(m + l22 * y))
                : g(m);
            return fu * inner;
        });
    }

    /// <summary>E[f(u)g(v)] for f, g positively homogeneous of degree <paramref name="n"/> (f(λx) = λⁿf(x), λ &gt; 0) with
    /// kinks only at 0: in polar coordinates (x, y) = r(cos ψ, sin ψ) the radial integral is
    /// ∫₀^∞ r^(2n+1)e^(−r²/2) dr = 2ⁿn!, and the angular one is split at the four angles where u = 0 or v = 0, each piece
    /// a trigonometric polynomial integrated by 32-point Gauss–Legendre however thin it is (ρ → ±1; as
    /// <see cref="GaussianExpectations.ABReluPolar"/>).</summary>
    public static double Homogeneous(Func<double, double> f, Func<double, double> g, int n, double c11, double c12, double c22)
    {
        var (l11, l21, l22) = GaussianExpectations.Cholesky(c11, c12, c22);
        double psiV = Math.Atan2(-l21, l22);
        var cuts = new List<double> { 0.0, Math.PI / 2, 3 * Math.PI / 2, 2 * Math.PI, Wrap(psiV), Wrap(psiV + Math.PI) };
        cuts.Sort();
        double sum = 0;
        for (int k = 0; k + 1 < cuts.Count; k++)
        {
            double lo = cuts[k], hi = cuts[k + 1];
            if (hi <= lo) continue;
            sum += GaussQuadrature.Integrate(Angular, lo, hi, psi =>
            {
                double c = Math.Cos(psi), s = Math.Sin(psi);
                return f(l11 * c) * g(l21 * c + l22 * s);
            });
        }
        double radial = 1;
        for (int k = 1; k <= n; k++) radial *= 2 * k;
        return radial * sum / (2 * Math.PI);
    }

    private static readonly (double[] Nodes, double[] Weights) Angular = GaussQuadrature.Legendre(32);

    private static double Wrap(double psi)
    {
        psi %= 2 * Math.PI;
        return psi < 0 ? psi + 2 * Math.PI : psi;
    }

    /// <summary>E[f(u)], u ~ N(0, c).</summary>
    public static double Mean(Func<double, double> f, double c)
    {
        double s = Math.Sqrt(c);
        return Integrate(0.0, x => f(s * x));
    }

    /// <summary>∫ h(z)ϕ(z) dz over [−12, 12] with the graded panels around <paramref name="point"/>.</summary>
    public static double Integrate(double point, Func<double, double> h)
    {
        var cuts = new List<double> { point };
        for (double z = -Range; z <= Range; z += 1.0) cuts.Add(z);
        for (double d = 0.5; d > 1e-3; d /= 2)
        {
            cuts.Add(point - d);
            cuts.Add(point + d);
        }
        cuts.RemoveAll(c => c < -Range || c > Range);
        cuts.Sort();
        double sum = 0;
        for (int i = 0; i + 1 < cuts.Count; i++)
        {
            double lo = cuts[i], hi = cuts[i + 1];
            if (hi - lo < 1e-14) continue;
            double half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo), part = 0;
            for (int k = 0; k < Rule.Nodes.Length; k++)
            {
                double z = mid + half * Rule.Nodes[k];
                part += Rule.Weights[k] * h(z) * Math.Exp(-0.5 * z * z);
            }
            sum += half * part;
        }
        return sum * InvSqrt2Pi;
    }
}
