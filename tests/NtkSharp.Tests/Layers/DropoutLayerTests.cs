using NtkSharp.IO;
using NtkSharp.Layers;
using NtkSharp.Tests.Cli;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Layers;

/// <summary><see cref="Dropout"/>'s architecture text, argument checks, composition rules and CLI listing.</summary>
public class DropoutLayerTests
{
    [Fact]
    public void ToString_Dropout_NamedRateRoundTrips()
    {
        var layer = Dropout(0.9);
        Assert.Equal("Dropout(rate: 0.9)", layer.ToString());
        Assert.Equal(layer, Layer.Parse(layer.ToString()));
        Assert.Equal(layer, Layer.Parse("Dropout(0.9)"));
        Assert.Equal(0.9, ((Dropout)Layer.Parse("Stax.Dropout(rate: 0.9)")).Rate);
    }

    [Fact]
    public void Parse_NetworkWithDropout_RoundTripsBitExactly()
    {
        var net = Serial(Dense(64, wStd: 1.3), Relu(), Dense(64), Dropout(1.0 / 3), Dense(1));
        string text = net.ToString();
        Assert.Contains("Dropout(rate: 0.3333333333333333)", text);
        Assert.Equal(net.ToString(), Layer.Parse(text).ToString());
        Assert.Equal(1.0 / 3, ((Dropout)((Serial)Layer.Parse(text)).Layers[3]).Rate);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.2)]
    [InlineData(1.0000001)]
    [InlineData(2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_RateOutsideZeroOne_ThrowsNamingRate(double rate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Dropout(rate));
        Assert.Equal("rate", e.ParamName);
        Assert.Contains("(0, 1]", e.Message);
    }

    [Theory]
    [InlineData("Dropout(0)")]
    [InlineData("Dropout(rate: 1.5)")]
    [InlineData("Serial(Dense(4), Dropout(-1), Dense(1))")]
    public void Parse_BadRate_ThrowsParseExceptionNamingRate(string text)
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse(text));
        Assert.Contains("rate", e.Message);
    }

    [Fact]
    public void Compose_DropoutOnNetworkInput_ThrowsArchitectureException()
    {
        var e = Assert.Throws<ArchitectureException>(() => Serial(Dropout(0.5), Dense(4)).OutputShape(3));
        Assert.Contains("network input", e.Message);
        // Routing (FanOut, Flatten) and a sum with the raw input keep the input's finitely many features.
        Assert.Throws<ArchitectureException>(() => Serial(Flatten(), Dropout(0.5), Dense(1)).ValidateNetwork([2, 2, 1]));
        Assert.Throws<ArchitectureException>(() => Serial(FanOut(2), Parallel(Dense(3), Identity()), FanInSum(), Dropout(0.5), Dense(1))
            .OutputShape(3));
        Assert.Equal([1], Serial(Dense(8), Dropout(0.5), Dense(1)).OutputShape(3));
    }

    [Fact]
    public void Compose_NonlinearityRightAfterDropout_ThrowsArchitectureException()
    {
        // As in neural-tangents (is_gaussian = False): x·mask/rate is not Gaussian, so the dual would not be exact.
        var e = Assert.Throws<ArchitectureException>(() => Serial(Dense(8), Dropout(0.5), Relu(), Dense(1)).OutputShape(3));
        Assert.Contains("Relu", e.Message);
        Assert.Equal([1], Serial(Dense(8), Dropout(0.5), Dense(8), Relu(), Dense(1)).OutputShape(3));
        // A residual branch ending in Dropout stays uncorrelated with the skip (fresh weights before the mask).
        Assert.Equal([8], Serial(Dense(8), Relu(), FanOut(2), Parallel(Serial(Dense(8), Dropout(0.5)), Identity()), FanInSum())
            .OutputShape(3));
    }

    [Fact]
    public void KernelHelp_ListsDropout()
    {
        var help = CliRun.Of("kernel", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains(" Dropout,", help.Stdout.Replace("\n", ",", StringComparison.Ordinal) + ",", StringComparison.Ordinal);
    }

    [Fact]
    public void KernelCli_BadDropoutRate_ExitCode2NamingRate()
    {
        using var tmp = new TempFolder();
        Npy.Write(tmp.File("x.npy"), new Tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 3, 2));
        var run = CliRun.Of("kernel", "--arch", "Serial(Dense(8), Dropout(rate: 1.5), Dense(1))", "--x1", tmp.File("x.npy"),
            "--out", Path.Combine(tmp.Path, "o"));
        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}, stderr: {run.Stderr}");
        string line = Assert.Single(run.ErrorLines);
        Assert.Contains("--arch", line);
        Assert.Contains("rate", line);
    }
}
