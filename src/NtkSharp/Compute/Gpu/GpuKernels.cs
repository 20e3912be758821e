using ILGPU;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The device kernels of the GPU engine: static methods over <see cref="ArrayView{T}"/>s, compiled by ILGPU once per
/// <see cref="ComputeContext"/> (see <see cref="GpuKernelSet"/>). The per-entry math is not written here: the kernels
/// interpret the <see cref="FcInstruction"/> program through <see cref="FcProgram.Step"/>, which calls
/// the activation registry's device dispatch (<see cref="DeviceActivations"/>), as the CPU engine's scalar paths do.
/// </summary>
internal static class GpuKernels
{
    /// <summary>Registers a per-entry program may use on the device (per-thread local memory).</summary>
    public const int MaxRegisters = 32;

    /// <summary>Edge of the square thread groups and shared-memory tiles of <see cref="GramTile"/>.</summary>
    public const int GramTileSize = 16;

    /// <summary>
    /// The self pass for example i = <paramref name="index"/>: K⁽⁰⁾(x, x) = x·x/d, then the program with every slot recording the
    /// pre-activation variance K(x, x) into <paramref name="variances"/>[i·slots + slot]; writes K(x, x) and Θ(x, x).
    /// A quadrature activation first writes the coefficient record of that variance to <paramref name="coeffs"/> (see
    /// <see cref="QuadratureArgs"/>), from which its own and the tile pass's duals are computed.
    /// Not for programs with a LayerNorm (<see cref="FcProgram.NeedsMeans"/>), whose self pass runs on the host.
    /// </summary>
    public static void SelfPass(Index1D index, ArrayView<double> x, int d, ArrayView<FcInstruction> code, int slots,
        ArrayView<double> variances, ArrayView<double> nngpDiag, ArrayView<double> ntkDiag, ArrayView<double> coeffs,
        QuadratureArgs quad)
    {
        int i = index;
        long row = (long)i * d;
        double dot = 0.0;
        for (int c = 0; c < d; c++)
        {
            double v = x[row + c];
            dot += v * v;
        }
        var k = LocalMemory.Allocate<double>(MaxRegisters);
        var t = LocalMemory.Allocate<double>(MaxRegisters);
        k[0] = dot / d;
        t[0] = 0.0;
        long vbase = (long)i * slots;
        for (int pc = 0; pc < code.IntLength; pc++)
        {
            FcInstruction ins = code[pc];
            int r = ins.Reg;
            double v = 0.0;
            if (ins.Slot >= 0)
            {
                v = k[r];
                variances[vbase + ins.Slot] = v;
            }
            if (ins.Coeff >= 0)
            {
                var store = new ViewCoefficients(coeffs);
                long at = quad.At(i, ins.Coeff);
                QuadratureSteps.Prepare(ins.Activation, v, quad.Degree, store, at);
                QuadratureSteps.Dual(ins.Activation, quad.Degree, store, at, store, at, v, k[r], v, out double tv, out double td);
                k[r] = tv;
                t[r] *= td;
                continue;
            }
            FcProgram.Step(ins, ref k[r], ref t[r], k[ins.Src], t[ins.Src], v, v, true);
        }
        nngpDiag[i] = k[0];
        ntkDiag[i] = t[0];
    }

    /// <summary>
    /// The fused per-entry pass over one tile: entry e = il + jl·Rows (column-major, leading dimension
    /// <see cref="TileGeometry.Rows"/>) of pair (I0 + il, J0 + jl) holds the input Gram value on entry and K on exit;
    /// Θ goes to <paramref name="ntk"/> when <see cref="TileGeometry.WantNtk"/> is non-zero. With
    /// <see cref="TileGeometry.UpperOnly"/> non-zero, entries below the diagonal (i &gt; j) are skipped (they are mirrored
    /// on the host). The tiles are stored as <typeparamref name="T"/> (<typeparamref name="TStorage"/>: double or
    /// float); the program runs in double precision between the widening load and the narrowing store, and the
    /// variances are always double. Quadrature activations read the self pass's coefficient records of both examples
    /// (<paramref name="coeff1"/>, <paramref name="coeff2"/>).
    /// </summary>
    public static void FcTile<T, TStorage>(Index1D e, ArrayView<FcInstruction> code, int slots, ArrayView<double> var1,
        ArrayView<double> var2, TileGeometry tile, double entryScale, ArrayView<T> nngp, ArrayView<T> ntk,
        ArrayView<double> coeff1, ArrayView<double> coeff2, QuadratureArgs quad)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        int il = e % tile.Rows, jl = e / tile.Rows;
        if (jl >= tile.Cols) return;
        int i = tile.I0 + il, j = tile.J0 + jl;
        if (tile.UpperOnly != 0 && i > j) return;
        TStorage storage = default;
        var k = LocalMemory.Allocate<double>(MaxRegisters);
        var t = LocalMemory.Allocate<double>(MaxRegisters);
        k[0] = entryScale * storage.Widen(nngp[e]);
        t[0] = 0.0;
        long v1 = (long)i * slots, v2 = (long)j * slots;
        for (int pc = 0; pc < code.IntLength; pc++)
        {
            FcInstruction ins = code[pc];
            int r = ins.Reg;
            double c11 = 0.0, c22 = 0.0;
            if (ins.Slot >= 0)
            {
                c11 = var1[v1 + ins.Slot];
                c22 = var2[v2 + ins.Slot];
            }
            if (ins.Coeff >= 0)
            {
                QuadratureSteps.Dual(ins.Activation, quad.Degree, new ViewCoefficients(coeff1), quad.At(i, ins.Coeff),
                    new ViewCoefficients(coeff2), quad.At(j, ins.Coeff), c11, k[r], c22, out double tv, out double td);
                k[r] = tv;
                t[r] *= td;
                continue;
            }
            if (ins.Op == FcOpCode.LayerNorm)
                LayerNormMath.Normalize(ref k[r], ref t[r], c11, var1[v1 + ins.Slot + 1], c22, var2[v2 + ins.Slot + 1]);
            else
                FcProgram.Step(ins, ref k[r], ref t[r], k[ins.Src], t[ins.Src], c11, c22, false);
        }
        nngp[e] = storage.Narrow(k[0]);
        if (tile.WantNtk != 0) ntk[e] = storage.Narrow(t[0]);
    }

    /// <summary>
    /// The scaled input Gram of one tile, G[il + jl·rows] = scale·⟨x1[i0 + il], x2[j0 + jl]⟩, for row-major example
    /// matrices of width <paramref name="d"/>: a classic shared-memory tiled GEMM with
    /// square thread groups of edge <see cref="GramTileSize"/> (or less where the accelerator's groups are smaller), with
    /// coalesced loads along the feature axis and coalesced column-major stores. The products accumulate in the stored
    /// format <typeparamref name="T"/>, as cuBLAS <c>dgemm</c>/<c>sgemm</c> do; the scale is applied in double before
    /// the final rounding. Used when cuBLAS is not available (and always on the CPU accelerator).
    /// </summary>
    public static void GramTile<T, TStorage>(ArrayView<T> x1, ArrayView<T> x2, int d, double scale, TileGeometry tile,
        ArrayView<T> gram)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        TStorage storage = default;
        var a = SharedMemory.Allocate<T>(GramTileSize * GramTileSize);
        var b = SharedMemory.Allocate<T>(GramTileSize * GramTileSize);
        int ts = Group.DimX; // GramTileSize on GPUs; smaller where groups are small (ILGPU's CPU accelerator)
        int tx = Group.IdxX, ty = Group.IdxY;
        int rowBase = Grid.IdxX * ts, colBase = Grid.IdxY * ts;
        int loadRow = rowBase + ty, loadCol = colBase + ty;
        long aRow = (long)(tile.I0 + loadRow) * d, bRow = (long)(tile.J0 + loadCol) * d;
        T zero = default;
        T acc = zero;
        for (int f0 = 0; f0 < d; f0 += ts)
        {
            int f = f0 + tx;
            a[ty * ts + tx] = loadRow < tile.Rows && f < d ? x1[aRow + f] : zero;
            b[ty * ts + tx] = loadCol < tile.Cols && f < d ? x2[bRow + f] : zero;
            Group.Barrier();
            for (int kk = 0; kk < ts; kk++) acc = storage.MultiplyAdd(acc, a[tx * ts + kk], b[ty * ts + kk]);
            Group.Barrier();
        }
        int il = rowBase + tx, jl = colBase + ty;
        if (il < tile.Rows && jl < tile.Cols) gram[il + (long)jl * tile.Rows] = storage.Narrow(scale * storage.Widen(acc));
    }
}

/// <summary>Where a device tile sits in the full N1×N2 result and what to compute in it (a kernel argument).</summary>
/// <param name="I0">First row (example of x1).</param>
/// <param name="J0">First column (example of x2).</param>
/// <param name="Rows">Rows in the tile (its leading dimension).</param>
/// <param name="Cols">Columns in the tile.</param>
/// <param name="UpperOnly">Non-zero: skip entries with i &gt; j (symmetric case).</param>
/// <param name="WantNtk">Non-zero: write Θ.</param>
internal readonly record struct TileGeometry(int I0, int J0, int Rows, int Cols, int UpperOnly, int WantNtk);
