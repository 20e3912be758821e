using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Convolutions;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>The device spatial kernels on GCNNs (LiftingConv, GroupConv of both supports, GroupPool, GlobalAvgPool on a
/// group signal, Flatten in the diagonal layout) on ILGPU's CPU accelerator against the CPU engine to 1e-12, symmetric
/// and rectangular, with a budget that forces several launches. The device sums each block's window directly over the
/// k² taps; the CPU in two separable passes.</summary>
public class GroupGpuParityTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private static readonly Dictionary<string, Func<Layer>> Networks = new()
    {
        ["p4-full-circular-grouppool-gap"] = () => Stax.Serial(Stax.LiftingConv(2, PlanarGroup.P4, (3, 3), Padding.Circular, wStd: 1.3, bStd: 0.1), Stax.Relu(),
            Stax.GroupConv(2, PlanarGroup.P4, (3, 3), Padding.Circular, bStd: 0.2), Stax.Erf(), Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(1)),
        ["p4m-identity-same-standard"] = () => Stax.Serial(Stax.LiftingConv(2, PlanarGroup.P4M, (3, 3), Padding.Same, parameterization: Parameterization.Standard),
            Stax.Relu(), Stax.GroupConv(2, PlanarGroup.P4M, (3, 3), Padding.Same, bStd: 0.3, support: GroupSupport.Identity, parameterization: Parameterization.Standard),
            Stax.Relu(), Stax.GroupPool(), Stax.GlobalSumPool(), Stax.Dense(1)),
        ["p4m-gap-on-group-signal"] = () => Stax.Serial(Stax.LiftingConv(2, PlanarGroup.P4M, (1, 1), Padding.Circular, bStd: 0.2), Stax.LeakyRelu(0.1),
            Stax.Dense(2), Stax.GlobalAvgPool(), Stax.Dense(1)),
        ["p4-flatten-diagonal"] = () => Stax.Serial(Stax.LiftingConv(2, PlanarGroup.P4, (3, 3), Padding.Same), Stax.Relu(),
            Stax.GroupConv(2, PlanarGroup.P4, (3, 3), Padding.Same), Stax.Flatten(), Stax.Dense(1)),
    };

    public static TheoryData<string> Names => [.. Networks.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Compute_GcnnOnIlgpuCpu_MatchesCpuEngine(string name)
    {
        var net = Networks[name]();
        var x = ConvTestData.Images(111, 4, 4, 3, 2);
        var y = ConvTestData.Images(112, 3, 4, 3, 2);
        var spatial = SpatialProgram.Compile(net, [4, 3, 2]);
        var budget = new KernelOptions { MemoryBudgetBytes = 8L * 4 * (2L * spatial.Registers + 1) * spatial.MaxSize };
        var cpu = new KernelFunction(net);
        var gpu = new KernelFunction(net, fixture.Context);
        Close(cpu.Compute(x), gpu.Compute(x, options: budget));
        Close(cpu.Compute(x, y), gpu.Compute(x, y, options: budget));
    }

    private static void Close(KernelResult a, KernelResult b)
    {
        foreach (var (e, g, what) in new[] { (a.Nngp!, b.Nngp!, "NNGP"), (a.Ntk!, b.Ntk!, "NTK") })
        {
            double scale = ConvTestData.MaxAbs(e), err = (e - g).Enumerate().Max(Math.Abs);
            Assert.True(scale > 0 && err <= 1e-12 * scale, $"{what}: max |GPU − CPU| = {err:E3} (scale {scale:E3})");
        }
    }
}
