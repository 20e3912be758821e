using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

public class ConvergenceTests
{
    private static readonly double[,] XTrain = { { 1.0, -0.5, 0.8 }, { -0.3, 1.2, 0.4 }, { 0.9, 0.7, -1.1 }, { 0.2, -1.0, -0.6 } };
    private static readonly double[,] XTest = { { 0.5, 0.5, 0.1 }, { -1.0, 0.3, 0.2 } };
    private static readonly Matrix<double> Y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.6 }, { -0.4 }, { 0.3 }, { -0.8 } });

    private static Layer Net(int width) => Serial(Dense(width, wStd: 1.4, bStd: 0.1), Erf(), Dense(1, wStd: 1.2));

    [Fact]
    public void Run_Grid_ReportsEveryCellWithDistancesConsistentWithStandardErrors()
    {
        var ntk = new KernelFunction(Net(1)).Compute(XTrain, outputs: KernelOutputs.Ntk).Ntk!;
        double eta = 0.5 * GradientDescentMse.MaxLearningRateOf(ntk, 4);
        var r = Convergence.Run(Net, XTrain, Y, XTest,
            new ConvergenceOptions { Widths = [64, 512], EnsembleSizes = [1, 100], LearningRate = eta, Steps = 50, Seed = 3 });
        Assert.Equal([(64, 1), (64, 100), (512, 1), (512, 100)], r.Points.Select(p => (p.Width, p.Members)));
        foreach (var p in r.Points)
        {
            Assert.True(double.IsFinite(p.Distance) && p.Distance >= 0);
            Assert.True(p.StandardError > 0);
        }
        // The standard error falls as 1/√M; at width 512 the 100-member mean is within 4 SE plus a 1/width bias allowance.
        var wide = r.Points.Single(p => p.Width == 512 && p.Members == 100);
        var single = r.Points.Single(p => p.Width == 512 && p.Members == 1);
        Assert.InRange(wide.StandardError / single.StandardError, 0.07, 0.14);
        Assert.True(wide.Distance <= 4 * wide.StandardError + 0.05 * 0.8 * 256 / 512, $"distance {wide.Distance:G3}, se {wide.StandardError:G3}");
        Assert.Contains("| 512 | 100 |", r.ToMarkdown());
        Assert.Equal(5, r.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Run_OnlySingleMembers_Throws()
    {
        Assert.Throws<ArgumentException>(() => Convergence.Run(Net, XTrain, Y, XTest, new ConvergenceOptions { EnsembleSizes = [1] }));
    }
}
