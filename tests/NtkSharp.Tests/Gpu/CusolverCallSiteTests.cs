using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute;
using NtkSharp.LinearAlgebra;
using NtkSharp.Prediction;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// <see cref="Compute.Gpu.CudaDenseProvider"/> (the predictors' linear algebra on the GPU) on ILGPU's CPU accelerator,
/// with cuBLAS' and cuSOLVER's conventions emulated on its host-memory buffers (<see cref="ManagedDeviceGemm"/>,
/// <see cref="ManagedDeviceSolver"/>): the same checks as the CUDA test, and a whole predictor inside
/// <c>UseForLinearAlgebra</c> against the native backend.
/// </summary>
[Collection(nameof(LinearAlgebraBackendCollection))]
public sealed class CusolverCallSiteTests : IDisposable
{
    private readonly ComputeContext _context = ComputeContext.IlgpuCpu();
    private readonly ManagedDeviceGemm _gemm;
    private readonly ManagedDeviceSolver _solver;

    public CusolverCallSiteTests()
    {
        _gemm = new ManagedDeviceGemm(_context.Accelerator);
        _solver = new ManagedDeviceSolver(_context.Accelerator);
    }

    public void Dispose() => _context.Dispose();

    [Fact]
    public void CudaDenseProvider_EmulatedVendorRoutines_MatchManagedProvider()
    {
        CudaTests.VerifyDeviceProvider(_context, _gemm, _solver, () => _context.UseForLinearAlgebra(_gemm, _solver, ["emulated"]));
        Assert.True(_gemm.Calls > 0 && _solver.Calls > 0);
    }

    [Fact]
    public void GradientDescentMse_InsideDeviceScope_MatchesNativeBackend()
    {
        var rng = new Random(5);
        var f = Matrix<double>.Build.Dense(60, 30, (_, _) => rng.NextDouble() * 2 - 1);
        var theta = f * f.Transpose() / 30 + Matrix<double>.Build.DenseIdentity(60) * 0.05;
        var g = Matrix<double>.Build.Dense(7, 30, (_, _) => rng.NextDouble() * 2 - 1);
        var thetaTest = g * f.Transpose() / 30;
        var y = Matrix<double>.Build.Dense(60, 3, (_, _) => rng.NextDouble());
        double[] times = [0, 0.5, 10, double.PositiveInfinity];

        var expected = new GradientDescentMse(theta, y).TestMeans(times, thetaTest);
        IReadOnlyList<Matrix<double>> actual;
        using (_context.UseForLinearAlgebra(_gemm, _solver, ["emulated"]))
        {
            Assert.Equal(BackendKind.Cuda, Backend.Active);
            actual = new GradientDescentMse(theta, y).TestMeans(times, thetaTest);
        }

        Assert.NotEqual(BackendKind.Cuda, Backend.Active);
        Assert.True(_solver.Calls > 0, "the cuSOLVER call sites were not taken");
        for (int i = 0; i < times.Length; i++)
        {
            double err = (expected[i] - actual[i]).Enumerate().Max(Math.Abs), scale = expected[i].Enumerate().Max(Math.Abs) + 1e-300;
            Assert.True(err <= 1e-10 * Math.Max(scale, 1e-3), $"t = {times[i]}: max |Δ| = {err:E3}");
        }
    }
}
