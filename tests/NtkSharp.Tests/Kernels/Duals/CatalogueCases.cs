using MathNet.Numerics;
using NtkSharp.Kernels.Duals;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>One closed-form activation under test: φ and φ′ written here independently (MathNet's erf, Math.Sin…,
/// explicit Hermite polynomials), the library's dual and first moment, and the variance range where its expectations
/// are finite and the reference quadrature's window [−12, 12] holds the Gaussian mass of the integrand; for positively
/// homogeneous φ (RectifiedMonomial) its degree, which selects the polar reference (steps are not resolved by panels);
/// and the layer itself (for the registry's run forms).</summary>
internal sealed record DualCase(
    string Name,
    Func<double, double> Phi,
    Func<double, double> DPhi,
    Func<double, double, double, (double T, double TDot)> Dual,
    Func<double, double> Mean,
    double MaxVariance,
    int Homogeneous = -1,
    Activation? Layer = null);

/// <summary>The closed-form catalogue with several parameter settings each.</summary>
internal static class CatalogueCases
{
    private static readonly double Sqrt2 = Math.Sqrt(2);

    public static readonly DualCase[] All = Build();

    public static DualCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>The names of every case, as xunit theory data.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All) data.Add(c.Name);
        return data;
    }

    /// <summary>The independent quadrature reference of a case's dual at (c₁₁, c₁₂, c₂₂) — T and Ṫ (homogeneous φ by the
    /// 1-D angular rule, others by the 2-D rule) — and the Cauchy–Schwarz scales √(E[φ(u)²]E[φ(v)²]) and
    /// √(E[φ′(u)²]E[φ′(v)²]) the relative errors are taken against.</summary>
    public static (double T, double TDot, double Scale, double ScaleDot) Reference(DualCase c, double c11, double c12, double c22)
    {
        double tRef = c.Homogeneous >= 0
            ? DualReference.Homogeneous(c.Phi, c.Phi, c.Homogeneous, c11, c12, c22)
            : DualReference.Pair(c.Phi, c.Phi, c11, c12, c22);
        double tdRef = c.Homogeneous > 0
            ? DualReference.Homogeneous(c.DPhi, c.DPhi, c.Homogeneous - 1, c11, c12, c22)
            : c.Homogeneous == 0 ? 0.0 : DualReference.Pair(c.DPhi, c.DPhi, c11, c12, c22);
        double scale = Math.Sqrt(DualReference.Mean(x => c.Phi(x) * c.Phi(x), c11) * DualReference.Mean(x => c.Phi(x) * c.Phi(x), c22));
        double scaleDot = Math.Sqrt(DualReference.Mean(x => c.DPhi(x) * c.DPhi(x), c11) * DualReference.Mean(x => c.DPhi(x) * c.DPhi(x), c22));
        return (tRef, tdRef, scale, scaleDot);
    }


    private static DualCase[] Build()
    {
        var list = new List<DualCase>
        {
            new("Gelu", x => 0.5 * x * SpecialFunctions.Erfc(-x / Sqrt2),
                x => 0.5 * SpecialFunctions.Erfc(-x / Sqrt2) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI),
                (a, b, c) => { GeluDual.Dual(a, b, c, out var t, out var d); return (t, d); }, GeluDual.Mean, double.PositiveInfinity, Layer: new Gelu()),
            SigmoidLike(),
            Rbf(1.0), Rbf(0.3),
            Gaussian(2, -1), Gaussian(1, 0.1), Gaussian(0.6, -0.35),
            Exp(1, 1), Exp(0.5, -0.7),
            Polynomial([0.5, -1.0, 0.25, 0.1]), Polynomial([0.0, 0.0, 0.0, 0.0, 1.0]), Polynomial([2.0]),
        };
        foreach (var (a, b, c) in new[] { (1.0, 1.0, 0.0), (0.7, 1.8, -0.4), (-1.2, 0.3, 0.25) })
        {
            list.Add(Erf(a, b, c));
            list.Add(Sin(a, b, c));
            list.Add(Cos(a, b, c));
        }
        foreach (int n in new[] { 0, 1, 2, 3, 5 })
        {
            list.Add(Monomial(n));
            list.Add(RectifiedMonomial(n));
        }
        foreach (int n in new[] { 1, 2, 3, 4, 6 }) list.Add(Hermite(n));
        return [.. list];
    }

    private static DualCase Erf(double a, double b, double c) => new($"Erf({a}, {b}, {c})",
        x => a * SpecialFunctions.Erf(b * x) + c, x => a * b * 2 / Math.Sqrt(Math.PI) * Math.Exp(-b * b * x * x),
        (p, q, r) => { ErfDual.Dual(a, b, c, p, q, r, out var t, out var d); return (t, d); }, _ => ErfDual.Mean(c), double.PositiveInfinity, Layer: new NtkSharp.Layers.Erf(a, b, c));

    private static DualCase SigmoidLike() => new("SigmoidLike",
        x => 0.5 * SpecialFunctions.Erf(x / 2.4020563531719796) + 0.5,
        x => 0.5 / 2.4020563531719796 * 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x / (2.4020563531719796 * 2.4020563531719796)),
        (p, q, r) => { SigmoidLikeDual.Dual(p, q, r, out var t, out var d); return (t, d); }, _ => SigmoidLikeDual.Mean(), double.PositiveInfinity, Layer: new NtkSharp.Layers.SigmoidLike());

    private static DualCase Sin(double a, double b, double c) => new($"Sin({a}, {b}, {c})",
        x => a * Math.Sin(b * x + c), x => a * b * Math.Cos(b * x + c),
        (p, q, r) => { SinDual.Dual(a, b, Math.Sin(c), Math.Cos(c), p, q, r, out var t, out var d); return (t, d); },
        v => SinDual.Mean(a, b, Math.Sin(c), v), double.PositiveInfinity, Layer: new NtkSharp.Layers.Sin(a, b, c));

    private static DualCase Cos(double a, double b, double c) => new($"Cos({a}, {b}, {c})",
        x => a * Math.Cos(b * x + c), x => -a * b * Math.Sin(b * x + c),
        // The Cos layer is Sin with the phase c + π/2, whose sine and cosine are cos c and −sin c (Cos.Spec).
        (p, q, r) => { SinDual.Dual(a, b, Math.Cos(c), -Math.Sin(c), p, q, r, out var t, out var d); return (t, d); },
        v => SinDual.Mean(a, b, Math.Cos(c), v), double.PositiveInfinity, Layer: new NtkSharp.Layers.Cos(a, b, c));

    private static DualCase Rbf(double g) => new($"Rbf({g})",
        x => Sqrt2 * Math.Sin(Math.Sqrt(2 * g) * x + Math.PI / 4), x => Sqrt2 * Math.Sqrt(2 * g) * Math.Cos(Math.Sqrt(2 * g) * x + Math.PI / 4),
        (p, q, r) => { RbfDual.Dual(g, p, q, r, out var t, out var d); return (t, d); }, v => RbfDual.Mean(g, v), double.PositiveInfinity, Layer: new NtkSharp.Layers.Rbf(g));

    private static DualCase Gaussian(double a, double b) => new($"Gaussian({a}, {b})",
        x => a * Math.Exp(b * x * x), x => 2 * a * b * x * Math.Exp(b * x * x),
        (p, q, r) => { GaussianDual.Dual(a, b, p, q, r, out var t, out var d); return (t, d); }, v => GaussianDual.Mean(a, b, v),
        b > 0 ? 0.8 / (4 * b) : double.PositiveInfinity, Layer: new NtkSharp.Layers.Gaussian(a, b));

    private static DualCase Exp(double a, double b) => new($"Exp({a}, {b})",
        x => a * Math.Exp(b * x), x => a * b * Math.Exp(b * x),
        (p, q, r) => { ExpDual.Dual(a, b, p, q, r, out var t, out var d); return (t, d); }, v => ExpDual.Mean(a, b, v),
        6.0 / (b * b), Layer: new NtkSharp.Layers.Exp(a, b)); // keeps the peak of e^(2b·σx − x²/2) at x = 2bσ ≤ 5 inside the reference window

    private static DualCase Monomial(int n) => new($"Monomial({n})",
        x => Math.Pow(x, n), x => n == 0 ? 0 : n * Math.Pow(x, n - 1),
        (p, q, r) => { MonomialDual.Dual(n, p, q, r, out var t, out var d); return (t, d); }, v => MonomialDual.Mean(n, v), double.PositiveInfinity, Layer: new NtkSharp.Layers.Monomial(n));

    private static DualCase RectifiedMonomial(int n) => new($"RectifiedMonomial({n})",
        x => x > 0 ? Math.Pow(x, n) : 0.0, x => n == 0 || x <= 0 ? 0.0 : n * Math.Pow(x, n - 1),
        (p, q, r) => { RectifiedMonomialDual.Dual(n, p, q, r, out var t, out var d); return (t, d); }, v => RectifiedMonomialDual.Mean(n, v),
        double.PositiveInfinity, n, new NtkSharp.Layers.RectifiedMonomial(n));

    private static DualCase Polynomial(double[] coef) => new($"Polynomial([{string.Join(", ", coef)}])",
        x => { double s = 0, p = 1; foreach (var c in coef) { s += c * p; p *= x; } return s; },
        x => { double s = 0, p = 1; for (int i = 1; i < coef.Length; i++) { s += i * coef[i] * p; p *= x; } return s; },
        (p, q, r) => { PolynomialDual.Dual(new NtkSharp.Layers.Polynomial(coef).Spec, p, q, r, out var t, out var d); return (t, d); },
        v => PolynomialDual.Mean(new NtkSharp.Layers.Polynomial(coef).Spec, v),
        double.PositiveInfinity, Layer: new NtkSharp.Layers.Polynomial(coef));

    /// <summary>The normalised probabilists' Hermite polynomials written out (neural-tangents' list) and their derivatives.</summary>
    private static DualCase Hermite(int n)
    {
        Func<double, double> he = n switch
        {
            1 => x => x,
            2 => x => (x * x - 1) / Math.Sqrt(2),
            3 => x => (x * x * x - 3 * x) / Math.Sqrt(6),
            4 => x => (Math.Pow(x, 4) - 6 * x * x + 3) / Math.Sqrt(24),
            6 => x => (Math.Pow(x, 6) - 15 * Math.Pow(x, 4) + 45 * x * x - 15) / Math.Sqrt(720),
            _ => throw new ArgumentOutOfRangeException(nameof(n)),
        };
        Func<double, double> dhe = n switch
        {
            1 => _ => 1,
            2 => x => 2 * x / Math.Sqrt(2),
            3 => x => (3 * x * x - 3) / Math.Sqrt(6),
            4 => x => (4 * x * x * x - 12 * x) / Math.Sqrt(24),
            6 => x => (6 * Math.Pow(x, 5) - 60 * x * x * x + 90 * x) / Math.Sqrt(720),
            _ => throw new ArgumentOutOfRangeException(nameof(n)),
        };
        return new($"Hermite({n})", he, dhe,
            (p, q, r) => { HermiteDual.Dual(n, p, q, r, out var t, out var d); return (t, d); }, v => HermiteDual.Mean(n, v),
            double.PositiveInfinity, Layer: new NtkSharp.Layers.Hermite(n));
    }
}
