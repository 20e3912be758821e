using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

/// <summary>The scaling fits recover known laws from noisy synthetic data.</summary>
public class ScalingFitTests
{
    private static double Noise(Random rng, double level) => 1 + level * (2 * rng.NextDouble() - 1);

    [Fact]
    public void PowerLaw_NoisyInverseSqrt_RecoversExponentAndPrefactor()
    {
        var rng = new Random(1);
        double[] m = [1, 3, 10, 30, 100, 300, 1000];
        var y = m.Select(v => 0.7 * Math.Pow(v, -0.5) * Noise(rng, 0.05)).ToArray();
        var fit = ScalingFit.PowerLaw(m, y);
        Assert.True(Math.Abs(fit.Exponent + 0.5) < 0.02, $"exponent {fit.Exponent} ± {fit.ExponentStandardError}");
        Assert.True(Math.Abs(fit.Prefactor / 0.7 - 1) < 0.06, $"prefactor {fit.Prefactor}");
        Assert.True(fit.ExponentStandardError < 0.02 && fit.RSquared > 0.99, $"se {fit.ExponentStandardError}, R² {fit.RSquared}");
    }

    [Fact]
    public void PowerLaw_ExactLaw_ExactToRounding()
    {
        double[] w = [64, 128, 256, 512];
        var fit = ScalingFit.PowerLaw(w, w.Select(v => 3.0 / v).ToArray());
        Assert.Equal(-1.0, fit.Exponent, 12);
        Assert.Equal(3.0, fit.Prefactor, 10);
    }

    [Fact]
    public void MonteCarloPlusWidth_NoisySyntheticLaw_RecoversCoefficientsAndWidthExponent()
    {
        var rng = new Random(2);
        int[] ms = [1, 3, 10, 30, 100, 300, 1000];
        int[] ws = [64, 128, 256, 512, 1024, 2048];
        var members = new List<int>();
        var widths = new List<int>();
        var e2 = new List<double>();
        foreach (int w in ws)
        {
            foreach (int m in ms)
            {
                members.Add(m);
                widths.Add(w);
                e2.Add((0.3 / m + 200.0 * Math.Pow(w, -2)) * Noise(rng, 0.03));
            }
        }
        var fit = ScalingFit.MonteCarloPlusWidth(members, widths, e2);
        Assert.True(Math.Abs(fit.WidthExponent - 2) < 0.1, $"width exponent {fit.WidthExponent}");
        Assert.True(Math.Abs(fit.MonteCarloCoefficient / 0.3 - 1) < 0.05, $"a = {fit.MonteCarloCoefficient}");
        Assert.True(Math.Abs(fit.WidthCoefficient / 200 - 1) < 0.5, $"b = {fit.WidthCoefficient}");
        Assert.True(fit.RelativeRms < 0.03, $"rms {fit.RelativeRms}");
    }

    [Fact]
    public void MonteCarloPlusWidth_NoWidthPart_WidthCoefficientNearZero()
    {
        int[] ms = [1, 10, 100, 1000, 1, 10, 100, 1000];
        int[] ws = [64, 64, 64, 64, 1024, 1024, 1024, 1024];
        var fit = ScalingFit.MonteCarloPlusWidth(ms, ws, ms.Select(m => 0.5 / m).ToArray());
        Assert.Equal(0.5, fit.MonteCarloCoefficient, 9);
        Assert.True(fit.WidthCoefficient * Math.Pow(64, -fit.WidthExponent) < 1e-9, $"b = {fit.WidthCoefficient}, q = {fit.WidthExponent}");
    }
}
