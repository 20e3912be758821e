using MathNet.Numerics.LinearAlgebra;
using ILGPU;
using ILGPU.Runtime;
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

    /// <summary>Float32 on CUDA: the Gram by cuBLAS <c>sgemm</c> (float inputs, float accumulation), the per-entry
    /// program in double, float tiles through the two-stage pipeline; image-like inputs (d = 784, all products
    /// positive, the accumulation's worst case in practice), rectangular and symmetric, several tiles. Same bound as
    /// the ILGPU CPU-accelerator tests (<see cref="GpuFloat32Tests"/>, <see cref="Compute.Gpu.GpuKernelEngine.Float32ErrorBound"/>)
    /// relative to the largest entry, and well above float64 rounding.</summary>
    [CudaFact]
    public void Compute_Float32DeepReluOnCuda_WithinRoundingBoundOfCpuEngine()
    {
        using var context = ComputeContext.Cuda();
        Assert.NotNull(context.Blas); // the sgemm path, not the fallback kernel
        var rng = new Random(5);
        Matrix<double> Images(int n) => DenseMatrix.Create(n, 784, (_, _) => rng.NextDouble());
        var x = Tensor.From(Images(300));
        var y = Tensor.From(Images(170));
        var net = Stax.Serial(Stax.Dense(512, 1.4, 0.1), Stax.Relu(), Stax.Dense(512, 1.4, 0.1), Stax.Relu(), Stax.Dense(512, 1.4, 0.1), Stax.Relu(),
            Stax.Dense(512, 1.4, 0.1), Stax.Relu(), Stax.Dense(512, 1.4, 0.1), Stax.Relu(), Stax.Dense(1));
        double bound = Compute.Gpu.GpuKernelEngine.Float32ErrorBound(net, 784);
        var options = new KernelOptions { Precision = KernelPrecision.Float32, MemoryBudgetBytes = 1 << 20 };
        foreach (var (cpu, gpu) in new[]
        {
            (new KernelFunction(net).Compute(x, y), new KernelFunction(net, context).Compute(x, y, options: options)),
            (new KernelFunction(net).Compute(x), new KernelFunction(net, context).Compute(x, options: options)),
        })
        {
            foreach (var (e, a) in new[] { (cpu.Nngp!, gpu.Nngp!), (cpu.Ntk!, gpu.Ntk!) })
            {
                double err = (e - a).Enumerate().Max(Math.Abs) / e.Enumerate().Max(Math.Abs);
                Assert.InRange(err, 1e-9, bound);
            }
        }
    }

    [CudaFact]
    public void Sgemm_ScaledGramOfFloats_MatchesDoubleProductToFloatRounding()
    {
        using var context = ComputeContext.Cuda();
        var blas = context.Blas!;
        var accelerator = context.Accelerator;
        var rng = new Random(6);
        int n1 = 70, n2 = 50, d = 300;
        var a = new float[n1 * d];
        var b = new float[n2 * d];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble();
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble();
        using var da = accelerator.Allocate1D(a);
        using var db = accelerator.Allocate1D(b);
        using var dc = accelerator.Allocate1D<float>(n1 * n2);
        blas.Sgemm(true, false, n1, n2, d, 1f / d, da.NativePtr, d, db.NativePtr, d, 0f, dc.NativePtr, n1);
        accelerator.Synchronize();
        var c = dc.GetAsArray1D();
        for (int j = 0; j < n2; j++)
        {
            for (int i = 0; i < n1; i++)
            {
                double exact = 0;
                for (int f = 0; f < d; f++) exact += (double)a[i * d + f] * b[j * d + f];
                exact /= d;
                Assert.True(Math.Abs(c[i + j * n1] - exact) <= (2 + 2 * Math.Sqrt(d)) * exact / (1 << 24), $"({i}, {j}): {c[i + j * n1]} vs {exact}");
            }
        }
    }

    [CudaFact]
    public void UseForLinearAlgebra_EigenCholeskyProducts_MatchManagedProvider()
    {
        using var context = ComputeContext.Cuda();
        VerifyDeviceProvider(context, context.Blas!, context.Solver!, context.UseForLinearAlgebra);
    }

    /// <summary><see cref="Compute.Gpu.CudaDenseProvider"/> over <paramref name="blas"/>/<paramref name="solver"/> against
    /// the managed provider: eigendecomposition, GEMM, SYRK, Cholesky factor and solve, an indefinite matrix's info,
    /// and the process-wide scope <paramref name="use"/>.</summary>
    internal static void VerifyDeviceProvider(ComputeContext context, Compute.Gpu.IDeviceGemm blas, Compute.Gpu.IDeviceSolver solver,
        Func<IDisposable> use)
    {
        var b = Random(120, 80, 3);
        var a = b * b.Transpose() + DenseMatrix.CreateIdentity(120);
        var rhs = Random(120, 4, 4);
        var eigenRef = SymmetricEigen.Compute(Backend.ManagedInstance, a);
        var provider = new Compute.Gpu.CudaDenseProvider(context, blas, solver, ["test"]);
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

        using (use())
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
