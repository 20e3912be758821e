using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Layers.LayerNormTests;

/// <summary>
/// LayerNorm on images (per position, over the channels) in the spatial interpreter's two layouts — diagonal (Flatten
/// readouts) and full (pooling) — against the independent reference of <see cref="ImageReference"/>: after a
/// convolution, after ReLU and Erf(c ≠ 0) (means subtracted per position), after AvgPool (pooled means), after Flatten
/// (over all H·W·C features), on the raw image, in both parameterisations; to 1e-9 relative.
/// </summary>
public class LayerNormImageKernelTests
{
    private const double Tolerance = 1e-9;
    private const int H = 2, W = 3, C = 3;

    private static double ReluFn(double x) => Math.Max(x, 0);

    private static double Step(double x) => x > 0 ? 1 : 0;

    // φ = a·erf(b·x) + c with (a, b, c) = (0.8, 1.5, 0.3): Williams' arcsine form, E[φ(u)] = c.
    private const double A = 0.8, B = 1.5, Offset = 0.3;

    private static double ErfT(double c11, double c12, double c22) =>
        A * A * 2 / Math.PI * Math.Asin(2 * B * B * c12 / Math.Sqrt((1 + 2 * B * B * c11) * (1 + 2 * B * B * c22))) + Offset * Offset;

    private static double ErfTDot(double c11, double c12, double c22) =>
        A * A * B * B * 4 / Math.PI / Math.Sqrt((1 + 2 * B * B * c11) * (1 + 2 * B * B * c22) - 4 * B * B * B * B * c12 * c12);

    private static readonly Dictionary<string, (Layer Net, Func<ImageReference, VectorReference> Reference)> Cases = new()
    {
        ["ConvThenFlatten"] = (Serial(Conv(8, (1, 1), wStd: 1.2, bStd: 0.2), LayerNorm(), Flatten(), Dense(1)),
            r => r.Conv1x1(1.2, 0.2).LayerNorm().Flatten().Dense(1)),
        ["ReluThenFlatten"] = (Serial(Conv(8, (1, 1), wStd: 1.3, bStd: 0.3), Relu(), LayerNorm(), Flatten(), Dense(1, bStd: 0.1)),
            r => r.Conv1x1(1.3, 0.3).Phi(ReluFn, Step, 1).LayerNorm().Flatten().Dense(1, 0.1)),
        ["ReluThenGlobalAvgPool"] = (Serial(Conv(8, (1, 1), bStd: 0.3), Relu(), LayerNorm(), GlobalAvgPool(), Dense(1)),
            r => r.Conv1x1(1, 0.3).Phi(ReluFn, Step, 1).LayerNorm().GlobalAvgPool().Dense(1)),
        ["AfterAvgPool"] = (Serial(Conv(8, (1, 1), wStd: 1.1, bStd: 0.2), Relu(), AvgPool((2, 2)), LayerNorm(), GlobalAvgPool(), Dense(1)),
            r => r.Conv1x1(1.1, 0.2).Phi(ReluFn, Step, 1).AvgPool(2, 2).LayerNorm().GlobalAvgPool().Dense(1)),
        ["AfterFlatten"] = (Serial(Conv(8, (1, 1), bStd: 0.2), Relu(), Flatten(), LayerNorm(), Dense(1)),
            r => r.Conv1x1(1, 0.2).Phi(ReluFn, Step, 1).Flatten().LayerNorm().Dense(1)),
        // A 1×1 AvgPool changes nothing but asks for the full layout.
        ["AfterFlattenFullLayout"] = (Serial(Conv(8, (1, 1), bStd: 0.2), Relu(), AvgPool((1, 1)), Flatten(), LayerNorm(), Dense(1)),
            r => r.Conv1x1(1, 0.2).Phi(ReluFn, Step, 1).Flatten().LayerNorm().Dense(1)),
        ["ReluThenFlattenFullLayout"] = (Serial(Conv(8, (1, 1), wStd: 1.3, bStd: 0.3), Relu(), LayerNorm(), AvgPool((1, 1)), Flatten(), Dense(1)),
            r => r.Conv1x1(1.3, 0.3).Phi(ReluFn, Step, 1).LayerNorm().Flatten().Dense(1)),
        ["RawImage"] = (Serial(LayerNorm(), Conv(8, (1, 1), bStd: 0.1), Relu(), GlobalAvgPool(), Dense(1)),
            r => r.LayerNorm().Conv1x1(1, 0.1).Phi(ReluFn, Step, 1).GlobalAvgPool().Dense(1)),
        ["ErfStandard"] = (Serial(Conv(8, (1, 1), wStd: 1.1, bStd: 0.1, parameterization: Parameterization.Standard), Erf(0.8, 1.5, 0.3),
                LayerNorm(), Flatten(), Dense(1, parameterization: Parameterization.Standard)),
            r => r.Conv1x1(1.1, 0.1, true, C).Phi(ErfT, ErfTDot, _ => Offset).LayerNorm().Flatten().Dense(1, 0, true, H * W * 8)),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Compute_TwoImages_MatchesIndependentReference(string name)
    {
        var (net, reference) = Cases[name];
        var rng = new Random(17);
        double[] x1 = [.. Enumerable.Range(0, H * W * C).Select(_ => rng.NextDouble() * 2 - 1)];
        double[] x2 = [.. Enumerable.Range(0, H * W * C).Select(_ => rng.NextDouble() * 2 - 1)];
        var result = new KernelFunction(net).Compute(new Tensor([.. x1, .. x2], 2, H, W, C));
        var r = reference(ImageReference.Input(x1, x2, H, W, C));
        Close(name + " NNGP", result.Nngp!, r.K11, r.K12, r.K22);
        Close(name + " NTK", result.Ntk!, r.T11, r.T12, r.T22);
    }

    /// <summary>1-D signals (N, L, C) are images of width 1: LayerNorm per position, after AvgPool along L.</summary>
    [Fact]
    public void Compute_TwoSignals_MatchesIndependentReference()
    {
        const int length = 4;
        var net = Serial(Conv(8, (1, 1), wStd: 1.2, bStd: 0.2), Relu(), LayerNorm(), AvgPool((2, 1)), LayerNorm(), GlobalAvgPool(), Dense(1));
        var rng = new Random(23);
        double[] x1 = [.. Enumerable.Range(0, length * C).Select(_ => rng.NextDouble() * 2 - 1)];
        double[] x2 = [.. Enumerable.Range(0, length * C).Select(_ => rng.NextDouble() * 2 - 1)];
        var result = new KernelFunction(net).Compute(new Tensor([.. x1, .. x2], 2, length, C));
        var r = ImageReference.Input(x1, x2, length, 1, C).Conv1x1(1.2, 0.2).Phi(ReluFn, Step, 1).LayerNorm().AvgPool(2, 1).LayerNorm()
            .GlobalAvgPool().Dense(1);
        Close("signal NNGP", result.Nngp!, r.K11, r.K12, r.K22);
        Close("signal NTK", result.Ntk!, r.T11, r.T12, r.T22);
    }

    private static void Close(string what, Matrix<double> m, double k11, double k12, double k22)
    {
        double scale = Math.Max(Math.Abs(k11), Math.Abs(k22));
        double[] expected = [k11, k12, k12, k22], actual = [m[0, 0], m[0, 1], m[1, 0], m[1, 1]];
        for (int i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tolerance * scale,
                $"{what}[{i / 2},{i % 2}]: engine {actual[i]:R}, reference {expected[i]:R}, difference {Math.Abs(actual[i] - expected[i]) / scale:E2} of the scale");
        }
    }
}
