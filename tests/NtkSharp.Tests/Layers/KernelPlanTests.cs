using System.Runtime.CompilerServices;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Gpu;
using Xunit;

namespace NtkSharp.Tests.Layers;

/// <summary>The validated layer graph and the kernel plan the layers emit: one validation per nested Serial, the
/// layout need declared by the pooling layers, and vector inputs followed by Flatten on both engines.</summary>
public class KernelPlanTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    [Fact]
    public void Serial_DeeplyNested_ValidatesInnermostLayerOnce()
    {
        var calls = new StrongBox<int>();
        Layer net = Stax.Serial(Stax.Dense(4), new Counting(calls));
        for (int depth = 0; depth < 40; depth++) net = Stax.Serial(Stax.Dense(4), net);
        Assert.True(calls.Value == 1, $"the innermost layer was validated {calls.Value} times while 41 Serials were built");
        net.ValidateNetwork([3]);
        Assert.True(calls.Value == 2, $"validating the network for a shape took {calls.Value - 1} more validations of the layer");
    }

    [Fact]
    public void Compile_PoolingLayer_DeclaresPositionCovariancesWithItsPath()
    {
        var pooled = Stax.Serial(Stax.Conv(2, (2, 2)), Stax.Relu(), Stax.Serial(Stax.AvgPool((2, 2)), Stax.Flatten()), Stax.Dense(1));
        var plan = KernelPlan.Compile(pooled, [4, 4, 1]);
        Assert.Equal("[2][0]", plan.PositionCovariances?.Path);
        Assert.Equal(SpatialLayout.Full, SpatialProgram.From(plan).Layout);
        var flat = KernelPlan.Compile(Stax.Serial(Stax.Conv(2, (2, 2)), Stax.Relu(), Stax.Flatten(), Stax.Dense(1)), [4, 4, 1]);
        Assert.Null(flat.PositionCovariances);
        Assert.Equal(SpatialLayout.Diagonal, SpatialProgram.From(flat).Layout);
    }

    [Fact]
    public void Compute_VectorsThenFlatten_BothEnginesEqualNetworkWithoutFlatten()
    {
        var withFlatten = Stax.Serial(Stax.Dense(16, 1.3, 0.1), Stax.Relu(), Stax.Flatten(), Stax.Dense(8, 1.1), Stax.Erf(), Stax.Dense(1));
        var without = Stax.Serial(Stax.Dense(16, 1.3, 0.1), Stax.Relu(), Stax.Dense(8, 1.1), Stax.Erf(), Stax.Dense(1));
        var x1 = GpuEngineParityTests.Inputs(7, 5, 21);
        var x2 = GpuEngineParityTests.Inputs(4, 5, 22);
        // Flattening a vector is the identity map, so the kernels are those of the network without it.
        var expected = new KernelFunction(without).Compute(x1, x2);
        foreach (var actual in new[] { new KernelFunction(withFlatten).Compute(x1, x2), new KernelFunction(withFlatten, fixture.Context).Compute(x1, x2) })
        {
            double scale = expected.Nngp!.Enumerate().Max(Math.Abs), nngp = (expected.Nngp - actual.Nngp!).Enumerate().Max(Math.Abs);
            double ntk = (expected.Ntk! - actual.Ntk!).Enumerate().Max(Math.Abs);
            Assert.True(nngp <= 1e-12 * scale && ntk <= 1e-12 * scale, $"NNGP differs by {nngp}, NTK by {ntk} (scale {scale})");
        }
    }

    /// <summary>A pass-through layer that counts how often it is validated.</summary>
    private sealed record Counting(StrongBox<int> Calls) : Layer
    {
        public override string Name => "Counting";

        internal override Branch[] Compose(Branch[] inputs, string path)
        {
            Calls.Value++;
            return [Single(inputs, path)];
        }

        public override string ToString() => "Counting()";
    }
}
