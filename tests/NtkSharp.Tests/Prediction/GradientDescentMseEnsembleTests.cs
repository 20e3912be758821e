using MathNet.Numerics.LinearAlgebra;
using NtkSharp.LinearAlgebra;
using NtkSharp.Prediction;
using Xunit;
using static NtkSharp.Tests.Prediction.PredictionTestData;

namespace NtkSharp.Tests.Prediction;

public class GradientDescentMseEnsembleTests
{
    private static readonly PredictionTestData Data = new(nTrain: 18, nTest: 7, outputs: 3, seed: 5);

    private static GradientDescentMseEnsemble Ensemble(double eta = 1.0) =>
        new(Data.TrainTrain, Data.Y, new GradientDescentOptions { LearningRate = eta });

    /// <summary>The affine map f_t(x) = f₀(x) + A f₀(X) + B Y of the linearised dynamics, with f₀ ~ N(0, K) on the
    /// joint set: mean B Y... written with A = −Θ_td Θ⁻¹(I − E) for a given train-decay matrix E.</summary>
    private static (Matrix<double> Mean, Matrix<double> Cov) Affine(Matrix<double> kernel, Matrix<double> kernelTd, Matrix<double> decay)
    {
        var id = Matrix<double>.Build.DenseIdentity(Data.N);
        var a = kernelTd * kernel.LU().Solve(id - decay); // f_t(x) = f₀(x) + a (Y − f₀(X))
        var mean = a * Data.Y;
        var cov = Data.NngpTt - a * Data.NngpTd.Transpose() - Data.NngpTd * a.Transpose() + a * Data.Nngp * a.Transpose();
        return (mean, cov);
    }

    [Theory]
    [InlineData(EnsembleKernel.Nngp, 0.4)]
    [InlineData(EnsembleKernel.Nngp, 30.0)]
    [InlineData(EnsembleKernel.Ntk, 0.4)]
    [InlineData(EnsembleKernel.Ntk, 30.0)]
    public void Predict_FiniteTime_EqualsAffineMapOfGaussianInitialisation(EnsembleKernel kernel, double t)
    {
        double eta = 1.3;
        var dyn = kernel == EnsembleKernel.Ntk ? Data.Ntk : Data.Nngp;
        var dynTd = kernel == EnsembleKernel.Ntk ? Data.NtkTd : Data.NngpTd;
        var (mean, cov) = Affine(dyn, dynTd, MatrixExponential.Expm(-eta * t / Data.Size * dyn));
        var got = Ensemble(eta).Predict(kernel, t, Data.NngpTd, Data.NtkTd, Data.NngpTt);
        Assert.True(RelErr(got.Mean, mean) < 1e-8);
        Assert.True(RelErr(got.Covariance!, cov) < 1e-8);
    }

    [Theory]
    [InlineData(EnsembleKernel.Nngp)]
    [InlineData(EnsembleKernel.Ntk)]
    public void Predict_InfiniteTime_CholeskyEqualsEigenRouteEqualsAffineLimit(EnsembleKernel kernel)
    {
        var dyn = kernel == EnsembleKernel.Ntk ? Data.Ntk : Data.Nngp;
        var dynTd = kernel == EnsembleKernel.Ntk ? Data.NtkTd : Data.NngpTd;
        var (mean, cov) = Affine(dyn, dynTd, Matrix<double>.Build.Dense(Data.N, Data.N));
        var e = Ensemble();
        var chol = e.Predict(kernel, double.PositiveInfinity, Data.NngpTd, Data.NtkTd, Data.NngpTt);
        e.ForceEigenRoute = true;
        var eig = e.Predict(kernel, double.PositiveInfinity, Data.NngpTd, Data.NtkTd, Data.NngpTt);
        Assert.True(RelErr(chol.Mean, mean) < 1e-8);
        Assert.True(RelErr(chol.Covariance!, cov) < 1e-7);
        Assert.True(RelErr(eig.Mean, chol.Mean) < 1e-8);
        Assert.True(RelErr(eig.Covariance!, chol.Covariance!) < 1e-7);
    }

    [Fact]
    public void NngpPosterior_EqualsGaussianProcessRegression()
    {
        var k = Data.Nngp.LU();
        var mean = Data.NngpTd * k.Solve(Data.Y);
        var cov = Data.NngpTt - Data.NngpTd * k.Solve(Data.NngpTd.Transpose());
        var post = Ensemble().NngpPosterior(Data.NngpTd, Data.NngpTt);
        Assert.True(RelErr(post.Mean, mean) < 1e-9);
        Assert.True(RelErr(post.Covariance!, cov) < 1e-7);
        Assert.True(double.IsPositiveInfinity(post.Time));
    }

    [Fact]
    public void Predict_TimeZero_IsThePrior()
    {
        foreach (var kernel in new[] { EnsembleKernel.Nngp, EnsembleKernel.Ntk })
        {
            var p = Ensemble().Predict(kernel, 0, Data.NngpTd, Data.NtkTd, Data.NngpTt);
            Assert.Equal(0.0, p.Mean.FrobeniusNorm());
            Assert.Equal(Data.NngpTt, p.Covariance);
        }
    }

    [Fact]
    public void Covariances_AllTimes_AreSymmetricPositiveSemiDefinite()
    {
        double[] times = [0, 0.1, 3, 100, 1e5, double.PositiveInfinity];
        foreach (var kernel in new[] { EnsembleKernel.Nngp, EnsembleKernel.Ntk })
        {
            foreach (var p in Ensemble(2).Predict(kernel, times, Data.NngpTd, Data.NtkTd, Data.NngpTt))
            {
                var c = p.Covariance!;
                Assert.Equal(c, c.Transpose());
                var ev = c.Evd(Symmetricity.Symmetric).EigenValues.Real();
                Assert.True(ev.Minimum() >= -1e-9 * Data.NngpTt.Diagonal().Maximum(), $"{kernel} t = {p.Time}: λ_min = {ev.Minimum()}");
            }
        }
    }

    [Fact]
    public void Predict_VectorOfTimes_EqualsLoopAndNngpMeanEqualsMeanPredictor()
    {
        double[] times = [0, 1, 25, double.PositiveInfinity];
        var e = Ensemble(0.8);
        var all = e.Predict(EnsembleKernel.Ntk, times, Data.TestTrain, Data.TestTest);
        var mse = new GradientDescentMse(Data.Nngp, Data.Y, new GradientDescentOptions { LearningRate = 0.8 });
        for (int i = 0; i < times.Length; i++)
        {
            var one = Ensemble(0.8).Predict(EnsembleKernel.Ntk, times[i], Data.NngpTd, Data.NtkTd, Data.NngpTt);
            Assert.True(RelErr(all[i].Mean, one.Mean) < 1e-12 || one.Mean.FrobeniusNorm() == 0);
            Assert.True(RelErr(all[i].Covariance!, one.Covariance!) < 1e-12);
            var nngp = e.Predict(EnsembleKernel.Nngp, times[i], Data.NngpTd);
            Assert.Null(nngp.Covariance);
            Assert.True((nngp.Mean - mse.TestMean(times[i], Data.NngpTd)).FrobeniusNorm() <= 1e-10 * (1 + nngp.Mean.FrobeniusNorm()));
        }
    }

    [Fact]
    public void PredictAfterSteps_EqualsLiteralIterationOfTheLinearMap()
    {
        var e = Ensemble();
        double eta = 0.8 * e.MaxLearningRate(EnsembleKernel.Ntk), c = eta / Data.Size;
        e = Ensemble(eta);
        int k = 25;
        // f_k(X) = D f₀(X) + (I − D)Y with D ← (I − cΘ)D; f_k(x) = f₀(x) + T f₀(X) + (−T)Y with T ← T − cΘ_td D.
        var d = Matrix<double>.Build.DenseIdentity(Data.N);
        var t = Matrix<double>.Build.Dense(Data.M, Data.N);
        for (int s = 0; s < k; s++)
        {
            t -= c * (Data.NtkTd * d);
            d -= c * (Data.Ntk * d);
        }
        var mean = -t * Data.Y;
        var cov = Data.NngpTt + t * Data.NngpTd.Transpose() + Data.NngpTd * t.Transpose() + t * Data.Nngp * t.Transpose();
        var got = e.PredictAfterSteps(EnsembleKernel.Ntk, [k], Data.NngpTd, Data.NtkTd, Data.NngpTt)[0];
        Assert.True(RelErr(got.Mean, mean) < 1e-10);
        Assert.True(RelErr(got.Covariance!, cov) < 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ensemble(1.01 * e.MaxLearningRate(EnsembleKernel.Ntk) * eta / eta)
            .PredictAfterSteps(EnsembleKernel.Ntk, [1], Data.NngpTd, Data.NtkTd));
    }

    [Fact]
    public void Errors_MissingOrMismatchedKernels_Throw()
    {
        var e = Ensemble();
        Assert.Equal("ntkTestTrain", Assert.Throws<ArgumentException>(() => e.Predict(EnsembleKernel.Ntk, 1.0, Data.NngpTd)).ParamName);
        Assert.Equal("nngpTestTest", Assert.Throws<ArgumentException>(() => e.Predict(EnsembleKernel.Nngp, 1.0, Data.NngpTd, null, Data.Nngp)).ParamName);
        Assert.Equal("nngpTestTrain", Assert.Throws<ArgumentException>(() => e.Predict(EnsembleKernel.Nngp, 1.0, Data.NngpTd.Transpose())).ParamName);
        var nngpOnly = new GradientDescentMseEnsemble(Data.Nngp, null, Data.Y);
        Assert.Throws<InvalidOperationException>(() => nngpOnly.Predict(EnsembleKernel.Ntk, 1.0, Data.NngpTd, Data.NtkTd));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Predict(EnsembleKernel.Nngp, -1.0, Data.NngpTd));
    }
}
