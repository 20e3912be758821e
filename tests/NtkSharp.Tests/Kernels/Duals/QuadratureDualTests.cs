using NtkSharp.Kernels.Duals;
using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>
/// The quadrature duals (Mehler series with Gauss–Legendre coefficients, direct 2-D fallback) at the default degree
/// against <see cref="DualReference"/> with φ written here from Math.Tanh and Math.Exp, to 1e-8 relative to the
/// Cauchy–Schwarz scale, over the covariances of <see cref="ClosedFormDualTests"/>; the fallback alone, and a user φ
/// through <see cref="DelegateFunction"/> (with and without its derivative).
/// </summary>
public class QuadratureDualTests
{
    private const double Tolerance = 1e-8;

    private static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static readonly Dictionary<string, (Func<double, double> Phi, Func<double, double> DPhi)> Reference = new()
    {
        ["Tanh"] = (Math.Tanh, x => 1 - Math.Tanh(x) * Math.Tanh(x)),
        ["Sigmoid"] = (Logistic, x => Logistic(x) * (1 - Logistic(x))),
        ["Softplus"] = (x => x > 30 ? x + Math.Exp(-x) : Math.Log(1 + Math.Exp(x)), Logistic),
        ["Silu"] = (x => x * Logistic(x), x => Logistic(x) * (1 + x * (1 - Logistic(x)))),
    };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "Tanh", "Sigmoid", "Softplus", "Silu" })
        {
            for (int k = 0; k < ClosedFormDualTests.Covariances.Length; k++) data.Add(name, k);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dual_DefaultDegree_MatchesTwoDimensionalQuadrature(string activation, int covariance)
    {
        var (c11, rho, c22) = ClosedFormDualTests.Covariances[covariance];
        double c12 = rho * Math.Sqrt(c11 * c22);
        var (t, td) = activation switch
        {
            "Tanh" => Run(new TanhFunction(), c11, c12, c22),
            "Sigmoid" => Run(new SigmoidFunction(), c11, c12, c22),
            "Softplus" => Run(new SoftplusFunction(), c11, c12, c22),
            _ => Run(new SiluFunction(), c11, c12, c22),
        };
        Check(activation, Reference[activation].Phi, Reference[activation].DPhi, c11, rho, c22, t, td);
    }

    [Theory]
    [InlineData(0, 0.3, 1.0)]
    [InlineData(1, 0.999999, 5.0)]
    [InlineData(2, -0.9, 20.0)]
    public void Direct_Covariance_MatchesTwoDimensionalQuadrature(int which, double rho, double variance)
    {
        string name = new[] { "Tanh", "Softplus", "Silu" }[which];
        double c11 = variance, c22 = 0.7 * variance, c12 = rho * Math.Sqrt(c11 * c22);
        double t, td;
        if (which == 0) QuadratureDual.Direct(new TanhFunction(), c11, c12, c22, out t, out td);
        else if (which == 1) QuadratureDual.Direct(new SoftplusFunction(), c11, c12, c22, out t, out td);
        else QuadratureDual.Direct(new SiluFunction(), c11, c12, c22, out t, out td);
        Check(name, Reference[name].Phi, Reference[name].DPhi, c11, rho, c22, t, td);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dual_UserFunction_MatchesTwoDimensionalQuadrature(bool withDerivative)
    {
        // φ(x) = sin(x)·e^(−x²/8) + 0.3x: smooth, no closed form in the catalogue.
        Func<double, double> phi = x => Math.Sin(x) * Math.Exp(-x * x / 8) + 0.3 * x;
        Func<double, double> dphi = x => (Math.Cos(x) - x / 4 * Math.Sin(x)) * Math.Exp(-x * x / 8) + 0.3;
        var f = new DelegateFunction(phi, withDerivative ? dphi : null);
        foreach (var (c11, rho, c22) in new[] { (1.0, 0.4, 2.0), (0.5, -0.99, 0.9), (3.0, 1.0, 3.0) })
        {
            double c12 = rho * Math.Sqrt(c11 * c22);
            QuadratureDual.Dual(f, QuadratureDual.Prepare(f, c11), QuadratureDual.Prepare(f, c22), c12, out double t, out double td);
            Check("user φ", phi, dphi, c11, rho, c22, t, td);
        }
    }

    private static (double, double) Run<TF>(TF f, double c11, double c12, double c22) where TF : struct, IScalarActivation
    {
        QuadratureDual.Dual(f, QuadratureDual.Prepare(f, c11), QuadratureDual.Prepare(f, c22), c12, out double t, out double td);
        return (t, td);
    }

    private static void Check(string name, Func<double, double> phi, Func<double, double> dphi, double c11, double rho, double c22,
        double t, double td)
    {
        double c12 = rho * Math.Sqrt(c11 * c22);
        double tRef = DualReference.Pair(phi, phi, c11, c12, c22);
        double tdRef = DualReference.Pair(dphi, dphi, c11, c12, c22);
        double scale = Math.Sqrt(DualReference.Mean(x => phi(x) * phi(x), c11) * DualReference.Mean(x => phi(x) * phi(x), c22));
        double scaleDot = Math.Sqrt(DualReference.Mean(x => dphi(x) * dphi(x), c11) * DualReference.Mean(x => dphi(x) * dphi(x), c22));
        double errT = Math.Abs(t - tRef) / Math.Max(scale, Math.Abs(tRef));
        double errTd = Math.Abs(td - tdRef) / Math.Max(scaleDot, Math.Abs(tdRef));
        Assert.True(errT <= Tolerance, $"{name} at ({c11}, {rho}, {c22}): T = {t:R}, quadrature {tRef:R}, relative error {errT:E2}");
        Assert.True(errTd <= Tolerance, $"{name} at ({c11}, {rho}, {c22}): Ṫ = {td:R}, quadrature {tdRef:R}, relative error {errTd:E2}");
    }
}
