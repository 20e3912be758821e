using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Layers;

namespace NtkSharp.Finite.Ensembles;

/// <summary>
/// Deep ensembles of finite-width networks trained by gradient descent from the same layer objects as the analytic
/// kernels, to compare with the infinite-width prediction.
/// </summary>
/// <remarks>
/// <para>Each member minimises L = ½·mean((f(X) − Y)²) over all n = Y.size targets (the normalisation of the
/// gradient-descent predictor and of neural-tangents' <c>predict.gradient_descent_mse</c>), so one step is
/// θ ← θ − η·(1/n)·Σ (f − y)·∂f/∂θ. In the infinite-width limit (Jacot et al. 2018; Lee et al. 2019, "Wide neural
/// networks of any depth evolve as linear models under gradient descent") the outputs after k steps are those of the
/// linearised model, f_k = f_0 + Θ(·, X)Θ⁻¹(I − (I − ηΘ/n)^k)(Y − f_0(X)), whose mean over initialisations is
/// Θ(·, X)Θ⁻¹(I − (I − ηΘ/n)^k)Y → μ_t with t = k·η for small η.</para>
/// <para>Members run in parallel across cores, one preallocated workspace per worker, so the step loop allocates
/// nothing. Member m is initialised from stream m of <see cref="EnsembleOptions.Seed"/>, so results do not depend
/// on the number of threads.</para>
/// </remarks>
public static class Ensemble
{
    /// <summary>Trains the ensemble and records the test outputs at the checkpoints.</summary>
    /// <param name="network">The architecture (its declared widths are the finite widths).</param>
    /// <param name="xTrain">Training inputs (N × example shape).</param>
    /// <param name="yTrain">Training targets (N × K, K the network's output size).</param>
    /// <param name="xTest">Test inputs (same example shape).</param>
    /// <param name="options">Members, learning rate, checkpoints, seed, optional mini-batch size.</param>
    /// <param name="progress">Receives member-steps done out of members × steps.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <exception cref="ArgumentException">Invalid inputs or options (non-finite values, mismatched shapes, η ≤ 0…).</exception>
    /// <exception cref="EnsembleDivergedException">The training loss of a member diverged.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static EnsembleResult Train(Layer network, Tensor xTrain, Matrix<double> yTrain, Tensor xTest, EnsembleOptions options,
        IProgress<EnsembleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (net, y, steps) = Prepare(network, xTrain, yTrain, xTest, options);
        int nTrain = xTrain.Count, nTest = xTest.Count, k = net.OutputSize;
        int total = steps[^1], members = options.Members, batch = options.BatchSize ?? nTrain;
        int block = nTest * k;
        var outputs = new double[checked((long)steps.Length * members * block)];
        var losses = new double[steps.Length * members];
        var snapshots = options.KeepParameters ? SnapshotBuffer(steps.Length, members, net.ParameterCount) : null;
        Matrix<double>? ntk0 = null, ntk1 = null;
        var divergence = new (int Step, double Loss)?[members];
        int stop = 0;
        long done = 0, totalWork = (long)members * total, reportEvery = Math.Max(1, totalWork / 1000);
        var clock = Stopwatch.StartNew();
        var po = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount,
        };
        Parallel.For(0, members, po,
            () => new Trainer(net, Math.Max(Math.Max(nTrain, nTest), batch)),
            (m, _, trainer) =>
            {
                if (Volatile.Read(ref stop) != 0) return trainer;
                if (m == 0 && options.RecordNtk) ntk0 = trainer.Ntk(options.Seed, m, xTrain, initialise: true);
                var result = trainer.Run(m, options, xTrain.Data, y, xTest.Data, nTrain, nTest, steps, outputs, losses, block,
                    () =>
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (Volatile.Read(ref stop) != 0) return false;
                        long d = Interlocked.Increment(ref done);
                        if (progress is not null && (d % reportEvery == 0 || d == totalWork)) progress.Report(new EnsembleProgress(d, totalWork));
                        return true;
                    }, snapshots);
                if (result is { } div)
                {
                    divergence[m] = div;
                    Volatile.Write(ref stop, 1);
                }
                else if (m == 0 && options.RecordNtk)
                {
                    ntk1 = trainer.Ntk(options.Seed, m, xTrain, initialise: false);
                }
                return trainer;
            },
            _ => { });
        for (int m = 0; m < members; m++)
        {
            if (divergence[m] is { } d) throw Diverged(net, xTrain, xTest, y.Length, options, m, d.Step, d.Loss);
        }
        CheckOutputs(outputs, xTest, net);
        return new EnsembleResult(steps, members, nTest, k, outputs, losses, ntk0, ntk1, clock.Elapsed, net, snapshots);
    }

    /// <summary>Throws when a recorded test output is NaN or ±∞ although training converged: the test inputs overflow
    /// the network (the message gives their scale).</summary>
    /// <exception cref="ArithmeticException">A non-finite test output.</exception>
    internal static void CheckOutputs(double[] outputs, Tensor xTest, FiniteNetwork net)
    {
        int bad = Array.FindIndex(outputs, v => !double.IsFinite(v));
        if (bad < 0) return;
        double maxX = xTest.Data.Max(Math.Abs), w = Kernels.KernelChecks.MaxWStd(net.Network);
        throw new ArithmeticException(
            $"the trained members' outputs on xTest are not finite ({outputs[bad]}): the network overflows double precision on these inputs " +
            $"(largest |xTest| entry {maxX:G3}, largest wStd {w:G3}; outputs grow like input × wStd per layer). Rescale xTest like xTrain (e.g. standardise both) or lower wStd.");
    }

    /// <summary>
    /// Trains the ensemble on <paramref name="device"/>: on a GPU context (CUDA, or ILGPU's CPU accelerator) all members
    /// train together, their forward and backward passes as batched GEMMs over members (see docs/gpu.md, "Ensembles on
    /// the GPU"); on the CPU context this is exactly <see cref="Train(Layer, Tensor, Matrix{double}, Tensor, EnsembleOptions, IProgress{EnsembleProgress}?, CancellationToken)"/>.
    /// Members start from the same initial parameters and see the same mini-batches on every device, so the results
    /// agree with the CPU ensemble up to the order of floating-point sums.
    /// </summary>
    /// <param name="network">The architecture: on a GPU, Dense layers, activations, FanOut, Parallel, FanInSum, Identity,
    /// Flatten and Dropout (fully-connected graphs).</param>
    /// <param name="xTrain">Training inputs (N × example shape).</param>
    /// <param name="yTrain">Training targets (N × K, K the network's output size).</param>
    /// <param name="xTest">Test inputs (same example shape).</param>
    /// <param name="options">Members, learning rate, checkpoints, seed, optional mini-batch size
    /// (<see cref="EnsembleOptions.MaxDegreeOfParallelism"/> applies to the CPU only).</param>
    /// <param name="device">Where to train.</param>
    /// <param name="progress">Receives member-steps done out of members × steps (on a GPU after each step of all members).</param>
    /// <param name="cancellationToken">Stops training (on a GPU between steps).</param>
    /// <exception cref="ArgumentException">Invalid inputs or options.</exception>
    /// <exception cref="NotSupportedException">A GPU context and a layer without a GPU ensemble form (convolutions,
    /// pooling); train those with the CPU context.</exception>
    /// <exception cref="EnsembleDivergedException">The training loss of a member diverged (on a GPU: the lowest member
    /// among those that diverged at the earliest step).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static EnsembleResult Train(Layer network, Tensor xTrain, Matrix<double> yTrain, Tensor xTest, EnsembleOptions options,
        Compute.ComputeContext device, IProgress<EnsembleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Backend == Compute.ComputeBackend.Cpu) return Train(network, xTrain, yTrain, xTest, options, progress, cancellationToken);
        var (net, y, steps) = Prepare(network, xTrain, yTrain, xTest, options);
        return Compute.Gpu.Ensembles.GpuEnsembleTrainer.Train(device, net, xTrain, y, xTest, steps, options, progress, cancellationToken);
    }

    /// <summary>The exception for member <paramref name="member"/>, with the stability limit 2n/λ_max of its empirical NTK
    /// at initialisation (n = <paramref name="targets"/>).</summary>
    internal static EnsembleDivergedException Diverged(FiniteNetwork net, Tensor xTrain, Tensor xTest, int targets, EnsembleOptions options,
        int member, int step, double loss)
    {
        var theta = new Trainer(net, xTrain.Count).Ntk(options.Seed, member, xTrain, initialise: true);
        double scale = theta.Enumerate().Aggregate(0.0, (a, v) => double.IsFinite(v) && double.IsFinite(a) ? Math.Max(a, Math.Abs(v)) : double.NaN);
        double maxX = xTrain.Data.Max(Math.Abs), maxT = xTest.Data.Max(Math.Abs), w = Kernels.KernelChecks.MaxWStd(net.Network);
        string scales = $"largest |xTrain| entry {maxX:G3}, largest |xTest| entry {maxT:G3}, largest wStd {w:G3}";
        if (step == 0 || !double.IsFinite(scale))
        {
            return new EnsembleDivergedException(member, step, loss, options.LearningRate, double.NaN,
                $"the network's outputs or empirical NTK at initialisation are not finite, so no learning rate trains it: the inputs or weights overflow " +
                $"({scales}; outputs grow like input × wStd per layer and the NTK like its square, overflowing double precision near 1.8e308). " +
                "Rescale xTrain and xTest (e.g. standardise them) or lower wStd.");
        }
        // λ_max of Θ/scale, then scaled back: the eigensolver overflows on entries near the double range.
        double lmax = scale == 0 ? 0 : scale * (theta / scale).Evd(Symmetricity.Symmetric).EigenValues.Real().Maximum();
        double limit = 2.0 * targets / lmax;
        if (lmax > 1e100)
        {
            return new EnsembleDivergedException(member, step, loss, options.LearningRate, limit,
                $"the member's empirical NTK at initialisation has λ_max ≈ {lmax:G3}, so gradient descent is stable only below 2n/λ_max ≈ {limit:G3}: " +
                $"the inputs or weights are far too large ({scales}). Rescale xTrain and xTest (e.g. standardise them) or lower wStd.");
        }
        return new EnsembleDivergedException(member, step, loss, options.LearningRate, limit);
    }

    /// <summary>The buffer for every member's parameters at every checkpoint (<see cref="EnsembleOptions.KeepParameters"/>).</summary>
    /// <exception cref="ArgumentException">More values than one array holds.</exception>
    internal static double[] SnapshotBuffer(int checkpoints, int members, int parameterCount)
    {
        long size = (long)checkpoints * members * parameterCount;
        if (size > Array.MaxLength)
            throw new ArgumentException($"KeepParameters needs checkpoints × members × parameters = {checkpoints} × {members} × {parameterCount} = {size} values, more than one array holds; set KeepParameters = false or use fewer checkpoints or members.", "options");
        return new double[size];
    }

    /// <summary>Validates the arguments; returns the finite network, the targets flat row-major and the sorted checkpoints.</summary>
    private static (FiniteNetwork Net, double[] Y, int[] Steps) Prepare(Layer network, Tensor xTrain, Matrix<double> yTrain, Tensor xTest,
        EnsembleOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(xTest);
        ArgumentNullException.ThrowIfNull(options);
        xTrain.EnsureFinite(nameof(xTrain));
        xTest.EnsureFinite(nameof(xTest));
        if (!xTrain.ExampleShape.SequenceEqual(xTest.ExampleShape))
            throw new ArgumentException($"xTest examples have shape ({string.Join(", ", xTest.ExampleShape)}) but xTrain examples have ({string.Join(", ", xTrain.ExampleShape)}).", nameof(xTest));
        var net = FiniteNetwork.Create(network, xTrain.ExampleShape);
        int nTrain = xTrain.Count, k = net.OutputSize;
        if (net.OutputShape.Length > 1)
            throw new ArgumentException(
                $"network maps xTrain examples of shape ({string.Join(", ", xTrain.ExampleShape)}) to outputs of shape ({string.Join(", ", net.OutputShape)}), not to a vector of outputs: " +
                "its Dense layers act on the last axis only; add Flatten() or GlobalAvgPool() before the readout Dense layer, or give (N, d) inputs.", nameof(network));
        CheckMemory(net, options, nTrain, xTest.Count);
        if (yTrain.RowCount != nTrain || yTrain.ColumnCount != k)
            throw new ArgumentException($"yTrain must be {nTrain}×{k} (training examples × network outputs), not {yTrain.RowCount}×{yTrain.ColumnCount}.", nameof(yTrain));
        var y = new double[nTrain * k];
        for (int i = 0; i < nTrain; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double v = yTrain[i, j];
                if (!double.IsFinite(v)) throw new ArgumentException($"yTrain contains a non-finite value ({v}) at ({i}, {j}).", nameof(yTrain));
                y[i * k + j] = v;
            }
        }
        return (net, y, CheckOptions(options, nTrain));
    }

    /// <summary>Fails fast, before allocating, when the recorded outputs or the members' parameters and activations
    /// (per training thread) exceed one array or the memory available; all sizes in 64 bits.</summary>
    private static void CheckMemory(FiniteNetwork net, EnsembleOptions o, int nTrain, int nTest)
    {
        if (o.Members < 1 || o.Checkpoints is null) return; // CheckOptions reports these
        long steps = o.Checkpoints.Distinct().Count();
        double outputs = (double)steps * o.Members * nTest * net.OutputSize;
        if (outputs > Array.MaxLength)
            throw new ArgumentOutOfRangeException("options",
                $"Members × checkpoints × test examples × outputs = {o.Members} × {steps} × {nTest} × {net.OutputSize} = {outputs:G4} recorded outputs ({8 * outputs:G3} bytes), more than one array holds ({Array.MaxLength}); use fewer members, checkpoints or test examples.");
        int threads = Math.Min(o.Members, o.MaxDegreeOfParallelism ?? Environment.ProcessorCount);
        double activations = net.Graph.Sizes.Sum(s => (double)s) * Math.Max(nTrain, nTest);
        double perThread = 8.0 * (3.0 * net.ParameterCount + 2.0 * activations);
        double bytes = 8.0 * outputs + threads * perThread;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && bytes > available)
            throw new ArgumentOutOfRangeException("options",
                $"Training {o.Members} members of {net.ParameterCount} parameters on {Math.Max(nTrain, nTest)} examples with {threads} threads needs about {bytes:G4} bytes ({bytes / (1L << 30):G3} GiB: {8 * outputs:G3} for the recorded outputs, {perThread:G3} per thread for parameters, gradients and activations) but this process has {available} bytes; use fewer members or threads (MaxDegreeOfParallelism), smaller widths, or fewer examples.");
    }

    private static int[] CheckOptions(EnsembleOptions o, int nTrain)
    {
        if (o.Members < 1) throw new ArgumentOutOfRangeException("options", o.Members, "Members must be at least 1.");
        if (!double.IsFinite(o.LearningRate) || o.LearningRate <= 0)
            throw new ArgumentOutOfRangeException("options", o.LearningRate, "LearningRate must be finite and positive.");
        if (o.Checkpoints is null || o.Checkpoints.Count == 0) throw new ArgumentException("Give at least one checkpoint step.", "options");
        if (o.Checkpoints.Any(s => s < 0)) throw new ArgumentOutOfRangeException("options", "Checkpoint steps must be non-negative.");
        var steps = o.Checkpoints.Order().ToArray();
        for (int i = 1; i < steps.Length; i++)
        {
            if (steps[i] == steps[i - 1]) throw new ArgumentException($"Checkpoint step {steps[i]} appears twice.", "options");
        }
        if (o.BatchSize is { } b && (b < 1 || b > nTrain))
            throw new ArgumentOutOfRangeException("options", b, $"BatchSize must be in [1, {nTrain}] (the training set size).");
        if (!(o.DivergenceFactor > 1) || double.IsInfinity(o.DivergenceFactor))
            throw new ArgumentOutOfRangeException("options", o.DivergenceFactor, "DivergenceFactor must be finite and > 1.");
        return steps;
    }
}
