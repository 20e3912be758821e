using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.Compute.Cpu;

/// <summary>
/// The multithreaded CPU engine. Fully-connected networks run as a fused per-entry program over the input Gram
/// matrix (every layer of the depth applied to an entry in registers); the input Gram goes through BLAS.
/// </summary>
internal sealed class CpuKernelEngine : IKernelEngine
{
    public static CpuKernelEngine Instance { get; } = new();

    public KernelResult Compute(KernelPlan plan, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        IProgress<KernelProgress>? progress, CancellationToken cancellationToken)
    {
        if (FcProgram.From(plan) is { } program)
            return ComputeFullyConnected(program, x1, x2, outputs, options, progress, cancellationToken);
        return CpuSpatialEngine.Compute(SpatialProgram.From(plan), x1, x2, outputs, options, progress, cancellationToken);
    }

    /// <summary>How the CPU runs <paramref name="plan"/> on these inputs (the out-of-core and sharded tile computers):
    /// the fused fully-connected program when every step of the kernel plan is per entry, else the spatial program;
    /// the same choice as <see cref="Compute"/>.</summary>
    internal static (FcProgram? Fc, SpatialProgram? Spatial, Tensor X1, Tensor? X2) Plan(KernelPlan plan, Tensor x1, Tensor? x2) =>
        FcProgram.From(plan) is { } program ? (program, null, x1, x2) : (null, SpatialProgram.From(plan), x1, x2);

    private static KernelResult ComputeFullyConnected(FcProgram program, Tensor x1, Tensor? x2, KernelOutputs outputs,
        KernelOptions options, IProgress<KernelProgress>? progress, CancellationToken ct)
    {
        int n1 = x1.Count, n2 = x2?.Count ?? n1, d = x1.ExampleSize, slots = program.Slots;
        bool sym = x2 is null;
        var po = options.ParallelOptions(ct);

        var nngp = LargeArrays.Allocate((long)n1 * n2);
        GramMatrix.Compute(x1.Data, n1, x2?.Data, n2, d, 1.0 / d, nngp, po);
        // Symmetric case: the self pass starts from the Gram diagonal itself, so that the diagonal entries see
        // c₁₁ = c₁₂ = c₂₂ bit for bit (θ = 0 exactly) instead of two roundings of |x|²/d.
        var (var1, nngpDiag1, ntkDiag1) = SelfPass(program, x1, sym ? nngp : null, po);
        var (var2, nngpDiag2, ntkDiag2) = sym ? (var1, nngpDiag1, ntkDiag1) : SelfPass(program, x2!, null, po);
        ct.ThrowIfCancellationRequested();
        bool wantNtk = (outputs & KernelOutputs.Ntk) != 0;
        var ntk = wantNtk ? LargeArrays.Allocate((long)n1 * n2) : null;

        var var1T = SlotMajor(var1, n1, slots);
        var nngpDiag = sym ? nngpDiag1.AsArray() ?? nngpDiag1.ToArray() : null;
        var ntkDiag = sym ? ntkDiag1.AsArray() ?? ntkDiag1.ToArray() : null;
        int blocks = (n2 + ColumnBlock - 1) / ColumnBlock;
        long done = 0;
        // Work unit: a block of ColumnBlock columns. Each column runs the program over segments of RunLength rows
        // (rows ≤ j when symmetric); in the symmetric case the block's upper part is then mirrored into the lower
        // triangle while it is still in cache, so no separate transpose pass over the whole matrices is needed.
        Parallel.For(0, blocks, po, () => new double[Math.Max(1, program.ScratchLength(RunLength))], (jb, _, scratch) =>
        {
            int j0 = jb * ColumnBlock, j1 = Math.Min(n2, j0 + ColumnBlock);
            for (int j = j0; j < j1; j++)
            {
                var v2 = new ReadOnlySpan<double>(var2, j * slots, slots);
                int iEnd = sym ? j + 1 : n1;
                int col = checked(j * n1);
                for (int i0 = 0; i0 < iEnd; i0 += RunLength)
                {
                    int len = Math.Min(RunLength, iEnd - i0);
                    program.RunRun(nngp.AsSpan(col + i0, len), ntk is null ? default : ntk.AsSpan(col + i0, len),
                        slots == 0 ? default : var1T.AsSpan(i0), n1, v2, scratch);
                }
                if (sym)
                {
                    // The diagonal is the self pass exactly (the run path's vector atan2 may differ from it by an ulp).
                    nngp[col + j] = nngpDiag![j];
                    if (ntk is not null) ntk[col + j] = ntkDiag![j];
                }
            }
            if (sym)
            {
                MirrorBlock(nngp, n1, j0, j1);
                if (ntk is not null) MirrorBlock(ntk, n1, j0, j1);
            }
            if (progress is not null)
            {
                long c = Interlocked.Add(ref done, j1 - j0);
                progress.Report(new KernelProgress(c, n2));
            }
            return scratch;
        }, _ => { });

        return KernelResult.FromColumnMajor(n1, n2, nngp, ntk, outputs, nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2, sym);
    }

    /// <summary>Entries per run of <see cref="FcProgram.RunRun"/>: a column segment whose registers stay in L1.</summary>
    private const int RunLength = 256;

    /// <summary>Columns per parallel work unit of the fully-connected path.</summary>
    private const int ColumnBlock = 32;

    /// <summary>Copies rows 0 … j1 − 1 of the columns j0 … j1 − 1 of a column-major n×n matrix (upper triangle and
    /// diagonal) onto the transposed positions: column i gets rows j0 … j1 − 1 as contiguous writes, the reads walk the
    /// block's columns in step, which were just written and are still cached.</summary>
    private static void MirrorBlock(double[] a, int n, int j0, int j1)
    {
        for (int i = 0; i < j1; i++)
        {
            long dst = (long)i * n;
            for (int j = Math.Max(j0, i + 1); j < j1; j++) a[dst + j] = a[(long)j * n + i];
        }
    }

    /// <summary>Per-example slot variances (example-major, <paramref name="slots"/> per example) turned slot-major, so
    /// that a run of rows reads each slot's variances contiguously.</summary>
    internal static double[] SlotMajor(double[] variances, int n, int slots)
    {
        var t = new double[Math.Max(1, n * slots)];
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < slots; s++) t[s * n + i] = variances[i * slots + s];
        }
        return t;
    }

    /// <summary>Runs the program on every self pair (x, x): per-slot variances, K(x, x) and Θ(x, x). The input kernel
    /// |x|²/d is read from the diagonal of <paramref name="gram"/> (column-major n×n) when given.</summary>
    internal static (double[] Var, Vector<double> Nngp, Vector<double> Ntk) SelfPass(FcProgram program, Tensor x, double[]? gram,
        ParallelOptions po)
    {
        int n = x.Count, d = x.ExampleSize, slots = program.Slots;
        var variances = new double[Math.Max(1, n * slots)];
        var kd = new double[n];
        var td = new double[n];
        Parallel.For(0, n, po, () => new double[2 * program.Registers], (i, _, regs) =>
        {
            var row = new ReadOnlySpan<double>(x.Data, i * d, d);
            double k0 = gram is null ? GramMatrix.Dot(row, row) / d : gram[(long)i * n + i];
            var rec = variances.AsSpan(i * slots, slots);
            program.Run(k0, rec, rec, rec, regs.AsSpan(0, program.Registers), regs.AsSpan(program.Registers), out kd[i], out td[i], self: true);
            return regs;
        }, _ => { });
        program.Limits.Check(variances, slots);
        return (variances, Vector<double>.Build.Dense(kd), Vector<double>.Build.Dense(td));
    }

    /// <summary>Completes a symmetric result whose upper triangle was computed: the exact self-pass diagonal
    /// (<see cref="SetDiagonal"/>), then the lower triangle mirrored (<see cref="Mirror"/>).</summary>
    internal static void CompleteSymmetric(double[] nngp, double[]? ntk, int n, Vector<double> nngpDiag, Vector<double> ntkDiag,
        ParallelOptions po)
    {
        SetDiagonal(nngp, ntk, nngpDiag, ntkDiag);
        Mirror(nngp, n, po);
        if (ntk is not null) Mirror(ntk, n, po);
    }

    /// <summary>
    /// Writes the self-pass values K(x, x) and Θ(x, x) on the diagonal of the symmetric result. The Gram entry x·x/d
    /// from BLAS and the self pass's x·x/d may differ by a rounding error, and the arc-cosine dual has an infinite
    /// derivative at c₁₂ = √(c₁₁c₂₂): s = √(c₁₁c₂₂ − c₁₂²) turns a 1e-16 relative discrepancy into a 1e-8 one. The self
    /// pass has c₁₂ = c₁₁ = c₂₂ exactly, so its values are the exact diagonal (and agree with the reported variances).
    /// </summary>
    internal static void SetDiagonal(double[] nngp, double[]? ntk, Vector<double> nngpDiag, Vector<double> ntkDiag)
    {
        int n = nngpDiag.Count;
        for (int i = 0; i < n; i++)
        {
            nngp[i + (long)i * n] = nngpDiag[i];
            if (ntk is not null) ntk[i + (long)i * n] = ntkDiag[i];
        }
    }

    /// <summary>Copies the upper triangle of a column-major n×n matrix onto the lower, in cache-sized square tiles.</summary>
    internal static void Mirror(double[] a, int n, ParallelOptions? po = null)
    {
        const int Tile = 64;
        int tiles = (n + Tile - 1) / Tile;
        // Tile row bi holds the lower-triangle tiles (bi, bj ≤ bi) written from the upper tiles (bj, bi).
        Parallel.For(0, tiles, po ?? new ParallelOptions(), bi =>
        {
            int i0 = bi * Tile, i1 = Math.Min(n, i0 + Tile);
            for (int bj = 0; bj <= bi; bj++)
            {
                int j0 = bj * Tile, j1 = Math.Min(n, j0 + Tile);
                for (int j = j0; j < j1; j++)
                {
                    long col = (long)j * n;
                    for (int i = Math.Max(i0, j + 1); i < i1; i++) a[col + i] = a[(long)i * n + j];
                }
            }
        });
    }
}
