using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.ScaleOut;
using NtkSharp.Tests.Cli;
using Xunit;

namespace NtkSharp.Tests.ScaleOut;

/// <summary>The out-of-core tile computers take the symmetric diagonal from the self pass, so Dropout's 1/rate lands on
/// it (and nowhere else) exactly as in memory: fully connected and convolutional, symmetric and cross.</summary>
public class DropoutOutOfCoreTests
{
    [Theory]
    [InlineData("Serial(Dense(64, wStd: 1.4, bStd: 0.1), Relu(), Dense(64), Dropout(rate: 0.4), Dense(64), Erf(), Dense(1))", false)]
    [InlineData("Serial(Conv(4, filter: (2, 2), padding: Same, wStd: 1.3), Relu(), Conv(4, filter: (2, 2)), Dropout(rate: 0.6), GlobalAvgPool(), Dense(1))", true)]
    public void WriteNpy_DropoutNetwork_MatchesInMemoryKernel(string text, bool images)
    {
        using var dir = new TempFolder();
        var net = Layer.Parse(text);
        var x1 = ScaleOutFixtures.Gaussian(21, 3 * 3 * 2, 7);
        var x2 = ScaleOutFixtures.Gaussian(6, 3 * 3 * 2, 8);
        if (images)
        {
            x1 = x1.Reshape(21, 3, 3, 2);
            x2 = x2.Reshape(6, 3, 3, 2);
        }
        foreach (var second in new[] { null, x2 })
        {
            OutOfCoreKernel.WriteNpy(net, x1, second, KernelOutputs.Both, dir.File("nngp.npy"), dir.File("ntk.npy"));
            var memory = new KernelFunction(net).Compute(x1, second);
            var k = ScaleOutFixtures.ReadMatrix(dir.File("nngp.npy"));
            var t = ScaleOutFixtures.ReadMatrix(dir.File("ntk.npy"));
            double kScale = memory.Nngp.Enumerate().Max(Math.Abs), tScale = memory.Ntk.Enumerate().Max(Math.Abs);
            for (int i = 0; i < memory.Nngp.RowCount; i++)
            {
                for (int j = 0; j < memory.Nngp.ColumnCount; j++)
                {
                    Assert.True(Math.Abs(k[i, j] - memory.Nngp[i, j]) <= 1e-13 * kScale, $"NNGP ({i}, {j}) = {k[i, j]:R}, in memory {memory.Nngp[i, j]:R}");
                    Assert.True(Math.Abs(t[i, j] - memory.Ntk[i, j]) <= 1e-13 * tScale, $"NTK ({i}, {j}) = {t[i, j]:R}, in memory {memory.Ntk[i, j]:R}");
                }
            }
        }
    }
}
