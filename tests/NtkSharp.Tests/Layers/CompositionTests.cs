using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Layers;

public class CompositionTests
{
    [Fact]
    public void Serial_TwoNonlinearitiesInARow_ThrowsNamingSecondIndex()
    {
        var ex = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.Dense(8), Stax.Relu(), Stax.Erf(), Stax.Dense(1)));
        Assert.Equal("[2]", ex.LayerPath);
    }

    [Fact]
    public void ValidateNetwork_NonlinearityOnRawInput_Throws()
    {
        var ex = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.Relu(), Stax.Dense(1)).ValidateNetwork());
        Assert.Equal("[0]", ex.LayerPath);
    }

    [Fact]
    public void ValidateNetwork_ResidualBlock_IsValid()
    {
        var net = Stax.Serial(Stax.Dense(64), Stax.FanOut(2),
            Stax.Parallel(Stax.Serial(Stax.Relu(), Stax.Dense(64)), Stax.Identity()), Stax.FanInSum(), Stax.Relu(), Stax.Dense(1));
        Assert.Equal(new[] { 1 }, net.OutputShape(5));
    }

    [Fact]
    public void FanInSum_WithoutFanOut_ThrowsNamingIndex()
    {
        var ex = Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.Dense(4), Stax.FanInSum()));
        Assert.Equal("[1]", ex.LayerPath);
    }

    [Fact]
    public void FanInSum_TwoCorrelatedBranches_Throws()
    {
        Assert.Throws<ArchitectureException>(() => Stax.Serial(Stax.Dense(4), Stax.FanOut(2),
            Stax.Parallel(Stax.Identity(), Stax.Identity()), Stax.FanInSum()));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(4, -1.0)]
    [InlineData(4, double.NaN)]
    public void Dense_BadArguments_Throw(int width, double wStd)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Stax.Dense(width, wStd));
    }

    [Fact]
    public void ToString_Dense_PrintsNamedNonDefaults()
    {
        var net = Stax.Serial(Stax.Dense(512, wStd: 1.5, bStd: 0.05), Stax.Relu(), Stax.Dense(1, wStd: 1.5, parameterization: Parameterization.Standard));
        Assert.Equal("Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5, parameterization: Standard))", net.ToString());
    }
}
