using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Group;

/// <summary>Architecture text, validation and shapes of LiftingConv, GroupConv and GroupPool.</summary>
public class GroupLayerTests
{
    [Theory]
    [InlineData("LiftingConv(16, group: P4, filter: (3, 3), padding: Same)")]
    [InlineData("LiftingConv(8, group: P4M, filter: (5, 5), padding: Circular, wStd: 1.5, bStd: 0.1)")]
    [InlineData("GroupConv(16, group: P4, filter: (3, 3), padding: Circular, wStd: 2, support: Identity)")]
    [InlineData("GroupConv(4, group: P4M, filter: (1, 1), padding: Same, bStd: 0.5, parameterization: Standard)")]
    [InlineData("Serial(LiftingConv(8, group: P4M, filter: (3, 3), padding: Circular), Relu(), GroupConv(8, group: P4M, filter: (3, 3), padding: Circular, support: Identity), Relu(), GroupPool(), GlobalAvgPool(), Dense(10))")]
    public void Parse_ToString_RoundTrips(string text)
    {
        var layer = Layer.Parse(text);
        Assert.Equal(text, layer.ToString());
        Assert.Equal(layer, Layer.Parse(layer.ToString()));
    }

    [Fact]
    public void Parse_PositionalArgumentsAndDefaults_BindToTheSameLayer()
    {
        Assert.Equal(Stax.GroupConv(3, PlanarGroup.P4, (3, 3), Padding.Circular, 1.0, 0.0, GroupSupport.Full),
            Layer.Parse("GroupConv(3, P4, (3, 3), Circular)"));
        Assert.Equal(Stax.GroupPool(), Layer.Parse("GroupPool()"));
    }

    [Fact]
    public void OutputShape_LiftGroupConvPool_GivesGroupSignalsThenImages()
    {
        var lift = Stax.LiftingConv(5, PlanarGroup.P4M, (3, 3), Padding.Same);
        Assert.Equal([8, 6, 7, 5], lift.OutputShape(6, 7, 2));
        Assert.Equal([8, 6, 7, 4], Stax.Serial(lift, Stax.Relu(), Stax.GroupConv(4, PlanarGroup.P4M, (5, 5), Padding.Circular)).OutputShape(6, 7, 2));
        Assert.Equal([6, 7, 5], Stax.Serial(lift, Stax.GroupPool()).OutputShape(6, 7, 2));
        Assert.Equal([3], Stax.Serial(lift, Stax.Dense(3), Stax.GlobalAvgPool()).OutputShape(6, 7, 2));
        Assert.Equal([8 * 6 * 7 * 5], Stax.Serial(lift, Stax.Flatten()).OutputShape(6, 7, 2));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 5)]
    public void Serial_EvenOrNonSquareFilter_ThrowsNamingTheLayer(int fh, int fw)
    {
        var ex = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.Dense(3),
            Stax.LiftingConv(4, PlanarGroup.P4, (fh, fw), Padding.Same)));
        Assert.Equal("[1]", ex.LayerPath);
        Assert.Contains("odd square filter", ex.Message);
        var ex2 = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.LiftingConv(4, PlanarGroup.P4, (3, 3)), Stax.Relu(),
            Stax.GroupConv(4, PlanarGroup.P4, (fh, fw))));
        Assert.Equal("[2]", ex2.LayerPath);
    }

    [Fact]
    public void Serial_ValidPadding_ThrowsNamingTheLayer()
    {
        var ex = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.LiftingConv(4, PlanarGroup.P4M, (3, 3), Padding.Valid)));
        Assert.Equal("[0]", ex.LayerPath);
        Assert.Contains("Same or Circular", ex.Message);
    }

    [Fact]
    public void Parse_Strides_IsRejectedWithTheParameterList()
    {
        var ex = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("LiftingConv(4, group: P4, filter: (3, 3), padding: Same, strides: (2, 2))"));
        Assert.Contains("strides", ex.Message);
    }

    [Fact]
    public void OutputShape_MismatchedInputs_ThrowNamingTheLayer()
    {
        var mixed = Stax.Serial(Stax.LiftingConv(4, PlanarGroup.P4, (3, 3)), Stax.GroupConv(4, PlanarGroup.P4M, (3, 3)));
        var ex = Assert.Throws<ArchitectureException>(() => mixed.OutputShape(5, 5, 1));
        Assert.Equal("[1]", ex.LayerPath);
        Assert.Contains("8 group elements", ex.Message);

        var onImage = Stax.Serial(Stax.Dense(3), Stax.GroupConv(4, PlanarGroup.P4, (3, 3)));
        Assert.Equal("[1]", Assert.Throws<ArchitectureException>(() => onImage.OutputShape(5, 5, 1)).LayerPath);

        var twice = Stax.Serial(Stax.LiftingConv(4, PlanarGroup.P4, (3, 3)), Stax.LiftingConv(4, PlanarGroup.P4, (3, 3)));
        Assert.Contains("already a group signal", Assert.Throws<ArchitectureException>(() => twice.OutputShape(5, 5, 1)).Message);

        var poolImage = Stax.Serial(Stax.Conv(3, (3, 3)), Stax.GroupPool());
        Assert.Equal("[1]", Assert.Throws<ArchitectureException>(() => poolImage.OutputShape(5, 5, 1)).LayerPath);

        var convOnGroup = Stax.Serial(Stax.LiftingConv(4, PlanarGroup.P4, (3, 3)), Stax.Conv(3, (3, 3)));
        Assert.Equal("[1]", Assert.Throws<ArchitectureException>(() => convOnGroup.OutputShape(5, 5, 1)).LayerPath);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Stax.LiftingConv(0, PlanarGroup.P4, (3, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Stax.GroupConv(3, (PlanarGroup)7, (3, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Stax.GroupConv(3, PlanarGroup.P4, (3, 3), wStd: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Stax.GroupConv(3, PlanarGroup.P4, (3, 3), support: (GroupSupport)5));
    }
}
