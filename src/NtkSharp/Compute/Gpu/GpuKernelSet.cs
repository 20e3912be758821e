using ILGPU;
using ILGPU.Runtime;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// The compiled kernels of one accelerator: each <see cref="GpuKernels"/> method is loaded (compiled by ILGPU) once,
/// when the first computation needs the set, and the launch delegates are reused for every later call.
/// </summary>
internal sealed class GpuKernelSet
{
    public GpuKernelSet(Accelerator accelerator)
    {
        GramGroupEdge = Math.Min(GpuKernels.GramTileSize, (int)Math.Sqrt(accelerator.MaxNumThreadsPerGroup));
        SelfPass = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, int, ArrayView<FcInstruction>, int,
            ArrayView<double>, ArrayView<double>, ArrayView<double>>(GpuKernels.SelfPass);
        FcTile = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<FcInstruction>, int, ArrayView<double>,
            ArrayView<double>, TileGeometry, ArrayView<double>, ArrayView<double>>(GpuKernels.FcTile);
        _spatialPairs = new Lazy<Action<Index1D, ArrayView<SpatialDeviceInstruction>, ArrayView<int>, SpatialArgs, ArrayView<double>,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>>(
            () => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<SpatialDeviceInstruction>, ArrayView<int>, SpatialArgs,
                ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>,
                ArrayView<double>>(GpuSpatialKernels.Pairs));
        _ensemble = new Lazy<Ensembles.EnsembleKernelSet>(() => new Ensembles.EnsembleKernelSet(accelerator));
        GramTile = accelerator.LoadStreamKernel<ArrayView<double>, ArrayView<double>, int, double, TileGeometry,
            ArrayView<double>>(GpuKernels.GramTile);
    }

    private readonly Lazy<Action<Index1D, ArrayView<SpatialDeviceInstruction>, ArrayView<int>, SpatialArgs, ArrayView<double>,
        ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>> _spatialPairs;

    private readonly Lazy<Ensembles.EnsembleKernelSet> _ensemble;

    /// <summary>The GPU ensemble's kernels (compiled on first use).</summary>
    public Ensembles.EnsembleKernelSet Ensemble => _ensemble.Value;

    /// <summary><see cref="GpuSpatialKernels.Pairs"/> over Index1D(pairs) (compiled on first use).</summary>
    public Action<Index1D, ArrayView<SpatialDeviceInstruction>, ArrayView<int>, SpatialArgs, ArrayView<double>, ArrayView<double>,
        ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>> SpatialPairs => _spatialPairs.Value;

    /// <summary><see cref="GpuKernels.SelfPass"/> over Index1D(N).</summary>
    public Action<Index1D, ArrayView<double>, int, ArrayView<FcInstruction>, int, ArrayView<double>, ArrayView<double>,
        ArrayView<double>> SelfPass { get; }

    /// <summary><see cref="GpuKernels.FcTile"/> over Index1D(rows·cols).</summary>
    public Action<Index1D, ArrayView<FcInstruction>, int, ArrayView<double>, ArrayView<double>, TileGeometry,
        ArrayView<double>, ArrayView<double>> FcTile { get; }

    /// <summary><see cref="GpuKernels.GramTile"/> with an explicit (grid, group) configuration.</summary>
    public Action<KernelConfig, ArrayView<double>, ArrayView<double>, int, double, TileGeometry, ArrayView<double>> GramTile { get; }

    /// <summary>Edge of the square thread groups of <see cref="GramTile"/>: <see cref="GpuKernels.GramTileSize"/> on GPUs,
    /// less where the accelerator allows fewer threads per group.</summary>
    public int GramGroupEdge { get; }

    /// <summary>Launches <see cref="GramTile"/> over a whole tile.</summary>
    public void LaunchGram(ArrayView<double> x1, ArrayView<double> x2, int d, double scale, TileGeometry tile, ArrayView<double> gram)
    {
        int g = GramGroupEdge;
        var grid = new Index2D((tile.Rows + g - 1) / g, (tile.Cols + g - 1) / g);
        GramTile(new KernelConfig(grid, new Index2D(g, g)), x1, x2, d, scale, tile, gram);
    }
}
