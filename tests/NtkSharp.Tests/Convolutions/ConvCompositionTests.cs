using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Convolutions;

/// <summary>Shape inference, composition errors and architecture text of the convolutional layers.</summary>
public class ConvCompositionTests
{
    [Fact]
    public void OutputShape_StridesPaddingAndPooling_InferredAsXla()
    {
        var net = Stax.Serial(Stax.Conv(16, (3, 3), strides: (2, 2), padding: Padding.Same), Stax.Relu(),
            Stax.Conv(8, (3, 2), padding: Padding.Valid), Stax.Relu(), Stax.AvgPool((2, 2), strides: (2, 2), padding: Padding.Same));
        // 28×27 → Same stride 2: 14×14 → Valid 3×2: 12×13 → pool 2 stride 2 Same: 6×7.
        Assert.Equal(new[] { 6, 7, 8 }, net.OutputShape(28, 27, 1));
        Assert.Equal(new[] { 8 }, Stax.Serial(net, Stax.GlobalAvgPool()).OutputShape(28, 27, 1));
        Assert.Equal(new[] { 6 * 7 * 8 }, Stax.Serial(net, Stax.Flatten()).OutputShape(28, 27, 1));
        Assert.Equal(new[] { 10, 4 }, Stax.Serial(Stax.Conv(4, (3, 1), padding: Padding.Circular)).OutputShape(10, 2));
        Assert.Equal(new[] { 28, 27, 5 }, Stax.Dense(5).OutputShape(28, 27, 1));
    }

    [Fact]
    public void ValidateNetwork_ValidFilterLargerThanInput_ThrowsNamingLayer()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3)), Stax.Relu(), Stax.Conv(8, (3, 3)), Stax.Relu(), Stax.Flatten(), Stax.Dense(1));
        var ex = Assert.Throws<ArchitectureException>(() => net.ValidateNetwork([4, 4, 1]));
        Assert.Equal("[2]", ex.LayerPath);
        Assert.Contains("Conv", ex.Message);
    }

    [Fact]
    public void ValidateNetwork_PoolingLeavesNothing_ThrowsNamingLayer()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.AvgPool((5, 5)), Stax.GlobalAvgPool(), Stax.Dense(1));
        var ex = Assert.Throws<ArchitectureException>(() => net.ValidateNetwork([4, 4, 1]));
        Assert.Equal("[2]", ex.LayerPath);
        Assert.Contains("AvgPool", ex.Message);
    }

    [Fact]
    public void ValidateNetwork_ConvOnVectors_Throws()
    {
        var ex = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.Dense(4), Stax.Relu(), Stax.Conv(4, (3, 3))).ValidateNetwork([7]));
        Assert.Equal("[2]", ex.LayerPath);
    }

    [Fact]
    public void ValidateNetwork_TwoDimensionalFilterOnSignal_Throws()
    {
        Assert.Throws<ArchitectureException>(() => Stax.Conv(4, (3, 3)).ValidateNetwork([10, 2]));
    }

    [Fact]
    public void Serial_NonlinearityAfterFlatten_Throws()
    {
        var ex = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.Conv(4, (3, 3)), Stax.Flatten(), Stax.Relu()));
        Assert.Equal("[2]", ex.LayerPath);
    }

    [Fact]
    public void Compute_SpatialOutput_ThrowsAskingForReadout()
    {
        var net = Stax.Serial(Stax.Conv(4, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.Conv(1, (1, 1)));
        var ex = Assert.Throws<ArchitectureException>(() => new KernelFunction(net).Compute(ConvTestData.Images(1, 2, 4, 4, 1)));
        Assert.Contains("Flatten", ex.Message);
    }

    [Theory]
    [InlineData(0, 3, 1, 1)]
    [InlineData(4, 0, 1, 1)]
    [InlineData(4, 3, 0, 1)]
    [InlineData(4, 3, 1, -1)]
    public void Conv_BadArguments_Throw(int channels, int filter, int stride, double wStd)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Stax.Conv(channels, (filter, filter), strides: (stride, stride), wStd: wStd));
    }

    [Fact]
    public void ToString_ConvolutionalLayers_PrintCallSyntax()
    {
        var net = Stax.Serial(Stax.Conv(256, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.AvgPool((2, 2), strides: (2, 2)), Stax.SumPool((3, 1), padding: Padding.Circular),
            Stax.Conv(8, (2, 2), strides: (2, 1), parameterization: Parameterization.Standard), Stax.GlobalAvgPool(), Stax.GlobalSumPool(), Stax.Flatten());
        Assert.Equal("Serial(Conv(256, filter: (3, 3), padding: Same, wStd: 1.4, bStd: 0.1), Relu(), AvgPool(window: (2, 2), strides: (2, 2)), "
            + "SumPool(window: (3, 1), padding: Circular), Conv(8, filter: (2, 2), strides: (2, 1), parameterization: Standard), GlobalAvgPool(), GlobalSumPool(), Flatten())",
            net.ToString());
    }

    [Fact]
    public void Parse_ConvolutionalNetworkText_RoundTrips()
    {
        var net = Stax.Serial(Stax.Conv(256, (3, 3), padding: Padding.Same, wStd: 1.4, bStd: 0.1), Stax.Relu(),
            Stax.AvgPool((2, 2), strides: (2, 2)), Stax.Conv(8, (2, 1), strides: (2, 1), padding: Padding.Circular, parameterization: Parameterization.Standard),
            Stax.Erf(), Stax.SumPool((3, 1), padding: Padding.Same), Stax.GlobalAvgPool(), Stax.Dense(1));
        var parsed = Layer.Parse(net.ToString());
        Assert.Equal(net, parsed);
        Assert.Equal(net.ToString(), parsed.ToString());
        Assert.Equal(Stax.Serial(Stax.Conv(4, (3, 3)), Stax.Relu(), Stax.Flatten(), Stax.Dense(1)),
            Layer.Parse("Serial(Conv(4, filter: (3, 3), strides: (1, 1), padding: Valid), Relu(), Flatten(), Dense(1))"));
    }
}
