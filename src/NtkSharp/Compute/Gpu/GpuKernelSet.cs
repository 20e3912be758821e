using ILGPU;
using ILGPU.Runtime;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>Launch delegate of <see cref="GpuSpatialKernels.Threads{T, TStorage}"/>.</summary>
/// <typeparam name="T">The workspace element type.</typeparam>
internal delegate void SpatialThreadsKernel<T>(Index1D pairs, ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps,
    SpatialArgs args, ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1, ArrayView<double> var2,
    ArrayView<T> ws, ArrayView<double> nngp, ArrayView<double> ntk, ArrayView<double> coeff1, ArrayView<double> coeff2)
    where T : unmanaged;

/// <summary>Launch delegate of <see cref="GpuSpatialKernels.Groups{T, TStorage}"/>.</summary>
/// <typeparam name="T">The workspace element type.</typeparam>
internal delegate void SpatialGroupsKernel<T>(KernelConfig config, ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps,
    SpatialArgs args, ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1, ArrayView<double> var2,
    ArrayView<T> ws, ArrayView<double> nngp, ArrayView<double> ntk, ArrayView<double> coeff1, ArrayView<double> coeff2)
    where T : unmanaged;

/// <summary>
/// The compiled kernels of one accelerator: each <see cref="GpuKernels"/> method is loaded (compiled by ILGPU) once,
/// when the first computation needs the set, and the launch delegates are reused for every later call.
/// </summary>
internal sealed class GpuKernelSet
{
    public GpuKernelSet(Accelerator accelerator)
    {
        GramGroupEdge = Math.Min(GpuKernels.GramTileSize, (int)Math.Sqrt(accelerator.MaxNumThreadsPerGroup));
        _selfPass = new(() => accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, int, ArrayView<FcInstruction>, int,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, QuadratureArgs>(GpuKernels.SelfPass));
        _float64Tiles = new(() => new TileKernels<double, Float64Storage>(accelerator, GramGroupEdge));
        _float32Tiles = new Lazy<TileKernels<float, Float32Storage>>(() => new TileKernels<float, Float32Storage>(accelerator, GramGroupEdge));
        _float64Spatial = new Lazy<SpatialKernels<double, Float64Storage>>(() => new SpatialKernels<double, Float64Storage>(accelerator));
        _float32Spatial = new Lazy<SpatialKernels<float, Float32Storage>>(() => new SpatialKernels<float, Float32Storage>(accelerator));
        SpatialGroupSize = Math.Min(GpuSpatialKernels.MaxGroupSize, accelerator.MaxNumThreadsPerGroup);
        SpatialGroupCapacity = (long)accelerator.NumMultiprocessors
            * Math.Max(2, accelerator.MaxNumThreadsPerMultiprocessor / SpatialGroupSize);
        _ensemble = new Lazy<Ensembles.EnsembleKernelSet>(() => new Ensembles.EnsembleKernelSet(accelerator));
    }

    private readonly Lazy<SpatialKernels<double, Float64Storage>> _float64Spatial;
    private readonly Lazy<SpatialKernels<float, Float32Storage>> _float32Spatial;
    private readonly Lazy<TileKernels<float, Float32Storage>> _float32Tiles;

    /// <summary>The tile kernels over double tiles (<see cref="KernelPrecision.Float64"/>).</summary>
    public TileKernels<double, Float64Storage> Float64Tiles => _float64Tiles.Value;

    private readonly Lazy<TileKernels<double, Float64Storage>> _float64Tiles;

    private readonly Lazy<Action<Index1D, ArrayView<double>, int, ArrayView<FcInstruction>, int, ArrayView<double>, ArrayView<double>,
        ArrayView<double>, ArrayView<double>, QuadratureArgs>> _selfPass;

    /// <summary>The tile kernels over float tiles (<see cref="KernelPrecision.Float32"/>; compiled on first use).</summary>
    public TileKernels<float, Float32Storage> Float32Tiles => _float32Tiles.Value;

    /// <summary>The spatial kernels over double workspaces (<see cref="KernelPrecision.Float64"/>; compiled on first
    /// use).</summary>
    public SpatialKernels<double, Float64Storage> Float64Spatial => _float64Spatial.Value;

    /// <summary>The spatial kernels over float workspaces (<see cref="KernelPrecision.Float32"/>; compiled on first
    /// use).</summary>
    public SpatialKernels<float, Float32Storage> Float32Spatial => _float32Spatial.Value;

    /// <summary>Threads per group of <see cref="SpatialKernels{T, TStorage}.Groups"/>: <see cref="GpuSpatialKernels.MaxGroupSize"/> on GPUs,
    /// less where the accelerator's groups are smaller.</summary>
    public int SpatialGroupSize { get; }

    /// <summary>Groups of <see cref="SpatialKernels{T, TStorage}.Groups"/> worth running at once: every multiprocessor filled to its thread
    /// limit (at least two groups each, so that one group's barrier waits overlap another's memory traffic).</summary>
    public long SpatialGroupCapacity { get; }

    private readonly Lazy<Ensembles.EnsembleKernelSet> _ensemble;

    /// <summary>The GPU ensemble's kernels (compiled on first use).</summary>
    public Ensembles.EnsembleKernelSet Ensemble => _ensemble.Value;

    /// <summary><see cref="GpuKernels.SelfPass"/> over Index1D(N).</summary>
    public Action<Index1D, ArrayView<double>, int, ArrayView<FcInstruction>, int, ArrayView<double>, ArrayView<double>,
        ArrayView<double>, ArrayView<double>, QuadratureArgs> SelfPass => _selfPass.Value;

    /// <summary>Edge of the square thread groups of <see cref="GpuKernels.GramTile{T, TStorage}"/>: <see cref="GpuKernels.GramTileSize"/> on GPUs,
    /// less where the accelerator allows fewer threads per group.</summary>
    public int GramGroupEdge { get; }
}

/// <summary>The two tile kernels of the fully-connected engine, <see cref="GpuKernels.GramTile{T, TStorage}"/> and
/// <see cref="GpuKernels.FcTile{T, TStorage}"/>, instantiated for one storage format.</summary>
/// <typeparam name="T">The stored element type (double or float).</typeparam>
/// <typeparam name="TStorage">The storage format.</typeparam>
internal sealed class TileKernels<T, TStorage>
    where T : unmanaged
    where TStorage : struct, ITileStorage<T>
{
    private readonly int _groupEdge;

    public TileKernels(Accelerator accelerator, int groupEdge)
    {
        _groupEdge = groupEdge;
        FcTile = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<FcInstruction>, int, ArrayView<double>,
            ArrayView<double>, TileGeometry, double, ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<double>,
            QuadratureArgs>(GpuKernels.FcTile<T, TStorage>);
        GramTile = accelerator.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, double, TileGeometry, ArrayView<T>>(
            GpuKernels.GramTile<T, TStorage>);
    }

    /// <summary><see cref="GpuKernels.FcTile{T, TStorage}"/> over Index1D(rows·cols).</summary>
    public Action<Index1D, ArrayView<FcInstruction>, int, ArrayView<double>, ArrayView<double>, TileGeometry,
        double, ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<double>, QuadratureArgs> FcTile { get; }

    /// <summary><see cref="GpuKernels.GramTile{T, TStorage}"/> with an explicit (grid, group) configuration.</summary>
    public Action<KernelConfig, ArrayView<T>, ArrayView<T>, int, double, TileGeometry, ArrayView<T>> GramTile { get; }

    /// <summary>Launches <see cref="GramTile"/> over a whole tile.</summary>
    public void LaunchGram(ArrayView<T> x1, ArrayView<T> x2, int d, double scale, TileGeometry tile, ArrayView<T> gram)
    {
        int g = _groupEdge;
        var grid = new Index2D((tile.Rows + g - 1) / g, (tile.Cols + g - 1) / g);
        GramTile(new KernelConfig(grid, new Index2D(g, g)), x1, x2, d, scale, tile, gram);
    }
}

/// <summary>The two spatial kernels, <see cref="GpuSpatialKernels.Threads{T, TStorage}"/> and
/// <see cref="GpuSpatialKernels.Groups{T, TStorage}"/>, instantiated for one workspace storage format.</summary>
/// <typeparam name="T">The stored workspace element type (double or float).</typeparam>
/// <typeparam name="TStorage">The storage format.</typeparam>
internal sealed class SpatialKernels<T, TStorage>
    where T : unmanaged
    where TStorage : struct, ITileStorage<T>
{
    public SpatialKernels(Accelerator accelerator)
    {
        Threads = new SpatialThreadsKernel<T>(accelerator.LoadAutoGroupedStreamKernel<Index1D,
            ArrayView<SpatialDeviceInstruction>, ArrayView<int>, SpatialArgs, ArrayView<double>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<double>, ArrayView<double>,
            ArrayView<double>>(GpuSpatialKernels.Threads<T, TStorage>));
        Groups = new SpatialGroupsKernel<T>(accelerator.LoadStreamKernel<
            ArrayView<SpatialDeviceInstruction>, ArrayView<int>, SpatialArgs, ArrayView<double>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>, ArrayView<T>, ArrayView<double>, ArrayView<double>, ArrayView<double>,
            ArrayView<double>>(GpuSpatialKernels.Groups<T, TStorage>));
    }

    /// <summary><see cref="GpuSpatialKernels.Threads{T, TStorage}"/> over Index1D(pairs).</summary>
    public SpatialThreadsKernel<T> Threads { get; }

    /// <summary><see cref="GpuSpatialKernels.Groups{T, TStorage}"/> with an explicit (pairs,
    /// <see cref="GpuKernelSet.SpatialGroupSize"/>) configuration.</summary>
    public SpatialGroupsKernel<T> Groups { get; }
}
