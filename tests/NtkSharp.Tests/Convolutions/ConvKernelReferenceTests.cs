using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Convolutions;

/// <summary>The engine against <see cref="NaiveCnnKernel"/>, a direct loop-over-positions implementation of the
/// layer definitions: checks the separable window sums, the tap segments, padding offsets and strides.</summary>
public class ConvKernelReferenceTests
{
    private static readonly string[] Texts =
    [
        "Serial(Conv(3, filter: (3, 3), padding: Same, wStd: 1.3, bStd: 0.2), Relu(), Conv(2, filter: (2, 3), strides: (2, 1), padding: Same, wStd: 1.1), Erf(), GlobalAvgPool(), Dense(1, wStd: 0.9, bStd: 0.3))",
        "Serial(Conv(3, filter: (3, 2), wStd: 1.3, bStd: 0.1), Relu(), AvgPool(window: (2, 2), strides: (1, 2), padding: Same), Conv(4, filter: (2, 2), padding: Circular), Relu(), Flatten(), Dense(1))",
        "Serial(Conv(3, filter: (3, 3), strides: (2, 2), padding: Circular, wStd: 1.2, bStd: 0.5), Relu(), SumPool(window: (2, 1)), Dense(5, wStd: 0.7), LeakyRelu(0.2), GlobalSumPool(), Dense(1))",
        "Serial(Conv(3, filter: (4, 2), padding: Same, wStd: 1.4, parameterization: Standard), Relu(), Conv(2, filter: (1, 3), bStd: 0.3, parameterization: Standard), Abs(), Flatten(), Dense(2, bStd: 0.1, parameterization: Standard))",
        "Serial(Conv(3, filter: (2, 2), padding: Same), Relu(), Conv(3, filter: (3, 3), padding: Same, wStd: 1.5, bStd: 0.05), Relu(), Flatten(), Dense(1))",
    ];

    private static Serial Build(int index) => index switch
    {
        0 => Stax.Serial(Stax.Conv(3, (3, 3), padding: Padding.Same, wStd: 1.3, bStd: 0.2), Stax.Relu(),
            Stax.Conv(2, (2, 3), strides: (2, 1), padding: Padding.Same, wStd: 1.1), Stax.Erf(), Stax.GlobalAvgPool(), Stax.Dense(1, wStd: 0.9, bStd: 0.3)),
        1 => Stax.Serial(Stax.Conv(3, (3, 2), padding: Padding.Valid, wStd: 1.3, bStd: 0.1), Stax.Relu(),
            Stax.AvgPool((2, 2), strides: (1, 2), padding: Padding.Same), Stax.Conv(4, (2, 2), padding: Padding.Circular), Stax.Relu(), Stax.Flatten(), Stax.Dense(1)),
        2 => Stax.Serial(Stax.Conv(3, (3, 3), strides: (2, 2), padding: Padding.Circular, wStd: 1.2, bStd: 0.5), Stax.Relu(),
            Stax.SumPool((2, 1), padding: Padding.Valid), Stax.Dense(5, wStd: 0.7), Stax.LeakyRelu(0.2), Stax.GlobalSumPool(), Stax.Dense(1)),
        3 => Stax.Serial(Stax.Conv(3, (4, 2), padding: Padding.Same, wStd: 1.4, parameterization: Parameterization.Standard), Stax.Relu(),
            Stax.Conv(2, (1, 3), padding: Padding.Valid, bStd: 0.3, parameterization: Parameterization.Standard), Stax.Abs(), Stax.Flatten(),
            Stax.Dense(2, bStd: 0.1, parameterization: Parameterization.Standard)),
        _ => Stax.Serial(Stax.Conv(3, (2, 2), padding: Padding.Same), Stax.Relu(),
            Stax.Conv(3, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.05), Stax.Relu(), Stax.Flatten(), Stax.Dense(1)),
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Compute_SmallCnn_MatchesNaiveReference(int index)
    {
        var net = Build(index);
        Assert.Equal(Texts[index], net.ToString());
        const int h = 5, w = 4, c = 2;
        var x1 = ConvTestData.Images(10 + index, 3, h, w, c);
        var x2 = ConvTestData.Images(20 + index, 2, h, w, c);
        var r = new KernelFunction(net).Compute(x1, x2);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                var (k, t) = NaiveCnnKernel.Pair(net, x1.Slice(i, 1).Data, x2.Slice(j, 1).Data, h, w, c);
                Assert.Equal(k, r.Nngp![i, j], 1e-12 * (1 + Math.Abs(k)));
                Assert.Equal(t, r.Ntk![i, j], 1e-12 * (1 + Math.Abs(t)));
            }
        }
    }

    [Fact]
    public void Compute_OneDimensionalSignals_MatchImagesOfWidthOne()
    {
        var net = Stax.Serial(Stax.Conv(4, (3, 1), padding: Padding.Same, bStd: 0.1), Stax.Relu(),
            Stax.AvgPool((2, 1), strides: (2, 1)), Stax.Conv(4, (2, 1), padding: Padding.Circular), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        var x = ConvTestData.Images(3, 4, 7, 2);
        var signals = new KernelFunction(net).Compute(x);
        var images = new KernelFunction(net).Compute(x.Reshape(4, 7, 1, 2));
        Assert.True((signals.Nngp! - images.Nngp!).Enumerate().Max(Math.Abs) < 1e-14);
        Assert.True((signals.Ntk! - images.Ntk!).Enumerate().Max(Math.Abs) < 1e-14);
        var (k, t) = NaiveCnnKernel.Pair(net, x.Slice(1, 1).Data, x.Slice(3, 1).Data, 7, 1, 2);
        Assert.Equal(k, signals.Nngp![1, 3], 1e-12);
        Assert.Equal(t, signals.Ntk![1, 3], 1e-12);
    }

    [Fact]
    public void Compute_ResidualBlockOnRawInput_EqualsSumOfBranchKernels()
    {
        // FanInSum of the raw input (Θ = 0) and a fresh conv branch: K and Θ of the sum are the sums of the branches'.
        var conv = Stax.Conv(2, (3, 3), padding: Padding.Same, wStd: 1.3, bStd: 0.2);
        var x = ConvTestData.Images(40, 3, 4, 4, 2);
        var onlyConv = new KernelFunction(Stax.Serial(conv, Stax.AvgPool((2, 2)), Stax.GlobalAvgPool(), Stax.Dense(1))).Compute(x);
        var linear = new KernelFunction(Stax.Serial(Stax.FanOut(2), Stax.Parallel(Stax.Identity(), conv), Stax.FanInSum(), Stax.AvgPool((2, 2)), Stax.GlobalAvgPool(), Stax.Dense(1))).Compute(x);
        var input = new KernelFunction(Stax.Serial(Stax.AvgPool((2, 2)), Stax.GlobalAvgPool(), Stax.Dense(1))).Compute(x);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(onlyConv.Nngp![i, j] + input.Nngp![i, j], linear.Nngp![i, j], 1e-12);
                Assert.Equal(onlyConv.Ntk![i, j] + input.Ntk![i, j], linear.Ntk![i, j], 1e-12);
            }
        }
    }
}
