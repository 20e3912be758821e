using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Cpu;

/// <summary>
/// The CPU engine for images and signals: a <see cref="SpatialProgram"/> runs on one pair of inputs at a time in a
/// per-thread <see cref="SpatialWorkspace"/> (O(P) or O(P²) doubles), so memory never grows with N1·N2·P².
/// Pairs are grouped in square tiles of the (N1, N2) grid, the unit of scheduling, progress and cancellation; only tiles
/// on or above the diagonal are computed when x2 is absent.
/// </summary>
/// <remarks>
/// Memory held: threads × workspace + the recorded diagonal variances (N1 + N2)·Σ_slots P·8 bytes, kept within
/// <see cref="KernelOptions.MemoryBudgetBytes"/> by lowering the number of threads; the result matrices are not counted.
/// </remarks>
internal static class CpuSpatialEngine
{
    /// <summary>Work (tensor entries × steps) a tile aims at, so that progress and cancellation stay responsive.</summary>
    private const double TileWork = 1 << 24;

    public static KernelResult Compute(SpatialProgram program, Tensor x1, Tensor? x2, KernelOutputs outputs,
        KernelOptions options, IProgress<KernelProgress>? progress, CancellationToken ct)
    {
        int n1 = x1.Count, n2 = x2?.Count ?? n1;
        bool sym = x2 is null;
        bool wantNtk = (outputs & KernelOutputs.Ntk) != 0;
        int slots = program.SlotTotal;

        int threads = Threads(program, n1 + (sym ? 0 : n2), options);
        var po = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = threads };
        var pool = new ConcurrentBag<SpatialWorkspace>();

        var (var1, nngpDiag1, ntkDiag1) = SelfPass(program, x1, po, pool);
        var (var2, nngpDiag2, ntkDiag2) = sym ? (var1, nngpDiag1, ntkDiag1) : SelfPass(program, x2!, po, pool);

        double pairWork = (double)program.MaxSize * Math.Max(1, program.Code.Length);
        int side = (int)Math.Clamp(Math.Sqrt(TileWork / pairWork), 1, 128);
        int tb1 = (n1 + side - 1) / side, tb2 = (n2 + side - 1) / side;
        var tiles = new List<(int I0, int J0)>();
        for (int bj = 0; bj < tb2; bj++)
        {
            for (int bi = 0; bi < (sym ? bj + 1 : tb1); bi++) tiles.Add((bi * side, bj * side));
        }

        var nngp = new double[(long)n1 * n2];
        var ntk = wantNtk ? new double[(long)n1 * n2] : null;
        int e1 = x1.ExampleSize;
        var d1 = x1.Data;
        var d2 = (x2 ?? x1).Data;
        long done = 0;
        Parallel.For(0, tiles.Count, po, () => Rent(pool, program), (ti, _, ws) =>
        {
            var (i0, j0) = tiles[ti];
            int i1 = Math.Min(n1, i0 + side), j1 = Math.Min(n2, j0 + side);
            for (int j = j0; j < j1; j++)
            {
                var xj = new ReadOnlySpan<double>(d2, j * e1, e1);
                var vj = new ReadOnlySpan<double>(var2, j * slots, slots);
                int iEnd = sym ? Math.Min(i1, j + 1) : i1;
                for (int i = i0; i < iEnd; i++)
                {
                    program.Run(ws, new ReadOnlySpan<double>(d1, i * e1, e1), xj, new ReadOnlySpan<double>(var1, i * slots, slots), vj,
                        default, wantNtk, out double kv, out double tv);
                    long at = i + (long)j * n1;
                    nngp[at] = kv;
                    if (ntk is not null) ntk[at] = tv;
                }
            }
            if (progress is not null) progress.Report(new KernelProgress(Interlocked.Increment(ref done), tiles.Count));
            return ws;
        }, pool.Add);

        if (sym) CpuKernelEngine.CompleteSymmetric(nngp, ntk, n1, nngpDiag1, ntkDiag1, po);
        return KernelResult.FromColumnMajor(n1, n2, nngp, ntk, outputs, nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2, sym);
    }

    /// <summary>The threads whose workspaces, with the recorded variances of <paramref name="inputs"/> inputs, fit
    /// <see cref="KernelOptions.MemoryBudgetBytes"/>; throws naming the budget when not even one does.</summary>
    internal static int Threads(SpatialProgram program, int inputs, KernelOptions options)
    {
        long varBytes = 8L * program.SlotTotal * inputs;
        long wsBytes = SpatialWorkspace.Bytes(program);
        long budget = options.BudgetOr();
        int threads = (int)Math.Min(options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, (budget - varBytes) / wsBytes);
        if (threads < 1)
            throw new ArgumentException(
                $"The memory budget ({budget} bytes) is below the {varBytes + wsBytes} bytes this kernel needs at least: {varBytes} for the recorded variances of {inputs} inputs and {wsBytes} for one pair's {program.Layout} spatial covariances; raise KernelOptions.MemoryBudgetBytes.",
                nameof(options));
        return threads;
    }

    internal static SpatialWorkspace Rent(ConcurrentBag<SpatialWorkspace> pool, SpatialProgram program) =>
        pool.TryTake(out var ws) ? ws : new SpatialWorkspace(program);

    /// <summary>Runs every self pair (x, x): the recorded diagonal variances of each nonlinearity, K(x, x) and Θ(x, x).</summary>
    internal static (double[] Var, Vector<double> Nngp, Vector<double> Ntk) SelfPass(SpatialProgram program, Tensor x,
        ParallelOptions po, ConcurrentBag<SpatialWorkspace> pool)
    {
        int n = x.Count, e = x.ExampleSize, slots = program.SlotTotal;
        var variances = new double[Math.Max(1, n * slots)];
        var kd = new double[n];
        var td = new double[n];
        Parallel.For(0, n, po, () => Rent(pool, program), (i, _, ws) =>
        {
            var xi = new ReadOnlySpan<double>(x.Data, i * e, e);
            var rec = variances.AsSpan(i * slots, slots);
            program.Run(ws, xi, xi, rec, rec, rec, true, out kd[i], out td[i], self: true);
            return ws;
        }, pool.Add);
        program.Limits.Check(variances, slots);
        return (variances, Vector<double>.Build.Dense(kd), Vector<double>.Build.Dense(td));
    }
}
