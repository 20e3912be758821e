using ILGPU;
using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// Convolutional architectures on the device: the <see cref="SpatialProgram"/> of the CPU spatial engine, flattened
/// (<see cref="SpatialDeviceProgram"/>) and run per pair of examples by one of two kernels, chosen by layout:
/// diagonal layout (Flatten readouts, O(P) doubles per pair) — <see cref="GpuSpatialKernels.Threads"/>, one thread per
/// pair over interleaved workspaces; full layout (pooling, O(P²) doubles per pair) —
/// <see cref="GpuSpatialKernels.Groups"/>, one thread group per pair. The pairs are numbered linearly (the self pass;
/// then the strict upper triangle without x2, the column-major N1×N2 grid with it) and walked in launches of as many
/// pairs as run at once: every pair in flight owns (2·registers + 1)·MaxSize doubles of workspace, and all of them fit
/// <see cref="KernelOptions.MemoryBudgetBytes"/>.
/// </summary>
internal static class GpuSpatialEngine
{
    /// <summary>Most pairs per launch of the thread kernel (a few times what an H100 keeps resident).</summary>
    private const long MaxThreadsPerLaunch = 1L << 22;

    public static KernelResult Compute(ComputeContext context, SpatialProgram program, Tensor x1, Tensor? x2,
        KernelOutputs outputs, KernelOptions options, IProgress<KernelProgress>? progress, CancellationToken ct)
    {
        if (options.Precision != KernelPrecision.Float64)
            throw new NotSupportedException(
                $"KernelOptions.Precision = {options.Precision} is not implemented for convolutional architectures on the GPU: the spatial kernels compute and store in Float64 only. Use KernelPrecision.Float64.");
        var device = new SpatialDeviceProgram(program);
        var accelerator = context.Accelerator;
        var kernels = context.Kernels;
        bool grouped = program.Layout == SpatialLayout.Full;
        int n1 = x1.Count, n2 = x2?.Count ?? n1, slots = program.SlotTotal;
        bool sym = x2 is null, wantNtk = (outputs & KernelOutputs.Ntk) != 0;
        long pairs = sym ? (long)n1 * (n1 - 1) / 2 : (long)n1 * n2;
        int width = LaunchWidth(options.BudgetOr(context.DeviceWorkspaceBudgetBytes), device.WorkspacePerPair, program.Layout,
            grouped ? kernels.SpatialGroupCapacity : MaxThreadsPerLaunch, Math.Max(pairs, Math.Max(n1, n2)));

        using var code = accelerator.Allocate1D(device.Code);
        using var maps = accelerator.Allocate1D(device.Maps);
        using var ws = accelerator.Allocate1D<double>(width * device.WorkspacePerPair);
        using var x1Buffer = accelerator.Allocate1D(x1.Data);
        using var x2Buffer = sym ? null : accelerator.Allocate1D(x2!.Data);
        using var var1 = accelerator.Allocate1D<double>(Math.Max(1L, (long)n1 * slots));
        using var var2 = sym ? null : accelerator.Allocate1D<double>(Math.Max(1L, (long)n2 * slots));
        using var kOut = accelerator.Allocate1D<double>(width);
        using var tOut = accelerator.Allocate1D<double>(width); // the self pass always propagates Θ
        var launcher = new Launcher(kernels, device, grouped, width, code.View, maps.View, ws.View, wantNtk);

        var (nngpDiag1, ntkDiag1) = SelfPass(launcher, x1Buffer.View, var1.View, kOut.View, tOut.View, n1);
        var (nngpDiag2, ntkDiag2) = sym ? (nngpDiag1, ntkDiag1) : SelfPass(launcher, x2Buffer!.View, var2!.View, kOut.View, tOut.View, n2);
        ct.ThrowIfCancellationRequested();

        var staging = new double[width];
        var nngp = new double[(long)n1 * n2];
        var ntk = wantNtk ? new double[(long)n1 * n2] : null;
        var mode = sym ? SpatialPairMode.StrictUpper : SpatialPairMode.Rectangular;
        long total = (pairs + width - 1) / width, done = 0;
        for (long first = 0; first < pairs; first += width)
        {
            ct.ThrowIfCancellationRequested();
            int count = (int)Math.Min(width, pairs - first);
            launcher.Launch(launcher.Args(mode, n1, first, count), x1Buffer.View, sym ? x1Buffer.View : x2Buffer!.View,
                var1.View, sym ? var1.View : var2!.View, kOut.View, tOut.View);
            Gather(kOut.View, mode, n1, first, count, staging, nngp);
            if (ntk is not null) Gather(tOut.View, mode, n1, first, count, staging, ntk);
            progress?.Report(new KernelProgress(++done, total));
        }
        if (sym) CpuKernelEngine.CompleteSymmetric(nngp, ntk, n1, nngpDiag1, ntkDiag1, options.ParallelOptions(ct));
        return KernelResult.FromColumnMajor(n1, n2, nngp, ntk, outputs, nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2, sym);
    }

    /// <summary>Pairs per launch: as many as run at once (<paramref name="concurrency"/>) and as the budget holds
    /// workspaces and results for, and no more than there are.</summary>
    /// <exception cref="ArgumentException">Not even one pair fits the budget.</exception>
    internal static int LaunchWidth(long budgetBytes, long workspacePerPair, SpatialLayout layout, long concurrency, long pairs)
    {
        long perPair = workspacePerPair + 2; // workspace, and the pair's K and Θ results
        long fit = Math.Max(0, budgetBytes) / sizeof(double) / perPair;
        if (fit < 1)
            throw new ArgumentException(
                $"The memory budget ({budgetBytes} bytes) is below the {perPair * sizeof(double)} bytes of device memory one pair's {layout} spatial covariances need; raise KernelOptions.MemoryBudgetBytes.",
                "options");
        return (int)Math.Max(1, Math.Min(Math.Min(fit, concurrency), Math.Min(pairs, int.MaxValue)));
    }

    private static (Vector<double> Nngp, Vector<double> Ntk) SelfPass(Launcher launcher, ArrayView<double> x,
        ArrayView<double> variances, ArrayView<double> kOut, ArrayView<double> tOut, int n)
    {
        var k = new double[n];
        var t = new double[n];
        for (int first = 0; first < n; first += launcher.Width)
        {
            int count = Math.Min(launcher.Width, n - first);
            // Θ(x, x) is always computed: the result's NTK variances.
            launcher.Launch(launcher.Args(SpatialPairMode.Self, n, first, count) with { WantNtk = 1 }, x, x, variances, variances,
                kOut, tOut);
            kOut.SubView(0, count).CopyToCPU(k.AsSpan(first, count));
            tOut.SubView(0, count).CopyToCPU(t.AsSpan(first, count));
        }
        return (Vector<double>.Build.Dense(k), Vector<double>.Build.Dense(t));
    }

    /// <summary>Places a launch's results: a contiguous block of the column-major result (rectangular), or runs of
    /// columns of the strict upper triangle.</summary>
    private static void Gather(ArrayView<double> results, SpatialPairMode mode, int n1, long first, int count, double[] staging,
        double[] result)
    {
        results.SubView(0, count).CopyToCPU(staging.AsSpan(0, count));
        if (mode == SpatialPairMode.Rectangular)
        {
            Array.Copy(staging, 0, result, first, count);
            return;
        }
        GpuSpatialKernels.PairOf(mode, n1, first, out int i, out int j);
        for (int done = 0; done < count; j++, i = 0)
        {
            int run = Math.Min(j - i, count - done);
            Array.Copy(staging, done, result, (long)j * n1 + i, run);
            done += run;
        }
    }

    /// <summary>The launch of one kernel kind over one workspace.</summary>
    private sealed class Launcher(GpuKernelSet kernels, SpatialDeviceProgram device, bool grouped, int width,
        ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps, ArrayView<double> ws, bool wantNtk)
    {
        public int Width => width;

        /// <summary>Thread kernel: workspaces interleaved with stride = the launch width; group kernel: one contiguous
        /// slice per group.</summary>
        public SpatialArgs Args(SpatialPairMode mode, int n1, long first, int count) =>
            device.Args(wantNtk, mode, n1, first, count, grouped ? device.WorkspacePerPair : width);

        public void Launch(SpatialArgs args, ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1,
            ArrayView<double> var2, ArrayView<double> nngp, ArrayView<double> ntk)
        {
            if (grouped)
                kernels.SpatialGroups(new KernelConfig(args.Count, kernels.SpatialGroupSize), code, maps, args, x1, x2, var1, var2, ws, nngp, ntk);
            else
                kernels.SpatialThreads(args.Count, code, maps, args, x1, x2, var1, var2, ws, nngp, ntk);
        }
    }
}
