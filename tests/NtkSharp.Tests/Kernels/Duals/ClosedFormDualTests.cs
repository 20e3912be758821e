using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>
/// Every closed-form dual of the catalogue against the independent two-dimensional quadrature of
/// <see cref="DualReference"/> (its polar form for RectifiedMonomial), to 1e-9 relative to the Cauchy–Schwarz scale √(E[φ(u)²]E[φ(v)²]) (√(E[φ′(u)²]E[φ′(v)²])
/// for Ṫ), over correlations up to |ρ| = 1, unequal variances, tiny (10⁻⁹) and large (45) variances; and every first
/// moment E[φ(u)] against one-dimensional quadrature.
/// </summary>
public class ClosedFormDualTests
{
    private const double Tolerance = 1e-9;

    /// <summary>(c₁₁, ρ, c₂₂).</summary>
    public static readonly (double C11, double Rho, double C22)[] Covariances =
    [
        (1.0, 0.0, 1.0), (1.0, 0.3, 1.0), (2.0, -0.7, 0.5), (0.3, 0.95, 1.7), (1.7, 0.999999, 0.4), (1.7, -0.999999, 0.4),
        (0.8, 1 - 1e-12, 1.3), (0.8, -(1 - 1e-12), 1.3), (1.1, 1.0, 1.1), (1.1, -1.0, 1.1), (1e-8, 0.5, 3e-8),
        (2e-9, 1 - 1e-10, 5e-9), (30.0, 0.7, 45.0), (30.0, 0.99999, 45.0),
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in CatalogueCases.All)
        {
            for (int k = 0; k < Covariances.Length; k++)
            {
                if (Math.Max(Covariances[k].C11, Covariances[k].C22) < c.MaxVariance) data.Add(c.Name, k);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dual_Covariance_MatchesTwoDimensionalQuadrature(string activation, int covariance)
    {
        var c = CatalogueCases.Get(activation);
        var (c11, rho, c22) = Covariances[covariance];
        double c12 = rho * Math.Sqrt(c11 * c22);
        var (t, td) = c.Dual(c11, c12, c22);
        var (tRef, tdRef, scale, scaleDot) = CatalogueCases.Reference(c, c11, c12, c22);
        double errT = Math.Abs(t - tRef) / Math.Max(scale, Math.Abs(tRef));
        double errTd = scaleDot == 0 ? Math.Abs(td) : Math.Abs(td - tdRef) / Math.Max(scaleDot, Math.Abs(tdRef));
        Assert.True(errT <= Tolerance, $"{activation} at ({c11}, {rho}, {c22}): T = {t:R}, quadrature {tRef:R}, relative error {errT:E2}");
        Assert.True(errTd <= Tolerance, $"{activation} at ({c11}, {rho}, {c22}): Ṫ = {td:R}, quadrature {tdRef:R}, relative error {errTd:E2}");
    }

    public static TheoryData<string> Names() => CatalogueCases.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public void Mean_Variance_MatchesOneDimensionalQuadrature(string activation)
    {
        var c = CatalogueCases.Get(activation);
        foreach (double v in new[] { 1e-6, 0.4, 1.3, 7.0 })
        {
            if (v >= c.MaxVariance) continue;
            double m = c.Mean(v), mRef = DualReference.Mean(c.Phi, v);
            double scale = Math.Sqrt(DualReference.Mean(x => c.Phi(x) * c.Phi(x), v));
            double err = Math.Abs(m - mRef) / Math.Max(scale, 1e-300);
            Assert.True(err <= Tolerance, $"{activation} at variance {v}: E[φ] = {m:R}, quadrature {mRef:R}, relative error {err:E2}");
        }
    }
}
