using ILGPU;
using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute.Cpu;
using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Compute.Gpu;

/// <summary>
/// Convolutional architectures on the device: the <see cref="SpatialProgram"/> of the CPU spatial engine, flattened
/// (<see cref="SpatialDeviceProgram"/>) and run per pair of examples by one of two kernels, chosen by layout:
/// diagonal layout (Flatten readouts, O(P) entries per pair) — <see cref="GpuSpatialKernels.Threads{T, TStorage}"/>, one
/// thread per pair over interleaved workspaces; full layout (pooling, O(P²) entries per pair) —
/// <see cref="GpuSpatialKernels.Groups{T, TStorage}"/>, one thread group per pair. The pairs are numbered linearly (the self pass;
/// then the strict upper triangle without x2, the column-major N1×N2 grid with it) and walked in launches of as many
/// pairs as run at once: every pair in flight owns (2·registers + 1)·MaxSize entries of workspace, and all of them fit
/// <see cref="KernelOptions.MemoryBudgetBytes"/>. <see cref="KernelPrecision.Float32"/> stores the workspace entries as
/// float (twice the pairs per launch in the same budget; arithmetic still double, see <see cref="GpuSpatialKernels"/>),
/// while the self pass — O(N) pairs — always runs in double, so the recorded variances and the diagonal of symmetric
/// results are exact to Float64; inputs and results are double in both.
/// </summary>
internal static class GpuSpatialEngine
{
    /// <summary>Most pairs per launch of the thread kernel (a few times what an H100 keeps resident).</summary>
    private const long MaxThreadsPerLaunch = 1L << 22;

    public static KernelResult Compute(ComputeContext context, SpatialProgram program, Tensor x1, Tensor? x2,
        KernelOutputs outputs, KernelOptions options, IProgress<KernelProgress>? progress, CancellationToken ct) =>
        options.Precision == KernelPrecision.Float32
            ? Compute(context.Kernels.Float32Spatial, context, program, x1, x2, outputs, options, progress, ct)
            : Compute(context.Kernels.Float64Spatial, context, program, x1, x2, outputs, options, progress, ct);

    /// <summary>The computation with workspaces stored as <typeparamref name="T"/> (<paramref name="pairKernels"/>) for
    /// the pairs, and the self pass always in double (<see cref="GpuKernelSet.Float64Spatial"/>) over the same device
    /// memory, so that the recorded variances and the diagonal are those of <see cref="KernelPrecision.Float64"/>.</summary>
    private static KernelResult Compute<T, TStorage>(SpatialKernels<T, TStorage> pairKernels, ComputeContext context,
        SpatialProgram program, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        IProgress<KernelProgress>? progress, CancellationToken ct)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        var device = new SpatialDeviceProgram(program);
        var accelerator = context.Accelerator;
        var kernels = context.Kernels;
        bool grouped = program.Layout == SpatialLayout.Full;
        int n1 = x1.Count, n2 = x2?.Count ?? n1, slots = program.SlotTotal;
        bool sym = x2 is null, wantNtk = (outputs & KernelOutputs.Ntk) != 0;
        long pairs = sym ? (long)n1 * (n1 - 1) / 2 : (long)n1 * n2;
        long budget = options.BudgetOr(context.DeviceWorkspaceBudgetBytes);
        // The quadrature activations' coefficient records (one per example, activation and position) come out of the
        // workspaces' budget.
        var quad = device.Quad;
        if (quad.Sets > 0) budget -= QuadratureMemory.Reserve(quad, n1 + (sym ? 0 : n2), budget,
            program.Code.Where(c => c.Family is { QuadratureDegree: > 0 }).Select(c => c.Layer));
        long concurrency = grouped ? kernels.SpatialGroupCapacity : MaxThreadsPerLaunch, perPair = device.WorkspacePerPair;
        int bytes = Interop.SizeOf<T>();
        // The double self pass needs one pair's double workspace within the budget (checked first); the pairs run
        // width at a time in T, and the self pass as many in double as the same bytes hold (at least one).
        int selfFit = LaunchWidth(budget, perPair, sizeof(double), program.Layout, concurrency, Math.Max(n1, n2));
        int width = LaunchWidth(budget, perPair, bytes, program.Layout, concurrency, Math.Max(pairs, Math.Max(n1, n2)));
        int selfWidth = Math.Min(selfFit, Math.Max(1, width * bytes / sizeof(double)));
        long wsDoubles = Math.Max((width * perPair * bytes + sizeof(double) - 1) / sizeof(double), selfWidth * perPair);

        using var code = accelerator.Allocate1D(device.Code);
        using var maps = accelerator.Allocate1D(device.Maps);
        using var ws = accelerator.Allocate1D<double>(wsDoubles);
        using var x1Buffer = accelerator.Allocate1D(x1.Data);
        using var x2Buffer = sym ? null : accelerator.Allocate1D(x2!.Data);
        using var var1 = accelerator.Allocate1D<double>(Math.Max(1L, (long)n1 * slots));
        using var var2 = sym ? null : accelerator.Allocate1D<double>(Math.Max(1L, (long)n2 * slots));
        using var coeff1 = accelerator.Allocate1D<double>(Math.Max(1L, quad.At(n1, 0)));
        using var coeff2 = sym ? null : accelerator.Allocate1D<double>(Math.Max(1L, quad.At(n2, 0)));
        using var kOut = accelerator.Allocate1D<double>(width);
        using var tOut = accelerator.Allocate1D<double>(width); // the self pass always propagates Θ
        int groupSize = kernels.SpatialGroupSize;
        var self = new Launcher<double, Float64Storage>(kernels.Float64Spatial, groupSize, device, grouped, selfWidth,
            code.View, maps.View, ws.View, wantNtk);
        var launcher = new Launcher<T, TStorage>(pairKernels, groupSize, device, grouped, width, code.View, maps.View,
            ws.View.BaseView.Cast<T>(), wantNtk);

        Vector<double> nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2;
        if (program.NeedsMeans)
        {
            // A LayerNorm needs the feature means E[φ(u)] of the nonlinearities before it (host-side family code): the
            // self pass — O(N) pairs — runs on the host, and the device pairs read its records (the variances and the
            // quadrature activations' coefficient records of those variances, by the device's own core).
            (nngpDiag1, ntkDiag1) = HostSelfPass(program, device, x1, var1.View, coeff1.View, options, ct);
            (nngpDiag2, ntkDiag2) = sym ? (nngpDiag1, ntkDiag1) : HostSelfPass(program, device, x2!, var2!.View, coeff2!.View, options, ct);
        }
        else
        {
            (nngpDiag1, ntkDiag1) = SelfPass(self, x1Buffer.View, var1.View, coeff1.View, kOut.View, tOut.View, n1);
            (nngpDiag2, ntkDiag2) = sym ? (nngpDiag1, ntkDiag1) : SelfPass(self, x2Buffer!.View, var2!.View, coeff2!.View, kOut.View, tOut.View, n2);
            GpuKernelEngine.CheckVariances(program.Limits, var1.View, n1 * slots, slots);
            if (!sym) GpuKernelEngine.CheckVariances(program.Limits, var2!.View, n2 * slots, slots);
        }
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
                var1.View, sym ? var1.View : var2!.View, kOut.View, tOut.View, coeff1.View, sym ? coeff1.View : coeff2!.View);
            Gather(kOut.View, mode, n1, first, count, staging, nngp);
            if (ntk is not null) Gather(tOut.View, mode, n1, first, count, staging, ntk);
            progress?.Report(new KernelProgress(++done, total));
        }
        if (sym) CpuKernelEngine.CompleteSymmetric(nngp, ntk, n1, nngpDiag1, ntkDiag1, options.ParallelOptions(ct));
        return KernelResult.FromColumnMajor(n1, n2, nngp, ntk, outputs, nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2, sym);
    }

    /// <summary>The stored passes of a program, each a rounding of every workspace entry it writes under
    /// <see cref="KernelPrecision.Float32"/>: a convolution's two axis passes (the affine map fused into the second), a
    /// pooling's four, one per affine map, reduction, dual and sum, none for a copy; summed over all branches. The input
    /// covariance is one more.</summary>
    internal static int StoredPasses(SpatialProgram program) => program.Code.Sum(i => i.Op switch
    {
        SpatialOpCode.Conv => 2,
        SpatialOpCode.Lift or SpatialOpCode.GroupConv => 2,
        SpatialOpCode.Pool => 4,
        SpatialOpCode.Copy => 0,
        _ => 1,
    });

    /// <summary>
    /// The documented accuracy of <see cref="KernelPrecision.Float32"/> for a convolutional network: the bound on
    /// max |Δ| / max |K| (K and Θ) against double precision, 2·(S + 1)·2⁻²⁴ for S = <see cref="StoredPasses"/> (the
    /// input covariance is the + 1). Every store rounds each entry once, an error of at most u = 2⁻²⁴ relative to the
    /// entry and so to its diagonal scale √(K(p, p)·K′(p′, p′)); nothing between the stores amplifies errors on that
    /// scale: window sums and pooling are averages with non-negative weights (by Cauchy–Schwarz their diagonal scale is
    /// at least the average of the summands'), affine maps add the same non-negative terms to the diagonal, and the
    /// duals of K are about 1-Lipschitz on that scale (the arc-cosine duals at most 1; their inputs' variances come
    /// from the double self pass). So K's
    /// error is at most (S + 1)·u; Θ, a non-negative combination of K and Θ terms multiplied by the derivative duals,
    /// picks up the derivative duals' slope times K's error, about once more away from correlation ±1 — hence the factor
    /// 2. Measured errors are about u (the last rounding; earlier ones are independent and averaged by the windows and
    /// readouts), far inside the bound. Like the fully-connected bound it does not hold for pairs of (nearly) identical
    /// examples across x1 and x2.
    /// </summary>
    internal static double Float32ErrorBound(SpatialProgram program) => 2.0 * (StoredPasses(program) + 1) / (1 << 24);

    /// <summary>Pairs per launch: as many as run at once (<paramref name="concurrency"/>) and as the budget holds
    /// workspaces (<paramref name="workspacePerPair"/> entries of <paramref name="bytesPerEntry"/> bytes) and double
    /// results for, and no more than there are.</summary>
    /// <exception cref="ArgumentException">Not even one pair fits the budget.</exception>
    internal static int LaunchWidth(long budgetBytes, long workspacePerPair, int bytesPerEntry, SpatialLayout layout,
        long concurrency, long pairs)
    {
        long perPair = workspacePerPair * bytesPerEntry + 2 * sizeof(double); // workspace, and the pair's K and Θ results
        long fit = Math.Max(0, budgetBytes) / perPair;
        if (fit < 1)
            throw new ArgumentException(
                $"The memory budget ({budgetBytes} bytes) is below the {perPair} bytes of device memory one pair's {layout} spatial covariances need in {(bytesPerEntry == sizeof(double) ? "double" : "single")} precision; raise KernelOptions.MemoryBudgetBytes.",
                "options");
        return (int)Math.Max(1, Math.Min(Math.Min(fit, concurrency), Math.Min(pairs, int.MaxValue)));
    }

    /// <summary>The CPU engine's self pass (per-position means tracked for the LayerNorms), its variances and the
    /// quadrature activations' coefficient records of them (laid out as the device self pass writes them) uploaded.</summary>
    private static (Vector<double> Nngp, Vector<double> Ntk) HostSelfPass(SpatialProgram program, SpatialDeviceProgram device,
        Tensor x, ArrayView<double> variances, ArrayView<double> coefficients, KernelOptions options, CancellationToken ct)
    {
        var po = options.ParallelOptions(ct);
        var (host, nngp, ntk) = CpuSpatialEngine.SelfPass(program, x, po, new System.Collections.Concurrent.ConcurrentBag<SpatialWorkspace>());
        int slots = program.SlotTotal;
        long count = (long)x.Count * slots;
        if (count > 0) variances.SubView(0, count).CopyFromCPU(host.AsSpan(0, (int)count));
        var quad = device.Quad;
        if (quad.Sets > 0)
        {
            var records = new double[quad.At(x.Count, 0)];
            var store = new ArrayCoefficients(records);
            Parallel.For(0, x.Count, po, i =>
            {
                foreach (var ins in device.Code)
                {
                    if (ins.CoeffOffset < 0) continue;
                    for (int m = 0; m < ins.InH * ins.InW; m++)
                        QuadratureSteps.Prepare(ins.Activation, host[(long)i * slots + ins.SlotOffset + m], quad.Degree, store, quad.At(i, ins.CoeffOffset + m));
                }
            });
            coefficients.SubView(0, records.LongLength).CopyFromCPU(records);
        }
        return (nngp, ntk);
    }

    private static (Vector<double> Nngp, Vector<double> Ntk) SelfPass(Launcher<double, Float64Storage> launcher, ArrayView<double> x,
        ArrayView<double> variances, ArrayView<double> coefficients, ArrayView<double> kOut, ArrayView<double> tOut, int n)
    {
        var k = new double[n];
        var t = new double[n];
        for (int first = 0; first < n; first += launcher.Width)
        {
            int count = Math.Min(launcher.Width, n - first);
            // Θ(x, x) is always computed: the result's NTK variances.
            launcher.Launch(launcher.Args(SpatialPairMode.Self, n, first, count) with { WantNtk = 1 }, x, x, variances, variances,
                kOut, tOut, coefficients, coefficients);
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

    /// <summary>The launch of one kernel kind over one workspace stored as <typeparamref name="T"/>.</summary>
    private sealed class Launcher<T, TStorage>(SpatialKernels<T, TStorage> kernels, int groupSize, SpatialDeviceProgram device,
        bool grouped, int width, ArrayView<SpatialDeviceInstruction> code, ArrayView<int> maps, ArrayView<T> ws, bool wantNtk)
        where T : unmanaged
        where TStorage : struct, ITileStorage<T>
    {
        public int Width => width;

        /// <summary>Thread kernel: workspaces interleaved with stride = the launch width; group kernel: one contiguous
        /// slice per group.</summary>
        public SpatialArgs Args(SpatialPairMode mode, int n1, long first, int count) =>
            device.Args(wantNtk, mode, n1, first, count, grouped ? device.WorkspacePerPair : width);

        public void Launch(SpatialArgs args, ArrayView<double> x1, ArrayView<double> x2, ArrayView<double> var1,
            ArrayView<double> var2, ArrayView<double> nngp, ArrayView<double> ntk, ArrayView<double> coeff1, ArrayView<double> coeff2)
        {
            if (grouped)
                kernels.Groups(new KernelConfig(args.Count, groupSize), code, maps, args, x1, x2, var1, var2, ws, nngp, ntk, coeff1, coeff2);
            else
                kernels.Threads(args.Count, code, maps, args, x1, x2, var1, var2, ws, nngp, ntk, coeff1, coeff2);
        }
    }
}
