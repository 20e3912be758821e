using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Finite;

/// <summary>
/// Monte Carlo estimates of the infinite-width kernels from finite networks (neural-tangents'
/// <c>monte_carlo_kernel_fn</c>): the empirical NNGP and NTK (<see cref="FiniteNetwork.EmpiricalKernels"/>)
/// averaged over independent initialisations.
/// </summary>
/// <remarks>
/// As the widths grow, the average converges to the NNGP K of <see cref="KernelFunction"/> (Neal 1996; Lee et al.
/// 2018; Matthews et al. 2018) and the empirical NTK itself to the NTK Θ (Jacot et al. 2018; Arora et al. 2019).
/// Samples run in parallel; sample i uses stream i of <see cref="MonteCarloOptions.Seed"/> and partial sums are
/// combined in a fixed order, so the result is the same for any number of threads. <see cref="Dropout"/> runs in train
/// mode with the masks of key (Seed, i) (<see cref="DropoutMask"/>): a fresh mask per sample, independent across the
/// examples of x1 and x2, so the estimate converges to the train-mode kernel (1/rate on the symmetric diagonal only).
/// </remarks>
public static class MonteCarloKernels
{
    private const int MaxChunks = 32;
    private const long ChunkMemoryBudget = 256L << 20;

    /// <summary>Estimates the kernels between x1 and x2 (x1 when null) for the finite network of <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">Bad inputs (non-finite values, mismatched shapes) or fewer than 2 samples.</exception>
    /// <exception cref="ArchitectureException">The architecture is invalid or cannot take the input shape.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static MonteCarloKernelResult Estimate(Layer network, Tensor x1, Tensor? x2 = null, MonteCarloOptions? options = null,
        IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x1);
        options ??= new MonteCarloOptions();
        if (options.Samples < 2) throw new ArgumentOutOfRangeException(nameof(options), options.Samples, "Monte Carlo needs at least 2 samples (for standard errors).");
        var outputs = options.Outputs;
        if (outputs == 0 || (outputs & ~KernelOutputs.Both) != 0)
            throw new ArgumentOutOfRangeException(nameof(options), outputs, "Ask for Nngp, Ntk or both.");
        x1.EnsureFinite(nameof(x1));
        if (x2 is not null)
        {
            x2.EnsureFinite(nameof(x2));
            if (!x1.ExampleShape.SequenceEqual(x2.ExampleShape))
                throw new ArgumentException($"x2 examples have shape ({string.Join(", ", x2.ExampleShape)}) but x1 examples have ({string.Join(", ", x1.ExampleShape)}).", nameof(x2));
        }
        var net = FiniteNetwork.Create(network, x1.ExampleShape);
        int n1 = x1.Count, n2 = x2?.Count ?? n1, n = n1 + (x2 is null ? 0 : n2);
        var x = x2 is null ? x1.Data : [.. x1.Data, .. x2.Data];
        bool wantNngp = (outputs & KernelOutputs.Nngp) != 0, wantNtk = (outputs & KernelOutputs.Ntk) != 0;
        int s = options.Samples;
        long perChunk = 4L * n * n * sizeof(double);
        int chunks = (int)Math.Clamp(Math.Min(MaxChunks, ChunkMemoryBudget / Math.Max(1, perChunk)), 1, s);
        var sums = new double[chunks][];
        var done = 0L;
        var po = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount,
        };
        int nn = n * n;
        Parallel.For(0, chunks, po, c =>
        {
            // Chunk c handles samples c, c + chunks, c + 2·chunks, … ; the partition depends only on (samples, n).
            var acc = new double[4 * nn];
            var ws = new FiniteWorkspace(net.Graph, n, wantNtk ? net.OutputSize : 1);
            var p = new double[net.ParameterCount];
            var k = new double[nn];
            var t = new double[nn];
            for (int i = c; i < s; i += chunks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                net.InitInto(p, options.Seed, i);
                ws.DropoutKey = DropoutMask.MemberKey(DropoutMask.CallKey(options.Seed, i, DropoutMask.MonteCarloPhase), 0);
                net.EmpiricalKernelsInto(p, ws, x, n, wantNngp ? k : [], wantNtk ? t : []);
                for (int e = 0; e < nn; e++)
                {
                    acc[e] += k[e];
                    acc[nn + e] += k[e] * k[e];
                    acc[2 * nn + e] += t[e];
                    acc[3 * nn + e] += t[e] * t[e];
                }
                long d = Interlocked.Increment(ref done);
                progress?.Report(new KernelProgress(d, s));
            }
            sums[c] = acc;
        });
        var total = new double[4 * nn];
        foreach (var acc in sums)
        {
            for (int e = 0; e < total.Length; e++) total[e] += acc[e];
        }
        int off2 = x2 is null ? 0 : n1;
        Matrix<double> Mean(int slot) => Matrix<double>.Build.Dense(n1, n2, (i, j) => total[slot * nn + i * n + off2 + j] / s);
        Matrix<double> Se(int slot) => Matrix<double>.Build.Dense(n1, n2, (i, j) =>
        {
            int e = i * n + off2 + j;
            double mean = total[slot * nn + e] / s;
            double var = Math.Max(0.0, (total[(slot + 1) * nn + e] - s * mean * mean) / (s - 1));
            return Math.Sqrt(var / s);
        });
        return new MonteCarloKernelResult(
            wantNngp ? Mean(0) : null, wantNtk ? Mean(2) : null,
            wantNngp ? Se(0) : null, wantNtk ? Se(2) : null, s);
    }
}
