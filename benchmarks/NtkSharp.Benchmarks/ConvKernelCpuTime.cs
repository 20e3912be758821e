using System.Diagnostics;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// Process CPU time per Gram entry of the <see cref="ConvKernelBenchmarks"/> networks, for a shared (oversubscribed)
/// machine where wall-clock times measure the other tenants: on an idle 2-core machine the wall time per entry is
/// about CPU time / 2. Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- conv-cputime</c>.
/// </summary>
public static class ConvKernelCpuTime
{
    public static void Run()
    {
        var b = new ConvKernelBenchmarks();
        b.Setup();
        Measure("Flatten readout (diagonal layout)", 4096, () => b.FlattenReadout(), 10);
        Measure("GlobalAvgPool readout (full layout)", 16, () => b.GlobalAvgPoolReadout(), 3);
    }

    private static void Measure(string name, int entries, Action run, int repeats)
    {
        run();
        var p = Process.GetCurrentProcess();
        var best = double.MaxValue;
        var bestWall = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            sw.Stop();
            p.Refresh();
            best = Math.Min(best, (p.TotalProcessorTime - c0).TotalMilliseconds / entries);
            bestWall = Math.Min(bestWall, sw.Elapsed.TotalMilliseconds / entries);
        }
        Console.WriteLine($"{name}: CPU {best * 1000:F1} µs per entry (min of {repeats}); wall {bestWall * 1000:F1} µs per entry; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }
}
