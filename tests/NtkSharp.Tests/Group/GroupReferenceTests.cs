using NtkSharp.Finite;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Convolutions;
using Xunit;

namespace NtkSharp.Tests.Group;

/// <summary>GCNN kernels against the naive |G|²-sized covariance loop (<see cref="NaiveGcnnKernel"/>), and the trivial
/// group against plain <see cref="Conv"/> (kernels and finite networks).</summary>
public class GroupReferenceTests
{
    [Theory]
    [InlineData(PlanarGroup.P4, Padding.Same, GroupSupport.Full)]
    [InlineData(PlanarGroup.P4, Padding.Circular, GroupSupport.Identity)]
    [InlineData(PlanarGroup.P4M, Padding.Same, GroupSupport.Identity)]
    [InlineData(PlanarGroup.P4M, Padding.Circular, GroupSupport.Full)]
    public void Compute_SmallGcnn_MatchesNaiveFullCovarianceLoop(PlanarGroup g, Padding padding, GroupSupport support)
    {
        int h = 3, w = 4, c = 2;
        var layers = new Layer[]
        {
            Stax.LiftingConv(8, g, (3, 3), padding, wStd: 1.3, bStd: 0.2), Stax.Relu(),
            Stax.GroupConv(8, g, (3, 3), padding, wStd: 1.2, bStd: 0.1, support: support), Stax.Relu(),
            Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(1, wStd: 0.9, bStd: 0.4),
        };
        var x = ConvTestData.Images(91, 2, h, w, c);
        var engine = new KernelFunction(Stax.Serial(layers)).Compute(x);
        var naive = new NaiveGcnnKernel(g == PlanarGroup.P4M, h, w, 3, padding);
        int e = h * w * c;
        var (k, t) = naive.Pair(x.Data[..e], x.Data[e..], c, layers);
        double sk = Math.Abs(engine.Nngp![0, 1] - k), st = Math.Abs(engine.Ntk![0, 1] - t);
        Assert.True(sk <= 1e-12 * Math.Abs(k) && st <= 1e-12 * Math.Abs(t),
            $"engine K = {engine.Nngp[0, 1]:R}, Θ = {engine.Ntk[0, 1]:R}; naive K = {k:R}, Θ = {t:R}");
    }

    [Theory]
    [InlineData(Padding.Same)]
    [InlineData(Padding.Circular)]
    public void Compute_TrivialGroup_EqualsConv(Padding padding)
    {
        var gcnn = Stax.Serial(Stax.LiftingConv(8, PlanarGroup.Trivial, (3, 3), padding, wStd: 1.3, bStd: 0.2), Stax.Relu(),
            Stax.GroupConv(8, PlanarGroup.Trivial, (5, 5), padding, bStd: 0.1, parameterization: Parameterization.Standard), Stax.Erf(),
            Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(1));
        var cnn = Stax.Serial(Stax.Conv(8, (3, 3), padding: padding, wStd: 1.3, bStd: 0.2), Stax.Relu(),
            Stax.Conv(8, (5, 5), padding: padding, bStd: 0.1, parameterization: Parameterization.Standard), Stax.Erf(),
            Stax.GlobalAvgPool(), Stax.Dense(1));
        var x = ConvTestData.Images(92, 3, 5, 4, 2);
        var a = new KernelFunction(gcnn).Compute(x);
        var b = new KernelFunction(cnn).Compute(x);
        double dk = (a.Nngp! - b.Nngp!).Enumerate().Max(Math.Abs), dt = (a.Ntk! - b.Ntk!).Enumerate().Max(Math.Abs);
        Assert.True(dk <= 1e-12 * ConvTestData.MaxAbs(b.Nngp!) && dt <= 1e-12 * ConvTestData.MaxAbs(b.Ntk!), $"max |ΔK| = {dk:E3}, max |ΔΘ| = {dt:E3}");

        // The finite networks share the parameter layout ([k][k][C][C_out] + bias), so the same vector gives the same function.
        var fg = FiniteNetwork.Create(gcnn, 5, 4, 2);
        var fc = FiniteNetwork.Create(cnn, 5, 4, 2);
        var p = fc.Init(3);
        double df = (fg.Apply(p, x) - fc.Apply(p, x)).Enumerate().Max(Math.Abs);
        Assert.True(df <= 1e-12, $"max |f_trivial − f_conv| = {df:E3}");
    }
}
