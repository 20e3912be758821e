using ILGPU;

namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// The ILGPU batched GEMM used when cuBLAS is not available (and always on ILGPU's CPU accelerator): for every batch
/// entry b, C_b = α·op(A_b)·op(B_b) + β·C_b on row-major matrices, A_b at b·StrideA and so on (a stride of 0 shares one
/// matrix among all entries). One thread group of edge <see cref="TileSize"/> computes a square tile of one C_b,
/// staging TileSize × TileSize blocks of op(A) and op(B) through shared memory (as <see cref="GpuKernels.GramTile"/>).
/// </summary>
internal static class BatchedGemmKernel
{
    /// <summary>Edge of the square thread groups and shared-memory tiles (smaller where the accelerator's groups are).</summary>
    public const int TileSize = 16;

    /// <summary>One tile of one batch entry: grid (⌈M/T⌉, ⌈N/T⌉, batch), groups (T, T, 1). The rows (examples ×
    /// positions, the large dimension) go on grid X, whose CUDA limit is 2³¹ − 1 (Y and Z allow 65,535).</summary>
    public static void Gemm(GemmShape s, ArrayView<double> a, ArrayView<double> b, ArrayView<double> c)
    {
        var ta = SharedMemory.Allocate<double>(TileSize * TileSize);
        var tb = SharedMemory.Allocate<double>(TileSize * TileSize);
        int ts = Group.DimX;
        int tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxX * ts + ty, col = Grid.IdxY * ts + tx;
        long entry = Grid.IdxZ;
        long aBase = entry * s.StrideA, bBase = entry * s.StrideB, cBase = entry * s.StrideC;
        double acc = 0.0;
        for (int p0 = 0; p0 < s.K; p0 += ts)
        {
            int pa = p0 + tx, pb = p0 + ty;
            double av = 0.0, bv = 0.0;
            if (row < s.M && pa < s.K) av = s.TransA != 0 ? a[aBase + (long)pa * s.Lda + row] : a[aBase + (long)row * s.Lda + pa];
            if (col < s.N && pb < s.K) bv = s.TransB != 0 ? b[bBase + (long)col * s.Ldb + pb] : b[bBase + (long)pb * s.Ldb + col];
            ta[ty * ts + tx] = av;
            tb[ty * ts + tx] = bv;
            Group.Barrier();
            for (int kk = 0; kk < ts; kk++) acc += ta[ty * ts + kk] * tb[kk * ts + tx];
            Group.Barrier();
        }
        if (row < s.M && col < s.N)
        {
            long ci = cBase + (long)row * s.Ldc + col;
            c[ci] = s.Beta == 0.0 ? s.Alpha * acc : s.Alpha * acc + s.Beta * c[ci];
        }
    }
}

/// <summary>The shape of a row-major batched GEMM C_b = α·op(A_b)·op(B_b) + β·C_b (a kernel argument): op(A) is M × K,
/// op(B) K × N, C M × N; non-zero TransA/TransB transpose the stored matrix; β = 0 does not read C.</summary>
internal readonly record struct GemmShape(int M, int N, int K, int TransA, int TransB, int Lda, int Ldb, int Ldc,
    long StrideA, long StrideB, long StrideC, double Alpha, double Beta);
