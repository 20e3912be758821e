using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>Tests on a real NVIDIA GPU (skipped without one): the CUDA engine against the CPU engine, and the
/// cuSOLVER/cuBLAS provider against MathNet's managed linear algebra.</summary>
[Collection(nameof(LinearAlgebraBackendCollection))]
public class CudaTests
{
    private static Matrix<double> Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        return DenseMatrix.Create(rows, cols, (_, _) => rng.NextDouble() * 2 - 1);
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double rtol)
    {
        double scale = expected.Enumerate().Max(Math.Abs);
        double err = (expected - actual).Enumerate().Max(Math.Abs);
        Assert.True(err <= rtol * scale, $"max |Δ| = {err:E3} > {rtol:E0}·{scale:E3}");
    }

    [CudaFact]
    public void Compute_DeepReluAndErfMlpOnCuda_MatchesCpuEngine()
    {
        using var context = ComputeContext.Cuda();
        Assert.Contains("CUDA device", context.Describe());
        var x = Tensor.From(Random(300, 50, 1));
        var y = Tensor.From(Random(170, 50, 2));
        foreach (var net in new Layer[]
        {
            Stax.Serial(Stax.Dense(512, 1.4, 0.1), Stax.Relu(), Stax.Dense(512, 1.4, 0.1), Stax.Relu(), Stax.Dense(512, 1.4, 0.1), Stax.Relu(), Stax.Dense(1)),
            Stax.Serial(Stax.Dense(64, 1.2, 0.2, Parameterization.Standard), Stax.Erf(), Stax.Dense(1, 1.0, 0.0, Parameterization.Standard)),
        })
        {
            var cpu = new KernelFunction(net).Compute(x, y);
            var gpu = new KernelFunction(net, context).Compute(x, y, options: new KernelOptions { MemoryBudgetBytes = 1 << 20 });
            AssertClose(cpu.Nngp!, gpu.Nngp!, 1e-12);
            AssertClose(cpu.Ntk!, gpu.Ntk!, 1e-12);
            var cpuSym = new KernelFunction(net).Compute(x);
            var gpuSym = new KernelFunction(net, context).Compute(x);
            AssertClose(cpuSym.Ntk!, gpuSym.Ntk!, 1e-12);
        }
    }

    [CudaFact]
    public void UseForLinearAlgebra_EigenCholeskyProducts_MatchManagedProvider()
    {
        using var context = ComputeContext.Cuda();
        var b = Random(120, 80, 3);
        var a = b * b.Transpose() + DenseMatrix.CreateIdentity(120);
        var rhs = Random(120, 4, 4);
        var eigenRef = SymmetricEigen.Compute(Backend.ManagedInstance, a);
        var provider = new Compute.Gpu.CudaDenseProvider(context, context.Blas!, context.Solver!);
        var eigen = SymmetricEigen.Compute(provider, a);
        Assert.True((eigen.EigenValues - eigenRef.EigenValues).AbsoluteMaximum() <= 1e-11 * eigenRef.EigenValues.AbsoluteMaximum());
        AssertClose(a, eigen.Reconstruct(), 1e-12);
        AssertClose(DenseMatrix.CreateIdentity(120), eigen.EigenVectors.TransposeThisAndMultiply(eigen.EigenVectors), 1e-12);

        var bt = new double[120 * 120];
        provider.Gemm(false, true, 120, 120, 80, 1.0, b.ToColumnMajorArray(), b.ToColumnMajorArray(), 0.0, bt);
        AssertClose(b * b.Transpose(), new DenseMatrix(120, 120, bt), 1e-13);
        var syrk = new double[80 * 80];
        provider.SyrkTransposed(80, 120, 1.0, b.ToColumnMajorArray(), 0.0, syrk);
        var btb = b.TransposeThisAndMultiply(b);
        for (int j = 0; j < 80; j++)
            for (int i = 0; i <= j; i++) Assert.Equal(btb[i, j], syrk[i + j * 80], 1e-12);

        var l = a.ToColumnMajorArray();
        Assert.Equal(0, provider.CholeskyFactor(120, l));
        var lower = new DenseMatrix(120, 120, l);
        Assert.Equal(0.0, lower.UpperTriangle().Enumerate().Where((_, k) => k % 121 != 0).Sum());
        AssertClose(a, lower * lower.Transpose(), 1e-13);
        var x = rhs.ToColumnMajorArray();
        provider.CholeskySolve(120, l, 4, x);
        AssertClose(a.Solve(rhs), new DenseMatrix(120, 4, x), 1e-10);
        var indefinite = (-a).ToColumnMajorArray();
        Assert.Equal(1, provider.CholeskyFactor(120, indefinite));

        using (context.UseForLinearAlgebra())
        {
            Assert.Equal(BackendKind.Cuda, Backend.Active);
            AssertClose(eigenRef.Reconstruct(), SymmetricEigen.Compute(a).Reconstruct(), 1e-12);
        }
        Assert.NotEqual(BackendKind.Cuda, Backend.Active);
    }
}

/// <summary>Tests that switch the process-wide linear algebra backend run one at a time.</summary>
[CollectionDefinition(nameof(LinearAlgebraBackendCollection), DisableParallelization = true)]
public sealed class LinearAlgebraBackendCollection;
