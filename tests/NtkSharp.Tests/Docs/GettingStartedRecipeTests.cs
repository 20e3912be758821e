using Xunit;

namespace NtkSharp.Tests.Docs;

/// <summary>Runs the recipes of docs/getting-started.md and checks their results against independent facts.</summary>
public class GettingStartedRecipeTests
{
    [Fact]
    public void Predictor_Recipe_StartsAtZeroAndInterpolatesAtInfinity()
    {
        var (times, testError, trainResidual) = GettingStartedRecipes.Predictor();
        // μ_0 = 0, so the error at t = 0 is the RMS of the ground truth sin(3x) on the 50-point grid.
        double truth = Math.Sqrt(Enumerable.Range(0, 50).Average(i => Math.Pow(Math.Sin(3 * (-1 + 2.0 * i / 49)), 2)));
        Assert.Equal(0, times[0]);
        Assert.Equal(truth, testError[0], 12);
        // Gradient flow on a positive definite kernel: the training residual e^{−ηΘt/n}Y shrinks monotonically to 0.
        for (int i = 1; i < times.Length; i++) Assert.True(trainResidual[i] < trainResidual[i - 1], $"residual {string.Join(", ", trainResidual)}");
        Assert.True(trainResidual[^1] < 1e-6, $"residual at ∞ {trainResidual[^1]:E2}");
        Assert.True(testError[^1] < 0.2 * truth, $"test RMS error at ∞ {testError[^1]:F4} vs target RMS {truth:F4}");
    }

    [Fact]
    public void Ensemble_Recipe_MeanAgreesWithAnalyticWithinMonteCarloError()
    {
        var (distance, se, scale) = GettingStartedRecipes.EnsembleVersusAnalytic();
        Assert.True(se > 0 && se < 0.2 * scale, $"standard error {se:F4}, scale {scale:F4}");
        // Four standard errors plus the width-256 bias allowance of docs/ensembles.md (0.05·max|Y|; |Y| ≲ 2.5 here).
        Assert.True(distance < 4 * se + 0.05 * 2.5, $"distance {distance:F4}, standard error {se:F4}");
    }

    [Fact]
    public void Equivariance_Recipe_AnalyticMeanExactEnsembleApproximate()
    {
        var (atOne, atInfinity, ensemble, member) = GettingStartedRecipes.EquivarianceOfEnsembles();
        Assert.True(atOne.MaxRelativeError < 1e-10, $"t = 1: {atOne.MaxRelativeError:E2}");
        Assert.True(atInfinity.MaxRelativeError < 1e-10, $"t = ∞: {atInfinity.MaxRelativeError:E2}");
        Assert.True(ensemble.MaxRelativeError > 1e-6, $"a finite ensemble is not exactly invariant: {ensemble.MaxRelativeError:E2}");
        Assert.True(member.MaxRelativeError > ensemble.MaxRelativeError,
            $"member {member.MaxRelativeError:E2} vs 64-member mean {ensemble.MaxRelativeError:E2}");
    }
}
