using ILGPU;
using ILGPU.Runtime;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// The GPU ensemble's kernels compiled for one accelerator (loaded once, on the first ensemble, and cached in
/// <see cref="GpuKernelSet"/>), with launchers that take member-batched operands.
/// </summary>
internal sealed class EnsembleKernelSet
{
    private readonly Action<Index1D, ArrayView<double>, long, ArrayView<double>, long, int, ActivationSpec> _activate;
    private readonly Action<Index1D, ArrayView<double>, long, ArrayView<double>, ArrayView<double>, long, int, ActivationSpec> _activationGradient;
    private readonly Action<Index1D, ArrayView<double>, long, ArrayView<double>, long, int> _copy, _accumulate;
    private readonly Action<Index1D, ArrayView<double>, long, ArrayView<double>, long, int, ulong, int, double> _dropout;
    private readonly Action<Index1D, ArrayView<double>, long, int, int, ArrayView<double>, long, double> _addBias;
    private readonly Action<Index1D, ArrayView<double>, long, int, int, ArrayView<double>, long, double> _biasGradient;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<int>, int, ArrayView<double>> _gather;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, double> _step;
    private readonly Action<KernelConfig, GemmShape, ArrayView<double>, ArrayView<double>, ArrayView<double>> _gemm;
    private readonly Action<KernelConfig, ArrayView<double>, long, ArrayView<double>, long, ArrayView<double>, long, int, ArrayView<double>> _residual;

    public EnsembleKernelSet(Accelerator accelerator)
    {
        int maxGroup = accelerator.MaxNumThreadsPerGroup;
        GemmEdge = Math.Min(BatchedGemmKernel.TileSize, (int)Math.Sqrt(maxGroup));
        ReductionGroup = 1;
        while (ReductionGroup * 2 <= Math.Min(EnsembleKernels.ReductionGroup, maxGroup)) ReductionGroup *= 2;
        _activate = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, long, ArrayView<double>, long, int,
            ActivationSpec>(EnsembleKernels.Activate);
        _activationGradient = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, long, ArrayView<double>,
            ArrayView<double>, long, int, ActivationSpec>(EnsembleKernels.ActivationGradient);
        _dropout = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, long, ArrayView<double>, long, int, ulong, int,
            double>(EnsembleKernels.Dropout);
        _copy = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, long, ArrayView<double>, long, int>(EnsembleKernels.Copy);
        _accumulate = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, long, ArrayView<double>, long, int>(EnsembleKernels.Accumulate);
        _addBias = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, long, int, int, ArrayView<double>, long, double>(EnsembleKernels.AddBias);
        _biasGradient = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, long, int, int, ArrayView<double>, long, double>(EnsembleKernels.BiasGradient);
        _gather = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<int>, int, ArrayView<double>>(EnsembleKernels.Gather);
        _step = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, double>(EnsembleKernels.Step);
        _gemm = accelerator.LoadStreamKernel<GemmShape, ArrayView<double>, ArrayView<double>, ArrayView<double>>(BatchedGemmKernel.Gemm);
        _residual = accelerator.LoadStreamKernel<ArrayView<double>, long, ArrayView<double>, long, ArrayView<double>, long, int,
            ArrayView<double>>(EnsembleKernels.Residual);
    }

    /// <summary>Edge of the square thread groups of the batched GEMM.</summary>
    public int GemmEdge { get; }

    /// <summary>Threads per group of the loss reduction (a power of two).</summary>
    public int ReductionGroup { get; }

    /// <summary>y = φ(z) for <paramref name="count"/> values per member.</summary>
    public void Activate(int members, int count, MemberBatch z, MemberBatch y, ActivationSpec f)
        => _activate(Launch(members, count), z.View, z.MemberStride, y.View, y.MemberStride, count, f);

    /// <summary>gz = φ'(z)·gy (gy and gz have the same member stride).</summary>
    public void ActivationGradient(int members, int count, MemberBatch z, MemberBatch gy, MemberBatch gz, ActivationSpec f)
        => _activationGradient(Launch(members, count), z.View, z.MemberStride, gy.View, gz.View, gz.MemberStride, count, f);

    /// <summary>dst = m·src/rate with every member's dropout mask for the pass <paramref name="callKey"/>.</summary>
    public void Dropout(int members, int count, MemberBatch src, MemberBatch dst, ulong callKey, int op, double rate)
        => _dropout(Launch(members, count), src.View, src.MemberStride, dst.View, dst.MemberStride, count, callKey, op, rate);

    /// <summary>dst = src.</summary>
    public void Copy(int members, int count, MemberBatch src, MemberBatch dst)
        => _copy(Launch(members, count), src.View, src.MemberStride, dst.View, dst.MemberStride, count);

    /// <summary>dst += src.</summary>
    public void Accumulate(int members, int count, MemberBatch src, MemberBatch dst)
        => _accumulate(Launch(members, count), src.View, src.MemberStride, dst.View, dst.MemberStride, count);

    /// <summary>z[row, :] += scale·b_m for <paramref name="rows"/> rows of <paramref name="width"/>.</summary>
    public void AddBias(int members, int rows, int width, MemberBatch z, MemberBatch bias, double scale)
        => _addBias(Launch(members, rows * width), z.View, z.MemberStride, rows * width, width, bias.View, bias.MemberStride, scale);

    /// <summary>gb_m = scale·Σ_rows g_m[row, :].</summary>
    public void BiasGradient(int members, int rows, int width, MemberBatch g, MemberBatch gradient, double scale)
        => _biasGradient(Launch(members, width), g.View, g.MemberStride, rows, width, gradient.View, gradient.MemberStride, scale);

    /// <summary>dst (members × batch rows of <paramref name="width"/>, contiguous) = the rows of src named by <paramref name="indices"/>.</summary>
    public void Gather(int members, int batch, int width, ArrayView<double> src, ArrayView<int> indices, ArrayView<double> dst)
        => _gather(Launch(members, batch * width), src, indices, width, dst);

    /// <summary>θ += a·g over <paramref name="count"/> values.</summary>
    public void Step(long count, ArrayView<double> parameters, ArrayView<double> gradient, double a)
        => _step(Launch(1, count), parameters, gradient, a);

    /// <summary>Residuals (f − y)/n and the losses ½·mean((f − y)²) of all members (one thread group each).</summary>
    public void Residual(int members, int n, MemberBatch f, MemberBatch y, MemberBatch residual, ArrayView<double> loss)
        => _residual(new KernelConfig(new Index1D(members), new Index1D(ReductionGroup)), f.View, f.MemberStride, y.View,
            y.MemberStride, residual.View, residual.MemberStride, n, loss);

    /// <summary>The batched GEMM over a grid of (⌈N/T⌉, ⌈M/T⌉, members) tiles.</summary>
    public void LaunchGemm(int members, GemmShape shape, ArrayView<double> a, ArrayView<double> b, ArrayView<double> c)
    {
        int g = GemmEdge;
        if ((shape.N + g - 1) / g > 65_535 || members > 65_535)
            throw new NotSupportedException($"The fallback batched GEMM supports at most {65_535 * g} output columns and 65,535 members (CUDA grid limits); got {shape.N} and {members}.");
        var grid = new Index3D((shape.M + g - 1) / g, (shape.N + g - 1) / g, members);
        _gemm(new KernelConfig(grid, new Index3D(g, g, 1)), shape, a, b, c);
    }

    private static Index1D Launch(long members, long count)
    {
        long total = members * count;
        if (total > int.MaxValue)
            throw new NotSupportedException($"A GPU ensemble kernel would cover {total} values (members × examples × width); the limit is {int.MaxValue}. Use fewer members or examples per call.");
        return new Index1D((int)total);
    }
}
