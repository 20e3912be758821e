using System.Collections.Concurrent;
using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;

namespace NtkSharp.ScaleOut;

/// <summary>Tiles of a network with convolutions or pooling: <see cref="SpatialProgram.Run"/> on each pair of the tile,
/// as the CPU spatial engine does, with per-thread workspaces kept within the memory budget.</summary>
internal sealed unsafe class SpatialTileComputer : TileComputer
{
    private readonly SpatialProgram _program;
    private readonly double[] _x1;
    private readonly double[] _x2;
    private readonly int _e;
    private readonly double[] _var1;
    private readonly double[] _var2;
    private readonly int _threads;
    private readonly ConcurrentBag<SpatialWorkspace> _pool;

    public SpatialTileComputer(SpatialProgram program, Tensor x1, Tensor? x2, bool wantNtk, KernelOptions options, CancellationToken ct)
        : this(program, x1, x2, wantNtk, Prepare(program, x1, x2, options, ct))
    {
    }

    private SpatialTileComputer(SpatialProgram program, Tensor x1, Tensor? x2, bool wantNtk,
        (int Threads, ConcurrentBag<SpatialWorkspace> Pool, double[] Var1, double[] Var2, double[] K, double[] T) p)
        : base(x1.Count, x2?.Count ?? x1.Count, x2 is null, wantNtk, p.K, p.T)
    {
        _program = program;
        _x1 = x1.Data;
        _x2 = (x2 ?? x1).Data;
        _e = x1.ExampleSize;
        _var1 = p.Var1;
        _var2 = p.Var2;
        _threads = p.Threads;
        _pool = p.Pool;
    }

    public override int Threads => _threads;

    private static (int, ConcurrentBag<SpatialWorkspace>, double[], double[], double[], double[]) Prepare(SpatialProgram program,
        Tensor x1, Tensor? x2, KernelOptions options, CancellationToken ct)
    {
        int threads = CpuSpatialEngine.Threads(program, x1.Count + (x2?.Count ?? 0), options);
        var po = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = threads };
        var pool = new ConcurrentBag<SpatialWorkspace>();
        var (var1, k1, t1) = CpuSpatialEngine.SelfPass(program, x1, po, pool);
        var var2 = x2 is null ? var1 : CpuSpatialEngine.SelfPass(program, x2, po, pool).Var;
        return (threads, pool, var1, var2, k1.ToArray(), t1.ToArray());
    }

    public override object NewWorkspace() => CpuSpatialEngine.Rent(_pool, _program);

    public override void Return(object workspace) => _pool.Add((SpatialWorkspace)workspace);

    protected override void ComputeEntries(GramTile tile, double* nngp, double* ntk, long ldc, object workspace)
    {
        var ws = (SpatialWorkspace)workspace;
        int slots = _program.SlotTotal;
        bool diagonal = Symmetric && tile.IsDiagonal;
        for (int i = tile.Row0; i < tile.Row1; i++)
        {
            var xi = new ReadOnlySpan<double>(_x1, i * _e, _e);
            var vi = new ReadOnlySpan<double>(_var1, i * slots, slots);
            long row = (i - tile.Row0) * ldc;
            for (int j = diagonal ? i + 1 : tile.Col0; j < tile.Col1; j++)
            {
                _program.Run(ws, xi, new ReadOnlySpan<double>(_x2, j * _e, _e), vi, new ReadOnlySpan<double>(_var2, j * slots, slots),
                    default, WantNtk, out double kv, out double tv);
                nngp[row + j - tile.Col0] = kv;
                if (WantNtk) ntk[row + j - tile.Col0] = tv;
            }
        }
    }
}
