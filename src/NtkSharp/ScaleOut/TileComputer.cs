using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.ScaleOut;

/// <summary>
/// Computes the NNGP and NTK entries of one <see cref="GramTile"/> on the CPU into row-major memory (a mapped output
/// file, a shard file or a buffer). Created once per run: the self pass (per-input variances, K(x, x), Θ(x, x)) runs in
/// the constructor, then tiles can be computed in any order, on any thread, each with its own workspace.
/// </summary>
internal abstract unsafe class TileComputer
{
    private Layer? _network;
    private Tensor? _x1;
    private Tensor? _x2;

    protected TileComputer(int n1, int n2, bool symmetric, bool wantNtk, double[] nngpDiag, double[] ntkDiag)
    {
        N1 = n1;
        N2 = n2;
        Symmetric = symmetric;
        WantNtk = wantNtk;
        NngpDiagonal = nngpDiag;
        NtkDiagonal = ntkDiag;
    }

    public int N1 { get; }

    public int N2 { get; }

    public bool Symmetric { get; }

    public bool WantNtk { get; }

    /// <summary>K(x1ᵢ, x1ᵢ) from the self pass (the diagonal of a symmetric result).</summary>
    public double[] NngpDiagonal { get; }

    /// <summary>Θ(x1ᵢ, x1ᵢ) from the self pass.</summary>
    public double[] NtkDiagonal { get; }

    /// <summary>Threads the run may use (the spatial engine lowers it to fit the memory budget).</summary>
    public abstract int Threads { get; }

    /// <summary>Runs the self passes of the network's validated kernel plan for the inputs (from
    /// <see cref="KernelFunction.ValidateInputs"/>).</summary>
    public static TileComputer Create(KernelPlan kernelPlan, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        CancellationToken ct)
    {
        bool wantNtk = (outputs & KernelOutputs.Ntk) != 0;
        var plan = CpuKernelEngine.Plan(kernelPlan, x1, x2);
        TileComputer computer = plan.Fc is { } program
            ? new FcTileComputer(program, x1, x2, wantNtk, options, ct)
            : new SpatialTileComputer(plan.Spatial!, plan.X1, plan.X2, wantNtk, options, ct);
        computer._network = kernelPlan.Network;
        computer._x1 = x1;
        computer._x2 = x2;
        return computer;
    }

    /// <summary>Throws when the computed tile holds a NaN or ±∞ (an overflowing kernel), naming the scale
    /// (<see cref="KernelChecks.NonFinite"/>), so that no non-finite value is ever written silently.</summary>
    public void CheckFinite(GramTile tile, double* nngp, double* ntk, int ld)
    {
        for (int i = 0; i < tile.Height; i++)
        {
            for (int j = 0; j < tile.Width; j++)
            {
                double k = nngp[(long)i * ld + j];
                if (!double.IsFinite(k)) throw KernelChecks.NonFinite("NNGP", tile.Row0 + i, tile.Col0 + j, k, _network!, _x1!, _x2);
                if (!WantNtk) continue;
                double t = ntk[(long)i * ld + j];
                if (!double.IsFinite(t)) throw KernelChecks.NonFinite("NTK", tile.Row0 + i, tile.Col0 + j, t, _network!, _x1!, _x2);
            }
        }
    }

    /// <summary>Called on one thread before the tiles of band <paramref name="band"/> (rows of tile row
    /// <paramref name="band"/>) with columns in [<paramref name="col0"/>, <paramref name="col1"/>) are computed: a chance
    /// to compute what those tiles share.</summary>
    public virtual void BeginBand(GramTiling grid, int band, int col0, int col1)
    {
    }

    /// <summary>A per-thread workspace for <see cref="Compute"/>.</summary>
    public abstract object NewWorkspace();

    /// <summary>Returns a workspace when its thread is done with it.</summary>
    public virtual void Return(object workspace)
    {
    }

    /// <summary>Writes the tile's NNGP entries at <paramref name="nngp"/> and, when the NTK is wanted, its NTK entries at
    /// <paramref name="ntk"/>: entry (i, j) of the tile at [i·ldc + j]. A diagonal tile of a symmetric matrix is written
    /// whole: the self-pass values on its diagonal and the mirror image of its upper triangle below.</summary>
    public void Compute(GramTile tile, double* nngp, double* ntk, long ldc, object workspace)
    {
        ComputeEntries(tile, nngp, ntk, ldc, workspace);
        if (!(Symmetric && tile.IsDiagonal)) return;
        int h = tile.Height;
        for (int i = 0; i < h; i++)
        {
            nngp[i * ldc + i] = NngpDiagonal[tile.Row0 + i];
            if (WantNtk) ntk[i * ldc + i] = NtkDiagonal[tile.Row0 + i];
            for (int j = 0; j < i; j++)
            {
                nngp[i * ldc + j] = nngp[j * ldc + i];
                if (WantNtk) ntk[i * ldc + j] = ntk[j * ldc + i];
            }
        }
    }

    /// <summary>Writes the entries (i, j) of the tile, only j &gt; i on a diagonal tile of a symmetric matrix.</summary>
    protected abstract void ComputeEntries(GramTile tile, double* nngp, double* ntk, long ldc, object workspace);
}
