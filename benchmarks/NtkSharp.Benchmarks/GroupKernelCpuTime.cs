using System.Diagnostics;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// Process CPU time per pair run (one thread) of the p4 and p4m GCNN kernels of docs/performance.md —
/// LiftingConv + 2 × GroupConv, 3×3 Circular, ReLU, GroupPool, GlobalAvgPool, Dense — beside the CNN with the same
/// layers (Conv ×3 + GlobalAvgPool) on 28×28×1 images. One call computes K and Θ for one x1 against one x2: two self
/// passes and one pair, so a pair run is a third of the call.
/// Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- group-cputime</c>.
/// </summary>
public static class GroupKernelCpuTime
{
    public static void Run()
    {
        var rng = new Random(1);
        Tensor Image() => new([.. Enumerable.Range(0, 784).Select(_ => rng.NextDouble() - 0.5)], 1, 28, 28, 1);
        var x1 = Image();
        var x2 = Image();
        var options = new KernelOptions { MaxDegreeOfParallelism = 1 };
        Layer Net(PlanarGroup? g) => g is { } grp
            ? Stax.Serial(Stax.LiftingConv(64, grp, (3, 3), Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
                Stax.GroupConv(64, grp, (3, 3), Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
                Stax.GroupConv(64, grp, (3, 3), Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
                Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(1))
            : Stax.Serial(Stax.Conv(64, (3, 3), padding: Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
                Stax.Conv(64, (3, 3), padding: Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
                Stax.Conv(64, (3, 3), padding: Padding.Circular, wStd: 1.4, bStd: 0.1), Stax.Relu(),
                Stax.GlobalAvgPool(), Stax.Dense(1));
        double cnn = Measure("CNN-GAP", new KernelFunction(Net(null)), x1, x2, options);
        foreach (var g in new[] { PlanarGroup.P4, PlanarGroup.P4M })
        {
            double t = Measure($"GCNN {g}", new KernelFunction(Net(g)), x1, x2, options);
            Console.WriteLine($"  ratio to CNN-GAP: {t / cnn:F2}×");
        }
    }

    private static double Measure(string name, KernelFunction kf, Tensor x1, Tensor x2, KernelOptions options, int repeats = 3)
    {
        kf.Compute(x1, x2, options: options);
        var p = Process.GetCurrentProcess();
        double best = double.MaxValue, bestWall = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            kf.Compute(x1, x2, options: options);
            sw.Stop();
            p.Refresh();
            best = Math.Min(best, (p.TotalProcessorTime - c0).TotalMilliseconds / 3);
            bestWall = Math.Min(bestWall, sw.Elapsed.TotalMilliseconds / 3);
        }
        Console.WriteLine($"{name}: CPU {best:F1} ms per pair run (min of {repeats}); wall {bestWall:F1} ms; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return best;
    }
}
