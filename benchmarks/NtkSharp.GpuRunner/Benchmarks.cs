using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute;
using NtkSharp.Compute.Gpu;
using NtkSharp.Kernels;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.GpuRunner;

/// <summary>
/// Timings of the issue's workloads: wall-clock medians over <see cref="RunnerOptions.Repeats"/> runs after one
/// warm-up (which also compiles the kernels). Stopwatch rather than BenchmarkDotNet: each operation takes 0.1–10 s
/// and the machine has no SDK for BenchmarkDotNet's child processes.
/// </summary>
internal static class Benchmarks
{
    public static void Run(ComputeContext context, RunnerOptions options, Report report)
    {
        int n = options.N, d = options.D, m = Math.Max(1, n / 10);
        report.Heading($"Depth-5 ReLU MLP kernel, N = {n}, d = {d} ({context.Backend})");
        var x = Workloads.Inputs(n, d, 11);
        var kf = new KernelFunction(Workloads.DeepRelu(), context);
        KernelResult? train = null;
        double total = Median(options.Repeats, () => train = kf.Compute(x));
        double pairs = (double)n * (n + 1) / 2;
        report.Timing("kernel NNGP + NTK (train × train)", total, $"{Report.Format(total / pairs)} per pair, upper triangle; result copied into managed matrices");
        if (context.Engine is GpuKernelEngine engine)
        {
            report.Line(Phases("last run", engine.LastTimes));
        }
        if (context.Engine is GpuKernelEngine engine32)
        {
            var float32 = new KernelOptions { Precision = KernelPrecision.Float32 };
            KernelResult? train32 = null;
            double total32 = Median(options.Repeats, () => train32 = kf.Compute(x, options: float32));
            double err32 = Math.Max(Workloads.RelativeError(train!.Nngp!, train32!.Nngp!), Workloads.RelativeError(train.Ntk!, train32.Ntk!));
            report.Timing("kernel NNGP + NTK, float32 (train × train)", total32,
                $"{Report.Format(total32 / pairs)} per pair; max relative difference from float64 {err32.ToString("E2", System.Globalization.CultureInfo.InvariantCulture)}");
            report.Line(Phases("last float32 run", engine32.LastTimes));
        }
        var xTest = Workloads.Inputs(m, d, 12);
        KernelResult? testTrain = null;
        double cross = Median(options.Repeats, () => testTrain = kf.Compute(xTest, x, KernelOutputs.Ntk));
        report.Timing($"kernel NTK (test × train, M = {m})", cross, $"{Report.Format(cross / ((double)m * n))} per pair");

        report.Heading($"Gradient-descent predictor on the NTK, N = {n}, K = {options.Outputs}");
        if (context.Backend != ComputeBackend.Cuda)
        {
            report.Line("skipped: the device predictor needs CUDA (cuSOLVER)");
        }
        else
        {
            Predictor(context, train!.Ntk!, testTrain!.Ntk!, options, report);
        }

        foreach (var (gap, count) in new[] { (false, options.CnnFlattenN), (true, options.CnnGapN) })
        {
            string readout = gap ? "GAP" : "Flatten";
            report.Heading($"CNN 5 × (3×3 conv, ReLU) on 28×28×1, {readout} readout, N = {count} ({context.Backend})");
            var images = Workloads.Images(count, 28, 14);
            var cnn = new KernelFunction(Workloads.Cnn(gap), context);
            var cnnOptions = new KernelOptions { MemoryBudgetBytes = options.CnnBudgetBytes };
            KernelResult? cnn64 = null;
            double seconds = Median(options.Repeats, () => cnn64 = cnn.Compute(images, options: cnnOptions));
            double cnnPairs = (double)count * (count + 1) / 2;
            report.Timing($"CNN {readout} NNGP + NTK", seconds, $"{Report.Format(seconds / cnnPairs)} per pair (upper triangle, self pass included)");
            if (context.Engine is GpuKernelEngine)
            {
                KernelResult? cnn32 = null;
                var cnnFloat32 = cnnOptions with { Precision = KernelPrecision.Float32 };
                double seconds32 = Median(options.Repeats, () => cnn32 = cnn.Compute(images, options: cnnFloat32));
                double err = Math.Max(Workloads.RelativeError(cnn64!.Nngp!, cnn32!.Nngp!), Workloads.RelativeError(cnn64.Ntk!, cnn32.Ntk!));
                report.Timing($"CNN {readout} NNGP + NTK, float32 workspaces", seconds32,
                    $"{Report.Format(seconds32 / cnnPairs)} per pair; max relative difference from float64 {err.ToString("E2", System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static string Phases(string run, GpuPhaseTimes t) =>
        $"phases of the {run}: self pass {Report.Format(t.SelfPass)}, tile pipeline {Report.Format(t.Tiles)} (host waiting on " +
        $"compute {Report.Format(t.WaitCompute)}, device→host copies {Report.Format(t.WaitCopy)}, scatter {Report.Format(t.WaitScatter)}), total {Report.Format(t.Total)}";

    /// <summary>μ_t(x) = Θ(x, X)·V·diag((1 − e^{−ηλt/n})/λ)·Vᵀ·Y at one finite time and μ_∞ by Cholesky, every
    /// factorisation and product on the device.</summary>
    private static void Predictor(ComputeContext context, Matrix<double> ntk, Matrix<double> ntkTestTrain, RunnerOptions options, Report report)
    {
        var y = Workloads.Targets(ntk.RowCount, options.Outputs, 13);
        double nSize = y.RowCount * y.ColumnCount;
        using var scope = context.UseForLinearAlgebra();
        SymmetricEigen? eigen = null;
        double eig = Median(options.Repeats, () => eigen = SymmetricEigen.Compute(ntk));
        report.Timing("eigendecomposition (cuSOLVER Dsyevd, with transfers)", eig, $"N = {ntk.RowCount}");
        double lambdaMax = eigen!.EigenValues.Maximum(), eta = nSize / lambdaMax, time = 10.0;
        double mean = Median(options.Repeats, () =>
        {
            var projected = DenseOps.Multiply(eigen.EigenVectors, y, transposeA: true);
            for (int i = 0; i < projected.RowCount; i++)
            {
                double l = Math.Max(eigen.EigenValues[i], 0.0);
                double f = l > 0 ? -double.ExpM1(-eta * l * time / nSize) / l : eta * time / nSize;
                for (int k = 0; k < projected.ColumnCount; k++) projected[i, k] *= f;
            }
            var alpha = DenseOps.Multiply(eigen.EigenVectors, projected);
            _ = DenseOps.Multiply(ntkTestTrain, alpha);
        });
        report.Timing("mean at finite t from the eigenbasis (cuBLAS Dgemm)", mean, $"M = {ntkTestTrain.RowCount} test points");
        var reg = ntk + Matrix<double>.Build.DenseDiagonal(ntk.RowCount, ntk.RowCount, 1e-6 * ntk.Diagonal().Average());
        double chol = Median(options.Repeats, () => _ = DenseOps.Multiply(ntkTestTrain, CholeskyFactor.Compute(reg).Solve(y)));
        report.Timing("mean at t = ∞ (cuSOLVER Dpotrf/Dpotrs + Dgemm)", chol, "diagonal regulariser 1e-6·mean(diag)");
        report.Line($"predictor total (eigendecomposition + one time): {Report.Format(eig + mean)}");
    }

    /// <summary>The median wall time of <paramref name="repeats"/> runs after one warm-up run.</summary>
    internal static double Median(int repeats, Action action)
    {
        action(); // warm-up: kernel compilation, library loading, page faults
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[r] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
