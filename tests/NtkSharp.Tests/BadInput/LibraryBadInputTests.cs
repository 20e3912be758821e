using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.BadInput;

/// <summary>
/// The bad-input corpus of the main library entry points (KernelFunction, GradientDescentMse, MeanPredictor,
/// Ensemble, FiniteNetwork, Groups, Layer.Parse): each case raises its documented exception type, names the public
/// parameter (ParamName and message), never the library's internal names, and fails before allocating what it cannot.
/// </summary>
public class LibraryBadInputTests
{
    private const string Mlp = "Serial(Dense(16, wStd: 1.5), Relu(), Dense(1))";

    private static Tensor T(double scale, params int[] shape)
    {
        var rng = new Random(shape.Sum());
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return new Tensor([.. Enumerable.Range(0, (int)n).Select(_ => scale * (rng.NextDouble() * 2 - 1))], shape);
    }

    private static Matrix<double> Spd(int n) => Matrix<double>.Build.DenseIdentity(n) * 2 + Matrix<double>.Build.Dense(n, n, 0.1);

    private static readonly EnsembleOptions Small = new() { Members = 2, Checkpoints = [0, 2], LearningRate = 0.1, RecordNtk = false };

    /// <summary>(id, call, expected exception type, the public name the error must carry).</summary>
    private static readonly Dictionary<string, (Action Call, Type Expected, string Names)> Cases = new()
    {
        ["kernel-nan-x1"] = (() => Kf(Mlp).Compute(new Tensor([1, double.NaN, 0, 1], 2, 2)), typeof(ArgumentException), "x1"),
        ["kernel-x2-other-width"] = (() => Kf(Mlp).Compute(T(1, 3, 2), T(1, 2, 3)), typeof(ArgumentException), "x2"),
        ["kernel-huge-inputs"] = (() => Kf(Mlp).Compute(T(1e200, 4, 3)), typeof(ArithmeticException), "x1"),
        ["kernel-huge-wstd"] = (() => Kf("Serial(Dense(8, wStd: 1e200), Relu(), Dense(1))").Compute(T(1, 4, 3)), typeof(ArithmeticException), "wStd"),
        ["kernel-300000-examples"] = (() => Kf(Mlp).Compute(T(1, 300000, 2)), typeof(ArgumentException), "x1"),
        ["kernel-pooled-cnn-512"] = (() => Kf("Serial(Conv(2, (3, 3), padding: Same), Relu(), AvgPool((2, 2)), Flatten(), Dense(1))").Compute(T(1, 1, 512, 512, 1)),
            typeof(ArgumentException), "x1"),
        ["parse-deep-parentheses"] = (() => Layer.Parse("Dense(" + new string('(', 50_000) + "1" + new string(')', 50_000) + ")"), typeof(ArchitectureParseException), "nested"),
        ["parse-negative-width"] = (() => Layer.Parse("Dense(-1)"), typeof(ArchitectureParseException), "Dense"),
        ["mse-not-square"] = (() => new GradientDescentMse(Matrix<double>.Build.Dense(3, 2), Matrix<double>.Build.Dense(3, 1)), typeof(ArgumentException), "ntkTrainTrain"),
        ["mse-y-rows"] = (() => new GradientDescentMse(Spd(3), Matrix<double>.Build.Dense(4, 1)), typeof(ArgumentException), "yTrain"),
        ["mse-indefinite"] = (() => new GradientDescentMse(-Spd(3), Matrix<double>.Build.Dense(3, 1, 1)).TrainMeans([1.0]), typeof(ArgumentException), "ntkTrainTrain"),
        ["mse-test-columns"] = (() => new GradientDescentMse(Spd(3), Matrix<double>.Build.Dense(3, 1, 1)).TestMeans([1.0], Matrix<double>.Build.Dense(2, 4)),
            typeof(ArgumentException), "ntkTestTrain"),
        ["mse-negative-time"] = (() => new GradientDescentMse(Spd(3), Matrix<double>.Build.Dense(3, 1, 1)).TrainMeans([-1.0]), typeof(ArgumentException), "times"),
        ["predictor-test-width"] = (() => Predictors.FitMeanPredictor(Layer.Parse(Mlp), T(1, 4, 3), Matrix<double>.Build.Dense(4, 1, 1)).Predict(T(1, 2, 5), 1.0),
            typeof(ArgumentException), "xTest"),
        ["predictor-test-nan"] = (() => Predictors.FitMeanPredictor(Layer.Parse(Mlp), T(1, 4, 3), Matrix<double>.Build.Dense(4, 1, 1)).Predict(new Tensor([double.NaN, 0, 0], 1, 3), 1.0),
            typeof(ArgumentException), "xTest"),
        ["ensemble-dense-on-images"] = (() => Ensemble.Train(Layer.Parse(Mlp), T(1, 3, 4, 4, 1), Matrix<double>.Build.Dense(3, 1), T(1, 2, 4, 4, 1), Small),
            typeof(ArgumentException), "network"),
        ["ensemble-inputs-1e150"] = (() => Ensemble.Train(Layer.Parse(Mlp), T(1e150, 6, 3), Matrix<double>.Build.Dense(6, 1, 1), T(1, 2, 3), Small),
            typeof(EnsembleDivergedException), "xTrain"),
        ["ensemble-inputs-1e200"] = (() => Ensemble.Train(Layer.Parse(Mlp), T(1e200, 6, 3), Matrix<double>.Build.Dense(6, 1, 1), T(1, 2, 3), Small),
            typeof(EnsembleDivergedException), "xTrain"),
        ["ensemble-width-2e9"] = (() => Ensemble.Train(Layer.Parse("Serial(Dense(2000000000), Relu(), Dense(1))"), T(1, 6, 3), Matrix<double>.Build.Dense(6, 1, 1), T(1, 2, 3), Small),
            typeof(ArgumentException), "network"),
        ["ensemble-members-2e9"] = (() => Ensemble.Train(Layer.Parse(Mlp), T(1, 6, 3), Matrix<double>.Build.Dense(6, 1, 1), T(1, 2, 3), Small with { Members = 2_000_000_000 }),
            typeof(ArgumentException), "options"),
        ["ensemble-y-shape"] = (() => Ensemble.Train(Layer.Parse(Mlp), T(1, 6, 3), Matrix<double>.Build.Dense(6, 2, 1), T(1, 2, 3), Small), typeof(ArgumentException), "yTrain"),
        ["finite-width-2e9"] = (() => FiniteNetwork.Create(Layer.Parse("Dense(2000000000)"), 3), typeof(ArgumentException), "network"),
        ["group-cn-100000"] = (() => Groups.Cn(100_000, [2]), typeof(ArgumentOutOfRangeException), "k"),
        ["group-cn-2e9"] = (() => Groups.Cn(2_000_000_000, [2]), typeof(ArgumentOutOfRangeException), "k"),
    };

    public static TheoryData<string> Ids => [.. Cases.Keys];

    private static KernelFunction Kf(string arch) => new(Layer.Parse(arch));

    [Theory]
    [MemberData(nameof(Ids))]
    public void EntryPoint_BadInput_ThrowsDocumentedTypeNamingPublicParameter(string id)
    {
        var (call, expected, names) = Cases[id];

        var e = Record.Exception(call);

        Assert.True(e is not null, $"{id}: no exception");
        Assert.True(expected.IsInstanceOfType(e), $"{id}: {e!.GetType().Name}: {e.Message}");
        if (e is ArgumentException { ParamName: { } p } && expected != typeof(ArchitectureParseException))
            Assert.True(p == names, $"{id}: ParamName '{p}', expected '{names}': {e.Message}");
        Assert.True(e.Message.Contains(names, StringComparison.Ordinal), $"{id}: the message does not name '{names}': {e.Message}");
        Assert.DoesNotContain("Arithmetic operation resulted in an overflow", e.Message);
        Assert.DoesNotContain("Index was outside", e.Message);
    }
}
