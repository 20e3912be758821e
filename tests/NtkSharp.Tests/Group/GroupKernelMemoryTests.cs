using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Convolutions;
using NtkSharp.Tests.TestSupport;
using Xunit;

namespace NtkSharp.Tests.Group;

/// <summary>The GCNN kernel keeps within <see cref="KernelOptions.MemoryBudgetBytes"/> although a pair's covariance over
/// (g, p, g′, p′) is |G|² times a CNN's (the engine holds |G| blocks). Runs in the memory tests' serial collection.</summary>
[Collection(nameof(ConvKernelMemoryTests))]
public class GroupKernelMemoryTests
{
    private static Layer Net() => Stax.Serial(Stax.LiftingConv(8, PlanarGroup.P4M, (3, 3), Padding.Circular), Stax.Relu(),
        Stax.GroupConv(8, PlanarGroup.P4M, (3, 3), Padding.Circular), Stax.Relu(), Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(1));

    [Fact]
    public void Compute_P4mGramLargerThanBudget_AllocatesLessThanBudget()
    {
        const int n = 12, h = 8, w = 8;
        const long budget = 8L << 20;
        long naiveBytes = 8L * n * n * 64 * (h * w) * (h * w); // all pairs' (g, p, g′, p′) covariances
        Assert.True(naiveBytes > 10 * budget);
        var r = KernelMemory.ComputeWithinBudget(Net(), ConvTestData.Images(2, n, h, w, 1), budget);
        Assert.True(r.Ntk![3, 7] > 0);
    }

    [Fact]
    public void Compute_BudgetBelowOnePairsBlocks_ThrowsNamingOptions()
    {
        // one 16×16 block is 65,536 doubles = 512 KiB; the p4m pair needs 8 blocks per tensor
        KernelMemory.AssertBudgetRejected(Net(), ConvTestData.Images(1, 3, 16, 16, 1), 4L << 20);
    }
}
