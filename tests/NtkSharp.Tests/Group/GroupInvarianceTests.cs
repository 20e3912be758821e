using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Convolutions;
using Xunit;

namespace NtkSharp.Tests.Group;

/// <summary>
/// Exact invariance of GCNN kernels and finite GCNNs with Circular padding, GroupPool and GlobalAvgPool under 90°
/// rotations (and reflections for p4m) of either input and under cyclic shifts, with the images transformed by
/// independent pixel maps; a plain CNN is the control (not invariant to rotating one input).
/// </summary>
public class GroupInvarianceTests
{
    /// <summary>The pixel maps (source of each output pixel) of the point group on an n×n image: r^i (90° rotations)
    /// then the mirrored ones.</summary>
    internal static Func<int, int, (int H, int W)>[] PointMaps(int n, bool reflections)
    {
        (int, int) Rot(int a, int b) => (b, n - 1 - a);
        var maps = new List<Func<int, int, (int H, int W)>>();
        for (int i = 0; i < 4; i++)
        {
            int turns = i;
            maps.Add((a, b) =>
            {
                var p = (a, b);
                for (int q = 0; q < turns; q++) p = Rot(p.a, p.b);
                return p;
            });
        }
        if (reflections)
        {
            for (int i = 0; i < 4; i++)
            {
                var rot = maps[i];
                maps.Add((a, b) => rot(a, n - 1 - b));
            }
        }
        return [.. maps];
    }

    private static void AssertInvariant(Layer net, Tensor x1, Tensor x2, IEnumerable<Func<int, int, (int H, int W)>> maps, double tol, string what)
    {
        var kf = new KernelFunction(net);
        var reference = kf.Compute(x1, x2);
        double scale = Math.Max(ConvTestData.MaxAbs(reference.Nngp!), ConvTestData.MaxAbs(reference.Ntk!));
        foreach (var map in maps)
        {
            var right = kf.Compute(x1, ConvTestData.Remap(x2, map));
            var left = kf.Compute(ConvTestData.Remap(x1, map), x2);
            foreach (var (r, name) in new[] { (right, "right"), (left, "left") })
            {
                double dk = (r.Nngp! - reference.Nngp!).Enumerate().Max(Math.Abs);
                double dt = (r.Ntk! - reference.Ntk!).Enumerate().Max(Math.Abs);
                Assert.True(Math.Max(dk, dt) <= tol * scale, $"{what} on the {name} input: max |ΔK| = {dk:E3}, max |ΔΘ| = {dt:E3} (scale {scale:G4})");
            }
        }
    }

    [Theory]
    [InlineData(PlanarGroup.P4, GroupSupport.Full)]
    [InlineData(PlanarGroup.P4, GroupSupport.Identity)]
    [InlineData(PlanarGroup.P4M, GroupSupport.Full)]
    [InlineData(PlanarGroup.P4M, GroupSupport.Identity)]
    public void Compute_CircularGroupPoolGlobalAvgPool_InvariantToPointGroupAndShifts(PlanarGroup g, GroupSupport support)
    {
        var net = GroupTheoremTests.Gcnn(g, support);
        var x1 = ConvTestData.Images(81, 3, 5, 5, 2);
        var x2 = ConvTestData.Images(82, 2, 5, 5, 2);
        AssertInvariant(net, x1, x2, PointMaps(5, g == PlanarGroup.P4M).Skip(1), 1e-12, $"{g} point group");
        AssertInvariant(net, x1, x2, [(a, b) => ((a + 2) % 5, (b + 1) % 5), (a, b) => ((a + 4) % 5, b)], 1e-12, "cyclic shift");
    }

    [Fact]
    public void Compute_PlainCircularCnn_NotInvariantToRotatingOneInput()
    {
        var kf = new KernelFunction(GroupTheoremTests.Cnn());
        var x1 = ConvTestData.Images(81, 3, 5, 5, 2);
        var x2 = ConvTestData.Images(82, 2, 5, 5, 2);
        var reference = kf.Compute(x1, x2);
        var rotated = kf.Compute(x1, ConvTestData.Remap(x2, PointMaps(5, false)[1]));
        double d = (rotated.Ntk! - reference.Ntk!).Enumerate().Max(Math.Abs), scale = ConvTestData.MaxAbs(reference.Ntk!);
        Assert.True(d > 1e-3 * scale, $"max |Θ(x, r·x′) − Θ(x, x′)| = {d:E3} (scale {scale:G4})");
    }

    [Theory]
    [InlineData(PlanarGroup.P4, GroupSupport.Full)]
    [InlineData(PlanarGroup.P4M, GroupSupport.Full)]
    [InlineData(PlanarGroup.P4M, GroupSupport.Identity)]
    public void Apply_FiniteGcnnEndingInGroupPoolGlobalAvgPool_InvariantToRounding(PlanarGroup g, GroupSupport support)
    {
        var layer = Stax.Serial(Stax.LiftingConv(6, g, (3, 3), Padding.Circular, bStd: 0.3), Stax.Relu(),
            Stax.GroupConv(5, g, (3, 3), Padding.Circular, bStd: 0.2, support: support), Stax.Erf(),
            Stax.GroupConv(4, g, (5, 5), Padding.Circular, support: support), Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(3));
        var net = FiniteNetwork.Create(layer, 6, 6, 2);
        var p = net.Init(7);
        var x = ConvTestData.Images(83, 2, 6, 6, 2);
        var y = net.Apply(p, x);
        double scale = ConvTestData.MaxAbs(y);
        var maps = PointMaps(6, g == PlanarGroup.P4M).Skip(1).Append((a, b) => ((a + 3) % 6, (b + 5) % 6));
        foreach (var map in maps)
        {
            double d = (net.Apply(p, ConvTestData.Remap(x, map)) - y).Enumerate().Max(Math.Abs);
            Assert.True(d <= 1e-12 * scale, $"max |f(g·x) − f(x)| = {d:E3} (scale {scale:G4})");
        }
    }
}
