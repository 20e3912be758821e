using ILGPU.Runtime;
using NtkSharp.Compute;
using NtkSharp.Compute.Gpu.Ensembles;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>The GPU ensemble's row-major batched GEMM against a triple loop: every transposition case, ragged sizes
/// (not multiples of the tile edge), a shared operand (member stride 0), offsets inside the buffers, β = 0 (C not read,
/// so NaN garbage must not leak) and β ≠ 0.</summary>
public class BatchedGemmTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Run_IlgpuKernel_MatchesTripleLoop(bool transA, bool transB)
    {
        var context = fixture.Context;
        Check(context, new BatchedGemm(context.Kernels.Ensemble, null), transA, transB);
    }

    [CudaFact]
    public void Run_Cublas_MatchesTripleLoop()
    {
        using var context = ComputeContext.Cuda();
        Assert.NotNull(context.Blas);
        var gemm = new BatchedGemm(context.Kernels.Ensemble, context.Blas);
        Assert.True(gemm.UsesCublas);
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true }) Check(context, gemm, ta, tb);
        }
    }

    /// <summary>M = 3 members, C (19 × 21) = α·op(A)·op(B) + β·C with K = 37; A shared by all members when
    /// <paramref name="transA"/> is false.</summary>
    internal static void Check(ComputeContext context, BatchedGemm gemm, bool transA, bool transB)
    {
        const int members = 3, m = 19, n = 21, k = 37, offA = 5, offB = 3, offC = 7;
        var rng = new Random((transA ? 1 : 2) + (transB ? 10 : 0));
        int lda = transA ? m + 2 : k + 1, ldb = transB ? k + 3 : n, ldc = n + 1;
        int aRows = transA ? k : m, bRows = transB ? n : k;
        long strideA = transA ? (long)aRows * lda : 0, strideB = (long)bRows * ldb + 4, strideC = (long)m * ldc + 2;
        var a = Random(rng, offA + (transA ? members * strideA : aRows * lda));
        var b = Random(rng, offB + members * strideB);
        foreach (double beta in new[] { 0.0, 0.75 })
        {
            var c = Random(rng, offC + members * strideC);
            if (beta == 0.0)
            {
                for (int i = 0; i < c.Length; i++) c[i] = double.NaN;
            }
            var expected = (double[])c.Clone();
            const double alpha = 1.3;
            for (int mm = 0; mm < members; mm++)
            {
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int p = 0; p < k; p++)
                        {
                            double av = transA ? a[offA + mm * strideA + (long)p * lda + i] : a[offA + mm * strideA + (long)i * lda + p];
                            double bv = transB ? b[offB + mm * strideB + (long)j * ldb + p] : b[offB + mm * strideB + (long)p * ldb + j];
                            s += av * bv;
                        }
                        long ci = offC + mm * strideC + (long)i * ldc + j;
                        expected[ci] = beta == 0.0 ? alpha * s : alpha * s + beta * c[ci];
                    }
                }
            }
            var actual = new double[c.Length];
            lock (context.Gate)
            {
                var acc = context.Accelerator;
                using var da = acc.Allocate1D(a);
                using var db = acc.Allocate1D(b);
                using var dc = acc.Allocate1D(c);
                gemm.Run(members, transA, transB, m, n, k, alpha, new MemberBatch(da, offA, strideA), lda, new MemberBatch(db, offB, strideB), ldb,
                    beta, new MemberBatch(dc, offC, strideC), ldc);
                acc.Synchronize();
                dc.View.CopyToCPU(actual);
            }
            for (int i = 0; i < c.Length; i++)
            {
                if (double.IsNaN(expected[i])) Assert.True(double.IsNaN(actual[i]), $"entry {i} outside C was written");
                else Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-13 * (1 + Math.Abs(expected[i])), $"entry {i}: {actual[i]:R} vs {expected[i]:R} (β = {beta})");
            }
        }
    }

    private static double[] Random(Random rng, long length)
    {
        var v = new double[length];
        for (long i = 0; i < length; i++) v[i] = rng.NextDouble() * 2 - 1;
        return v;
    }
}
