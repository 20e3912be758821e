using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Layers;
using NtkSharp.Symmetry;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

/// <summary>
/// A trained ensemble evaluated on new inputs: member m after k steps is the same network whatever the test set
/// (member m starts from stream m of the seed and trains on the training data only), so its outputs on new inputs must
/// equal those recorded by a training run that had those inputs as its test set.
/// </summary>
public class EnsembleEvaluateTests
{
    private static Layer Net() => Serial(Dense(32, wStd: 1.5, bStd: 0.1), Relu(), Dense(2, wStd: 1.2, bStd: 0.1));

    private static Tensor Inputs(int n, int seed)
    {
        var rng = new Random(seed);
        return new Tensor(Enumerable.Range(0, n * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), n, 3);
    }

    private static readonly Tensor X = Inputs(6, 1);
    private static readonly Matrix<double> Y = Matrix<double>.Build.Dense(6, 2, (i, j) => Math.Sin(i + 2 * j));

    private static EnsembleOptions Options(int? batch = null) => new()
    {
        Members = 5, LearningRate = 0.4, Checkpoints = [0, 3, 25], Seed = 9, RecordNtk = false, BatchSize = batch,
    };

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public void Evaluate_NewInputs_EqualsTrainingWithThemAsTestSet(int? batch)
    {
        var test = Inputs(4, 2);
        var other = Inputs(300, 3);   // more than one evaluation chunk of 256 inputs
        var trained = Ensemble.Train(Net(), X, Y, test, Options(batch));
        var reference = Ensemble.Train(Net(), X, Y, other, Options(batch));

        var evaluated = trained.Evaluate(other);

        Assert.Equal(reference.Steps, evaluated.Steps);
        Assert.Equal(300, evaluated.TestCount);
        double[] got = evaluated.MemberOutputs.ToArray(), want = reference.MemberOutputs.ToArray();
        Assert.Equal(want.Length, got.Length);
        double worst = want.Zip(got, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-12, $"largest difference {worst:E2}");
        for (int s = 0; s < 3; s++)
        {
            double d = (reference.Mean(s) - trained.Mean(other, s)).Enumerate().Max(Math.Abs);
            Assert.True(d <= 1e-12, $"mean at checkpoint {s}: difference {d:E2}");
        }
    }

    [Fact]
    public void Evaluate_TestInputs_ReproducesRecordedOutputs()
    {
        var test = Inputs(4, 2);
        var trained = Ensemble.Train(Net(), X, Y, test, Options());
        double[] got = trained.Evaluate(test).MemberOutputs.ToArray(), want = trained.MemberOutputs.ToArray();
        Assert.Equal(want, got);
    }

    [Fact]
    public void MemberParameters_AtStepZero_EqualInitialisationOfStreamM()
    {
        var trained = Ensemble.Train(Net(), X, Y, Inputs(4, 2), Options());
        var net = FiniteNetwork.Create(Net(), 3);
        for (int m = 0; m < 5; m++)
        {
            Assert.Equal(net.Init(9, m).Values, trained.MemberParameters(0, m).Values);
        }
        // After training the parameters moved, and member predictors are those parameters applied to the inputs.
        var moved = trained.MemberParameters(2, 1).Values.Zip(net.Init(9, 1).Values, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(moved > 1e-4, $"parameters moved by {moved:E2}");
        var x = Inputs(3, 4);
        var viaPredictor = trained.MemberPredictor(2, 1)(x);
        var viaApply = net.Apply(trained.MemberParameters(2, 1), x);
        Assert.Equal(viaApply.ToColumnMajorArray(), viaPredictor.ToColumnMajorArray());
    }

    [Fact]
    public void EquivarianceMeasure_TrainedEnsemble_EqualsRetrainingOnTheOrbit()
    {
        // The sample's route (train with the orbit inputs as test set, then FromOrbitPredictions) is the reference.
        var layer = Serial(Dense(16, wStd: 1.5, bStd: 0.1), Relu(), Dense(1, wStd: 1.5));
        var g = Groups.C4([2]);
        var x = new Tensor([1.0, 0.2, -0.3, 0.8], 2, 2);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0 }, { 0.5 } });
        var aug = Augmentation.Augment(x, y, g);
        var test = new Tensor([0.3, 0.4, -0.7, 0.1], 2, 2);
        var options = new EnsembleOptions { Members = 6, LearningRate = 0.5, Checkpoints = [0, 20], Seed = 3, RecordNtk = false };

        var trained = Ensemble.Train(layer, aug.X, aug.Y, x, options);
        var direct = Equivariance.Measure(trained.MeanPredictor(1), g, test);
        var overTimes = Equivariance.Measure(trained.AtCheckpoints(), [0, 20], g, test);

        var onOrbit = Ensemble.Train(layer, aug.X, aug.Y, g.OrbitInputs(test), options);
        var reference = Equivariance.FromOrbitPredictions(g, onOrbit.Mean(1), test.Count);
        Assert.Equal(reference.MaxRelativeError, direct.MaxRelativeError, 12);
        Assert.Equal(reference.MeanOrbitRelativeStd, direct.MeanOrbitRelativeStd, 12);
        Assert.Equal(reference.MaxRelativeError, overTimes[1].MaxRelativeError, 12);
        Assert.True(direct.MaxRelativeError > 1e-6, $"a 6-member ensemble is not exactly equivariant: {direct.MaxRelativeError:E2}");
    }

    [Fact]
    public void Evaluate_ParametersNotKept_ThrowsSayingSo()
    {
        var trained = Ensemble.Train(Net(), X, Y, Inputs(4, 2), Options() with { KeepParameters = false });
        Assert.False(trained.HasParameters);
        var e = Assert.Throws<InvalidOperationException>(() => trained.Evaluate(Inputs(2, 5)));
        Assert.Contains("KeepParameters", e.Message);
        Assert.Throws<InvalidOperationException>(() => trained.MeanPredictor(0));
    }

    [Fact]
    public void Evaluate_WrongWidth_NamesTheArgument()
    {
        var trained = Ensemble.Train(Net(), X, Y, Inputs(4, 2), Options());
        var bad = new Tensor(new double[8], 2, 4);
        var e = Assert.Throws<ArgumentException>(() => trained.Evaluate(bad));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("(4)", e.Message);
        Assert.Contains("(3)", e.Message);
        var nan = new Tensor([0, double.NaN, 0], 1, 3);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => trained.MeanPredictor(0)(nan)).ParamName);
    }
}
