using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.TestSupport;

/// <summary>Allocation checks of the kernel engine against <see cref="KernelOptions.MemoryBudgetBytes"/>; callers run in
/// the memory tests' serial collection, since the process-wide counter includes other tests' allocations.</summary>
internal static class KernelMemory
{
    /// <summary>Computes the kernel of <paramref name="net"/> on <paramref name="x"/> under <paramref name="budget"/>
    /// (after a warm-up on two examples that takes JIT and type initialisation out of the measurement), asserts that it
    /// allocated less than the budget besides the two n × n results, and returns the result.</summary>
    public static KernelResult ComputeWithinBudget(Layer net, Tensor x, long budget)
    {
        var kf = new KernelFunction(net);
        var options = new KernelOptions { MemoryBudgetBytes = budget };
        kf.Compute(x.Slice(0, 2), options: options);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var r = kf.Compute(x, options: options);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        long n = r.Nngp!.RowCount;
        long results = 2L * 8 * n * n;
        Assert.True(allocated - results < budget, $"allocated {allocated} bytes besides the results, budget {budget}");
        return r;
    }

    /// <summary>Asserts that computing the kernel of <paramref name="net"/> on <paramref name="x"/> under
    /// <paramref name="budget"/> throws an <see cref="ArgumentException"/> naming the options and MemoryBudgetBytes.</summary>
    public static void AssertBudgetRejected(Layer net, Tensor x, long budget)
    {
        var ex = Assert.Throws<ArgumentException>(() => new KernelFunction(net).Compute(x,
            options: new KernelOptions { MemoryBudgetBytes = budget }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("MemoryBudgetBytes", ex.Message);
    }
}
