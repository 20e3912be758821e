using MathNet.Numerics;

namespace NtkSharp.Tests.Kernels;

/// <summary>
/// Numerical references for T = E[φ(u)φ(v)] and Ṫ = E[φ'(u)φ'(v)], (u, v) ~ N(0, [[c₁₁, c₁₂], [c₁₂, c₂₂]]), computed by
/// quadrature without the closed forms under test. With the Cholesky factor (u, v) = (l₁₁z₁, l₂₁z₁ + l₂₂z₂),
/// z ~ N(0, I₂):
/// <list type="bullet">
/// <item><see cref="ABReluPolar"/>: the kinks of a piecewise-linear φ lie on lines through the origin, so plain
/// Gauss–Hermite converges only algebraically. In polar coordinates z = r(cos ψ, sin ψ) the integrand factors into
/// r²·f(ψ) (φ is positively homogeneous), the radial integral is ∫₀^∞ r³e^{−r²/2} dr = 2, and the angular integral is
/// split at the four angles where u = 0 or v = 0; on each piece f is a trigonometric polynomial, integrated by
/// Gauss–Legendre to machine precision, however thin the piece (|ρ| → 1).</item>
/// <item><see cref="ABReluConditional"/>: the inner integral over z₂ in closed form (E[max(X, 0)] = mΦ(m/σ) + σϕ(m/σ)
/// for X ~ N(m, σ²)), then the z₁ integral with φ(u) = αu + β|u| split into its smooth part (Gauss–Hermite) and its
/// |z₁| part, which equals 2∫₀^∞ z g_even(z)ϕ(z) dz = (2/√(2π))∫₀^∞ g_even(√(2t))e^{−t} dt: a Gauss–Laguerre integral
/// of a function analytic in t. Accurate for |ρ| not close to 1 (the inner function sharpens as σ → 0).</item>
/// <item><see cref="ErfHermite"/>: erf is smooth, so the tensor-product Gauss–Hermite rule over (z₁, z₂) converges
/// exponentially.</item>
/// </list>
/// </summary>
internal static class GaussianExpectations
{
    private static readonly (double[] Nodes, double[] Weights) Legendre = GaussQuadrature.Legendre(32);
    private static readonly (double[] Nodes, double[] Weights) Hermite = GaussQuadrature.Hermite(120);
    private static readonly (double[] Nodes, double[] Weights) Laguerre = GaussQuadrature.Laguerre(80);

    /// <summary>The Cholesky factor of the 2×2 covariance, with c₁₁c₂₂ − c₁₂² formed exactly (FMA error terms) so that
    /// l₂₂ keeps its relative accuracy as |ρ| → 1.</summary>
    public static (double L11, double L21, double L22) Cholesky(double c11, double c12, double c22)
    {
        double p = c12 * c12;
        double pErr = Math.FusedMultiplyAdd(c12, c12, -p);
        double det = Math.FusedMultiplyAdd(c11, c22, -p) - pErr;
        double l11 = Math.Sqrt(c11);
        return (l11, c12 / l11, Math.Sqrt(Math.Max(det, 0.0) / c11));
    }

    /// <summary>T and Ṫ of φ(x) = a·min(x, 0) + b·max(x, 0) by the polar split rule.</summary>
    public static (double T, double TDot) ABReluPolar(double a, double b, double c11, double c12, double c22)
    {
        var (l11, l21, l22) = Cholesky(c11, c12, c22);
        double Phi(double x) => x < 0 ? a * x : b * x;
        double Dphi(double x) => x < 0 ? a : b;
        // Break points in [0, 2π): u = 0 at π/2, 3π/2; v = 0 where l21 cos ψ + l22 sin ψ = 0.
        double psiV = Math.Atan2(-l21, l22);
        var cuts = new List<double> { 0.0, Math.PI / 2, 3 * Math.PI / 2, 2 * Math.PI, Wrap(psiV), Wrap(psiV + Math.PI) };
        cuts.Sort();
        double t = 0, td = 0;
        for (int k = 0; k + 1 < cuts.Count; k++)
        {
            double lo = cuts[k], hi = cuts[k + 1];
            if (hi <= lo) continue;
            t += GaussQuadrature.Integrate(Legendre, lo, hi, psi =>
            {
                double c = Math.Cos(psi), s = Math.Sin(psi);
                return Phi(l11 * c) * Phi(l21 * c + l22 * s);
            });
            // φ' is constant on a piece: evaluate it at the midpoint.
            double mid = 0.5 * (lo + hi), cm = Math.Cos(mid), sm = Math.Sin(mid);
            td += (hi - lo) * Dphi(l11 * cm) * Dphi(l21 * cm + l22 * sm);
        }
        // E = (1/2π)·∫₀^∞ r³e^{−r²/2} dr·∫ f dψ = (1/π)∫ f dψ; for φ'φ' the radial factor is ∫ r e^{−r²/2} dr = 1.
        return (t / Math.PI, td / (2 * Math.PI));
    }

    /// <summary>T and Ṫ of the ABRelu family by conditional closed form + Gauss–Hermite/Laguerre in z₁.</summary>
    public static (double T, double TDot) ABReluConditional(double a, double b, double c11, double c12, double c22)
    {
        var (l11, l21, l22) = Cholesky(c11, c12, c22);
        double sigma = l22;
        // g(z) = E[φ(v) | z₁ = z], g'(z) = E[φ'(v) | z₁ = z].
        double G(double z)
        {
            double m = l21 * z;
            double eMax = m * StdNormalCdf(m / sigma) + sigma * StdNormalPdf(m / sigma);
            return a * m + (b - a) * eMax;
        }
        double GDot(double z) => a + (b - a) * StdNormalCdf(l21 * z / sigma);
        double alpha = 0.5 * (a + b), beta = 0.5 * (b - a);
        double smooth = 0, smoothDot = 0;
        for (int i = 0; i < Hermite.Nodes.Length; i++)
        {
            double z = Hermite.Nodes[i], w = Hermite.Weights[i];
            smooth += w * z * G(z);
            smoothDot += w * GDot(z);
        }
        double abs = 0, sign = 0;
        for (int i = 0; i < Laguerre.Nodes.Length; i++)
        {
            double z = Math.Sqrt(2 * Laguerre.Nodes[i]), w = Laguerre.Weights[i];
            abs += w * 0.5 * (G(z) + G(-z));
            sign += w * 0.5 * (GDot(z) - GDot(-z)) / z;
        }
        double invSqrt2Pi = 1.0 / Math.Sqrt(2 * Math.PI);
        double t = alpha * l11 * smooth + beta * l11 * 2 * invSqrt2Pi * abs;
        double td = alpha * smoothDot + beta * 2 * invSqrt2Pi * sign;
        return (t, td);
    }

    /// <summary>T and Ṫ of φ = erf by the tensor-product Gauss–Hermite rule.</summary>
    public static (double T, double TDot) ErfHermite(double c11, double c12, double c22)
    {
        var (l11, l21, l22) = Cholesky(c11, c12, c22);
        double t = 0, td = 0, twoOverSqrtPi = 2 / Math.Sqrt(Math.PI);
        var (z, w) = Hermite;
        for (int i = 0; i < z.Length; i++)
        {
            double u = l11 * z[i];
            double eu = SpecialFunctions.Erf(u), du = twoOverSqrtPi * Math.Exp(-u * u);
            double si = 0, sdi = 0;
            for (int j = 0; j < z.Length; j++)
            {
                double v = l21 * z[i] + l22 * z[j];
                si += w[j] * SpecialFunctions.Erf(v);
                sdi += w[j] * twoOverSqrtPi * Math.Exp(-v * v);
            }
            t += w[i] * eu * si;
            td += w[i] * du * sdi;
        }
        return (t, td);
    }

    /// <summary>T = E[uv] and Ṫ = 1 of the identity by Gauss–Hermite (exact for the quadratic).</summary>
    public static (double T, double TDot) IdentityHermite(double c11, double c12, double c22)
    {
        var (l11, l21, l22) = Cholesky(c11, c12, c22);
        var (z, w) = Hermite;
        double t = 0, td = 0;
        for (int i = 0; i < z.Length; i++)
        {
            for (int j = 0; j < z.Length; j++)
            {
                t += w[i] * w[j] * (l11 * z[i]) * (l21 * z[i] + l22 * z[j]);
                td += w[i] * w[j];
            }
        }
        return (t, td);
    }

    private static double StdNormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    private static double StdNormalPdf(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    private static double Wrap(double psi)
    {
        psi %= 2 * Math.PI;
        return psi < 0 ? psi + 2 * Math.PI : psi;
    }
}
