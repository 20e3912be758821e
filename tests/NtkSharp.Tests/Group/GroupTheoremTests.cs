using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;
using NtkSharp.Tests.Convolutions;
using Xunit;

namespace NtkSharp.Tests.Group;

/// <summary>
/// The augmentation ≡ GCNN theorem (Misof, Kessel &amp; Gerken 2025): for a Circular CNN f with a GlobalAvgPool readout
/// and the GCNN f_G with the same layers (LiftingConv first, GroupConv(support: Identity) after, GroupPool before the
/// pool), Θ_G(x, x′) = (1/|G|)·Σ_g Θ(x, g·x′) (against <see cref="GroupAveragedKernel"/>, whose image rotations are
/// independent pixel permutations) and the closed-form mean μ_t of f_G without augmentation equals that of f trained on
/// the fully augmented data, on and off the data.
/// </summary>
public class GroupTheoremTests
{
    internal static Layer Cnn(Padding padding = Padding.Circular) => Stax.Serial(
        Stax.Conv(8, (3, 3), padding: padding, wStd: 1.4, bStd: 0.2), Stax.Relu(),
        Stax.Conv(8, (3, 3), padding: padding, wStd: 1.3, bStd: 0.1), Stax.Erf(),
        Stax.GlobalAvgPool(), Stax.Dense(1, wStd: 1.1, bStd: 0.3));

    internal static Layer Gcnn(PlanarGroup g, GroupSupport support = GroupSupport.Identity, Padding padding = Padding.Circular) => Stax.Serial(
        Stax.LiftingConv(8, g, (3, 3), padding, wStd: 1.4, bStd: 0.2), Stax.Relu(),
        Stax.GroupConv(8, g, (3, 3), padding, wStd: 1.3, bStd: 0.1, support: support), Stax.Erf(),
        Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(1, wStd: 1.1, bStd: 0.3));

    private static SymmetryGroup PointGroup(PlanarGroup g, int[] shape) => g == PlanarGroup.P4 ? Groups.C4(shape) : Groups.D4(shape);

    [Theory]
    [InlineData(PlanarGroup.P4, KernelOutputs.Ntk)]
    [InlineData(PlanarGroup.P4, KernelOutputs.Nngp)]
    [InlineData(PlanarGroup.P4M, KernelOutputs.Ntk)]
    [InlineData(PlanarGroup.P4M, KernelOutputs.Nngp)]
    public void Compute_IdentitySupportGcnn_EqualsGroupAveragedCnnKernel(PlanarGroup g, KernelOutputs which)
    {
        int[] shape = [5, 5, 2];
        var x1 = ConvTestData.Images(41, 3, shape);
        var x2 = ConvTestData.Images(42, 2, shape);
        var averaged = GroupAveragedKernel.Compute(new KernelFunction(Cnn()), PointGroup(g, shape), x1, x2, which);
        var direct = new KernelFunction(Gcnn(g)).Compute(x1, x2, which).Get(which);
        double err = (averaged - direct).Enumerate().Max(Math.Abs), scale = ConvTestData.MaxAbs(averaged);
        Assert.True(err <= 1e-12 * scale, $"max |Θ_G − (1/|G|)Σ_g Θ(x, g·x′)| = {err:E3} (scale {scale:G4})");
    }

    [Theory]
    [InlineData(PlanarGroup.P4)]
    [InlineData(PlanarGroup.P4M)]
    public void Compute_FullSupportGcnnNtkParameterization_EqualsIdentitySupport(PlanarGroup g)
    {
        // On a lifted signal the covariance depends on (g, g′) only through g′g⁻¹, so the sum over the filter's group
        // axis adds |G| equal terms and the fan-in C·|G|·k² divides them out: at infinite width the supports agree.
        var x = ConvTestData.Images(43, 3, 5, 5, 1);
        var full = new KernelFunction(Gcnn(g, GroupSupport.Full)).Compute(x);
        var identity = new KernelFunction(Gcnn(g, GroupSupport.Identity)).Compute(x);
        double err = (full.Ntk! - identity.Ntk!).Enumerate().Max(Math.Abs);
        Assert.True(err <= 1e-12 * ConvTestData.MaxAbs(identity.Ntk!), $"max |Θ_Full − Θ_Identity| = {err:E3}");
    }

    [Theory]
    [InlineData(PlanarGroup.P4)]
    [InlineData(PlanarGroup.P4M)]
    public void Predict_GcnnWithoutAugmentation_EqualsAugmentedCnnMean(PlanarGroup g)
    {
        int[] shape = [4, 4, 1];
        var xTrain = ConvTestData.Images(44, 4, shape);
        var xTest = ConvTestData.Images(45, 3, shape);
        var y = Matrix<double>.Build.Dense(4, 1, (i, _) => Math.Sin(1.0 + 2.0 * i));
        var opts = new GradientDescentOptions { LearningRate = 1.0 };
        var augmented = AugmentedMean.Fit(new KernelFunction(Cnn()), xTrain, y, PointGroup(g, shape), AugmentationMode.Explicit, opts);
        var gcnn = AugmentedMean.Fit(new KernelFunction(Gcnn(g)), xTrain, y, null, AugmentationMode.None, opts);
        double[] times = [0.0, 1.0, 10.0, double.PositiveInfinity];
        foreach (var x in new[] { xTrain, xTest })
        {
            var a = augmented.Predict(x, times);
            var b = gcnn.Predict(x, times);
            for (int i = 0; i < times.Length; i++)
            {
                double err = (a[i] - b[i]).Enumerate().Max(Math.Abs);
                Assert.True(err <= 1e-10, $"t = {times[i]}: max |μ_t(augmented CNN) − μ_t(GCNN)| = {err:E3}");
            }
        }
    }

    [Theory]
    [InlineData(PlanarGroup.P4)]
    [InlineData(PlanarGroup.P4M)]
    public void Predict_PlainCnnWithoutAugmentation_DiffersFromGcnnMean(PlanarGroup g)
    {
        int[] shape = [4, 4, 1];
        var xTrain = ConvTestData.Images(44, 4, shape);
        var xTest = ConvTestData.Images(45, 3, shape);
        var y = Matrix<double>.Build.Dense(4, 1, (i, _) => Math.Sin(1.0 + 2.0 * i));
        var plain = AugmentedMean.Fit(new KernelFunction(Cnn()), xTrain, y, null, AugmentationMode.None).Predict(xTest, 10.0);
        var gcnn = AugmentedMean.Fit(new KernelFunction(Gcnn(g)), xTrain, y, null, AugmentationMode.None).Predict(xTest, 10.0);
        double diff = (plain - gcnn).Enumerate().Max(Math.Abs);
        Assert.True(diff > 1e-3, $"max |μ_10(plain CNN) − μ_10(GCNN)| = {diff:E3}");
    }
}
