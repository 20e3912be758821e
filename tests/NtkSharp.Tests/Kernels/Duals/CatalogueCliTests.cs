using NtkSharp.Tests.Cli;
using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>The CLI's help lists every catalogue layer under <c>--arch</c>.</summary>
public class CatalogueCliTests
{
    [Fact]
    public void KernelHelp_ListsCatalogueLayers()
    {
        var help = CliRun.Of("kernel", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var name in new[] { "Gelu", "Erf", "Sin", "Cos", "Rbf", "Gaussian", "Exp", "SigmoidLike", "Monomial", "RectifiedMonomial",
                     "Polynomial", "Hermite", "Tanh", "Sigmoid", "Softplus", "Silu" })
            Assert.Contains($" {name},", help.Stdout.Replace("\n", ",", StringComparison.Ordinal) + ",", StringComparison.Ordinal);
    }
}
