using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Prediction;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Prediction;

/// <summary><see cref="Predictors.FitMeanPredictor(NtkSharp.Layers.Layer, Tensor, double[], GradientDescentOptions?, NtkSharp.Kernels.KernelOptions?, IProgress{NtkSharp.Kernels.KernelProgress}?, CancellationToken)"/>
/// with double[], Vector and Matrix targets, and errors that name the user's argument.</summary>
public class PredictorsOverloadTests
{
    private static readonly Tensor X = new(new double[] { 1, 0.5, -0.3, 0.2, -1, 0.8, 0.4, 0.4, 0.1, -0.6 }, 5, 2);
    private static readonly double[] Y = [0.3, -0.7, 1.1, 0.2, -0.4];
    private static NtkSharp.Layers.Layer Net() => Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5));

    [Fact]
    public void FitMeanPredictor_ArrayVectorAndMatrixTargets_InterpolateAtInfinityAndAgree()
    {
        var fromArray = Predictors.FitMeanPredictor(Net(), X, Y);
        var fromVector = Predictors.FitMeanPredictor(Net(), X, Vector<double>.Build.DenseOfArray(Y));
        var fromMatrix = Predictors.FitMeanPredictor(Net(), X, Matrix<double>.Build.DenseOfColumnArrays(Y));
        // Kernel regression at t = ∞ interpolates the training targets (Θ positive definite on distinct inputs).
        var atInfinity = fromArray.Predict(X, double.PositiveInfinity);
        for (int i = 0; i < Y.Length; i++) Assert.True(Math.Abs(atInfinity[i, 0] - Y[i]) < 1e-8, $"example {i}: {atInfinity[i, 0]} vs {Y[i]}");
        var test = new Tensor([0.2, 0.9, -0.5, -0.5], 2, 2);
        var a = fromArray.Predict(test, 1.5);
        Assert.Equal(a.ToColumnMajorArray(), fromVector.Predict(test, 1.5).ToColumnMajorArray());
        Assert.Equal(a.ToColumnMajorArray(), fromMatrix.Predict(test, 1.5).ToColumnMajorArray());
    }

    [Fact]
    public void FitMeanPredictor_ArrayOfWrongLength_NamesYTrain()
    {
        var e = Assert.Throws<ArgumentException>(() => Predictors.FitMeanPredictor(Net(), X, new double[4]));
        Assert.Equal("yTrain", e.ParamName);
        Assert.Contains("4 values", e.Message);
    }

    [Fact]
    public void Predict_TestInputsOfWrongWidth_NameXTest()
    {
        var predictor = Predictors.FitMeanPredictor(Net(), X, Y);
        var e = Assert.Throws<ArgumentException>(() => predictor.Predict(new Tensor(new double[6], 2, 3), 1.0));
        Assert.Equal("xTest", e.ParamName);
        Assert.Contains("(3)", e.Message);
        Assert.Contains("(2)", e.Message);
        var nan = Assert.Throws<ArgumentException>(() => predictor.Predict(new Tensor([0, double.NaN], 1, 2), 1.0));
        Assert.Equal("xTest", nan.ParamName);
    }
}
