using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Tests.Gpu;
using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>The GPU engine on ILGPU's CPU accelerator against the CPU engine to 1e-12 (relative to the largest entry)
/// for every catalogue layer with a device body, fully connected (fused FC program) and convolutional (spatial
/// interpreters); the quadrature layers have their own parity tests (<see cref="QuadratureGpuParityTests"/>).</summary>
public class CatalogueGpuParityTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private const double Tolerance = 1e-12;

    public static TheoryData<int> DeviceIndices() => [.. Enumerable.Range(0, CatalogueLayers.Device.Length)];

    [Theory]
    [MemberData(nameof(DeviceIndices))]
    public void Compute_FcAndConvOnIlgpuCpu_MatchesCpuEngine(int index)
    {
        var act = CatalogueLayers.Device[index];
        var fc = Stax.Serial(Stax.Dense(16, 0.9, 0.1), act, Stax.Dense(16, 0.8, 0.1, Parameterization.Standard), Stax.Erf(), Stax.Dense(1));
        var x = GpuEngineParityTests.Inputs(7, 5, 3 + index);
        var y = GpuEngineParityTests.Inputs(4, 5, 40 + index);
        Close(new KernelFunction(fc).Compute(x, y), new KernelFunction(fc, fixture.Context).Compute(x, y), act.ToString());
        Close(new KernelFunction(fc).Compute(x), new KernelFunction(fc, fixture.Context).Compute(x), act.ToString());

        var conv = Stax.Serial(Stax.Conv(2, (2, 2), padding: Padding.Same, wStd: 0.9, bStd: 0.1), act,
            Stax.AvgPool((2, 2)), Stax.Conv(2, (1, 1)), Stax.Relu(), Stax.GlobalAvgPool(), Stax.Dense(1));
        var xi = new Tensor(GpuEngineParityTests.Inputs(4, 3 * 3 * 2, 60 + index).Data, 4, 3, 3, 2);
        Close(new KernelFunction(conv).Compute(xi), new KernelFunction(conv, fixture.Context).Compute(xi), act + " (conv)");
    }

    private static void Close(KernelResult expected, KernelResult actual, string what)
    {
        foreach (var (e, a) in new[] { (expected.Nngp!, actual.Nngp!), (expected.Ntk!, actual.Ntk!) })
        {
            double scale = e.Enumerate().Max(Math.Abs);
            double worst = 0;
            for (int i = 0; i < e.RowCount; i++)
            {
                for (int j = 0; j < e.ColumnCount; j++) worst = Math.Max(worst, Math.Abs(e[i, j] - a[i, j]) / scale);
            }
            Assert.True(worst <= Tolerance, $"{what}: GPU vs CPU relative difference {worst:E2}");
        }
    }
}
