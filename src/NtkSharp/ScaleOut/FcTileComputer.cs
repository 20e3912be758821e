using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;
using NtkSharp.LinearAlgebra;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.ScaleOut;

/// <summary>
/// Tiles of a fully-connected network: the tile's input Gram entries x·x′/d (<see cref="GramTileProduct"/>, the same
/// bits in every tile grid), then the fused per-entry program (<see cref="FcProgram.RunRun"/>) over each row of the tile
/// in place, a run of entries sharing the row's input.
/// </summary>
internal sealed unsafe class FcTileComputer : TileComputer
{
    private readonly FcProgram _program;
    private readonly double[] _x1;
    private readonly double[] _x2;
    private readonly int _d;
    private readonly double[] _var1;
    private readonly double[] _var2SlotMajor;
    private readonly int _threads;
    private double[]? _band;
    private int _bandRow0 = -1, _bandCol0, _bandWidth;

    public FcTileComputer(FcProgram program, Tensor x1, Tensor? x2, bool wantNtk, KernelOptions options, CancellationToken ct)
        : this(program, x1, x2, wantNtk, options.ParallelOptions(ct), SelfPasses(program, x1, x2, options.ParallelOptions(ct)))
    {
    }

    private FcTileComputer(FcProgram program, Tensor x1, Tensor? x2, bool wantNtk, ParallelOptions po,
        (double[] Var1, double[] Var2, double[] NngpDiag, double[] NtkDiag) self)
        : base(x1.Count, x2?.Count ?? x1.Count, x2 is null, wantNtk, self.NngpDiag, self.NtkDiag)
    {
        _program = program;
        _x1 = x1.Data;
        _x2 = (x2 ?? x1).Data;
        _d = x1.ExampleSize;
        _var1 = self.Var1;
        _var2SlotMajor = CpuKernelEngine.SlotMajor(self.Var2, N2, program.Slots);
        _threads = po.MaxDegreeOfParallelism;
    }

    public override int Threads => _threads;

    private static (double[], double[], double[], double[]) SelfPasses(FcProgram program, Tensor x1, Tensor? x2, ParallelOptions po)
    {
        var (var1, k1, t1) = CpuKernelEngine.SelfPass(program, x1, null, po);
        var var2 = x2 is null ? var1 : CpuKernelEngine.SelfPass(program, x2, null, po).Var;
        return (var1, var2, k1.ToArray(), t1.ToArray());
    }

    /// <summary>
    /// With a native BLAS, the input Gram entries of the whole band (its rows × the columns of its tiles) come from one
    /// dgemm on this thread, which BLAS parallelises itself: G = X2[cols]·X1[rows]ᵀ/d written row-major per band row.
    /// BLAS computes each entry as one dot product over the features in a blocking order that depends on d only, so the
    /// entries do not depend on where the band's columns start or end (the shard tests check this bit for bit).
    /// </summary>
    public override void BeginBand(GramTiling grid, int band, int col0, int col1)
    {
        if (Backend.Provider is not NativeProvider blas || _d == 0) return;
        int r0 = band * grid.TileRows, h = Math.Min(N1, r0 + grid.TileRows) - r0, n = col1 - col0;
        long size = (long)h * n;
        if (_band is null || _band.Length < size) _band = LargeArrays.Allocate(size);
        fixed (double* a = _x1)
        fixed (double* b = _x2)
        fixed (double* c = _band)
        {
            blas.Gemm(true, false, n, h, _d, 1.0 / _d, b + (long)col0 * _d, _d, a + (long)r0 * _d, _d, c, n);
        }
        _bandRow0 = r0;
        _bandCol0 = col0;
        _bandWidth = n;
    }

    public override object NewWorkspace() => new double[Math.Max(1, _program.ScratchLength(GramTiling.MaxSide))];

    protected override void ComputeEntries(GramTile tile, double* nngp, double* ntk, long ldc, object workspace)
    {
        var scratch = (double[])workspace;
        int h = tile.Height, w = tile.Width, slots = _program.Slots;
        bool diagonal = Symmetric && tile.IsDiagonal;
        if (_band is not null && tile.Row0 == _bandRow0 && tile.Col0 >= _bandCol0 && tile.Col1 <= _bandCol0 + _bandWidth)
        {
            for (int i = 0; i < h; i++)
                new ReadOnlySpan<double>(_band, i * _bandWidth + tile.Col0 - _bandCol0, w).CopyTo(new Span<double>(nngp + i * ldc, w));
        }
        else
        {
            fixed (double* a = _x1)
            fixed (double* b = _x2)
            {
                GramTileProduct.Compute(a + (long)tile.Row0 * _d, _d, h, b + (long)tile.Col0 * _d, _d, w, _d, 1.0 / _d, nngp, ldc,
                    diagonal ? 1 : null);
            }
        }
        for (int i = 0; i < h; i++)
        {
            int j0 = diagonal ? i + 1 : 0;
            if (j0 >= w) continue;
            var k = new Span<double>(nngp + i * ldc + j0, w - j0);
            var t = WantNtk ? new Span<double>(ntk + i * ldc + j0, w - j0) : default;
            _program.RunRun(k, t, slots == 0 ? default : _var2SlotMajor.AsSpan(tile.Col0 + j0), N2,
                new ReadOnlySpan<double>(_var1, (tile.Row0 + i) * slots, slots), scratch);
        }
    }
}
