using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.TestSupport;
using Xunit;

namespace NtkSharp.Tests.Convolutions;

/// <summary>The spatial engine keeps within <see cref="KernelOptions.MemoryBudgetBytes"/>. Not run in parallel with
/// other tests, whose allocations the process-wide counter would include.</summary>
[Collection(nameof(ConvKernelMemoryTests))]
public class ConvKernelMemoryTests
{
    [Fact]
    public void Compute_FullTensorLargerThanBudget_AllocatesLessThanBudget()
    {
        const int n = 40, h = 10, w = 10;
        const long budget = 4L << 20;
        long fullTensorBytes = 8L * n * n * (h * w) * (h * w);
        Assert.True(fullTensorBytes > 10 * budget);
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(),
            Stax.GlobalAvgPool(), Stax.Dense(1));
        var r = KernelMemory.ComputeWithinBudget(net, ConvTestData.Images(1, n, h, w, 1), budget);
        Assert.True(r.Nngp![3, 7] > 0);
    }

    [Fact]
    public void Compute_BudgetBelowOnePair_ThrowsNamingOptions()
    {
        var net = Stax.Serial(Stax.Conv(8, (3, 3), padding: Padding.Same), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        KernelMemory.AssertBudgetRejected(net, ConvTestData.Images(1, 3, 16, 16, 1), 100_000);
    }
}

[CollectionDefinition(nameof(ConvKernelMemoryTests), DisableParallelization = true)]
public class ConvKernelMemoryCollection
{
}
