using System.Diagnostics;
using System.Globalization;
using NtkSharp.Compute;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Kernels;
using NtkSharp.Prediction;

namespace NtkSharp.GpuRunner;

/// <summary>
/// The issue's "ensembles of 100 MLPs": M members of a depth-3 ReLU MLP (width 512 by default) trained by full-batch gradient
/// descent on N examples of dimension d, all members together on the device, against the CPU ensemble (members in
/// parallel across cores). Rates are member-steps per second; the CPU runs fewer steps (its rate is constant per step),
/// and its last checkpoint is also recorded on the device, which checks the two against each other (1e-10 relative).
/// </summary>
internal static class EnsembleBenchmark
{
    public static void Run(ComputeContext context, RunnerOptions options, Report report)
    {
        int members = options.Members, n = options.EnsembleN, d = options.D, steps = options.EnsembleSteps, width = options.EnsembleWidth;
        int cpuSteps = Math.Min(options.CpuSteps, steps);
        report.Heading($"Ensembles of {members} MLPs: depth-3 ReLU width {width}, d = {d}, N = {n}, full batch, {steps} steps ({context.Backend})");
        var net = Workloads.EnsembleMlp(width);
        var x = Workloads.Inputs(n, d, 21);
        var xTest = Workloads.Inputs(100, d, 22);
        var y = Workloads.Targets(n, 1, 23);
        var ntk = new KernelFunction(net).Compute(x, outputs: KernelOutputs.Ntk).Ntk!;
        double eta = 0.5 * GradientDescentMse.MaxLearningRateOf(ntk, n);
        report.Line($"learning rate {eta.ToString("G4", CultureInfo.InvariantCulture)} (half the stability limit 2n/λ_max of the analytic NTK)");
        int[] checkpoints = cpuSteps == steps ? [0, steps] : [0, cpuSteps, steps];
        var deviceOptions = new EnsembleOptions { Members = members, LearningRate = eta, Checkpoints = checkpoints, Seed = 1, RecordNtk = false };
        EnsembleResult? device = null;
        double deviceSeconds = Benchmarks.Median(options.Repeats, () => device = Ensemble.Train(net, x, y, xTest, deviceOptions, context));
        double deviceRate = (double)members * steps / deviceSeconds;
        report.Timing($"device ensemble ({members} members × {steps} steps)", deviceSeconds,
            $"{Rate(deviceRate)} member-steps/s; checkpoints test forward + training loss included");

        var cpuOptions = deviceOptions with { Checkpoints = [0, cpuSteps] };
        var clock = Stopwatch.StartNew();
        var cpu = Ensemble.Train(net, x, y, xTest, cpuOptions);
        double cpuSeconds = clock.Elapsed.TotalSeconds, cpuRate = (double)members * cpuSteps / cpuSeconds;
        report.Timing($"CPU ensemble ({members} members × {cpuSteps} steps, {Environment.ProcessorCount} threads)", cpuSeconds,
            $"{Rate(cpuRate)} member-steps/s; one run");
        report.Line($"device / CPU: {(deviceRate / cpuRate).ToString("G3", CultureInfo.InvariantCulture)}× in member-steps/s");

        int block = cpu.TestCount * cpu.OutputSize * members;
        double err = 0, scale = 0;
        var expected = cpu.MemberOutputs.Slice(block, block);
        var actual = device!.MemberOutputs.Slice(block, block);
        for (int i = 0; i < block; i++)
        {
            err = Math.Max(err, Math.Abs(expected[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        double rel = err / scale;
        report.Check("ensemble device vs CPU", rel <= 1e-10,
            $"all members' test outputs after {cpuSteps} steps: max relative difference {rel.ToString("E2", CultureInfo.InvariantCulture)} (bound 1e-10)");
    }

    private static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
}
