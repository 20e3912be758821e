using System.Diagnostics;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// neural-tangents' README performance network, for a like-for-like comparison with its published CPU figures
/// (0.3414 ms Flatten, 258.55 ms GlobalAvgPool per NTK entry, float64, "CPU, >56 cores", version 0.2.1):
/// 21 × (Conv(1, (3, 3), (1, 1), 'SAME'), Relu) on 32×32×3 inputs, top layer Flatten or GlobalAvgPool, NNGP + NTK,
/// 2 threads. Reports process CPU time per entry (the self passes included). Run:
/// <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- nt-readme-cputime</c>.
/// </summary>
public static class NtReadmeCnnCpuTime
{
    public static void Run()
    {
        Layer[] body = [.. Enumerable.Range(0, 21).SelectMany(_ => new Layer[] { Stax.Conv(1, (3, 3), padding: Padding.Same), Stax.Relu() })];
        var flatten = new KernelFunction(Stax.Serial([.. body, Stax.Flatten()]));
        var gap = new KernelFunction(Stax.Serial([.. body, Stax.GlobalAvgPool()]));
        var rng = new Random(2);
        Tensor Images(int n)
        {
            var d = new double[n * 32 * 32 * 3];
            for (int i = 0; i < d.Length; i++) d[i] = rng.NextDouble() * 2 - 1;
            return new Tensor(d, n, 32, 32, 3);
        }
        var options = new KernelOptions { MaxDegreeOfParallelism = 2 };
        var a = Images(32);
        var b = Images(32);
        Measure("nt README CNN, Flatten top (32 × 32 entries)", 1024, () => flatten.Compute(a, b, KernelOutputs.Both, options), 3);
        var c = Images(2);
        var e = Images(2);
        Measure("nt README CNN, GlobalAvgPool top (2 × 2 entries + 4 self passes)", 4, () => gap.Compute(c, e, KernelOutputs.Both, options), 1);
    }

    private static void Measure(string name, int entries, Action run, int repeats)
    {
        var p = Process.GetCurrentProcess();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            run();
            p.Refresh();
            best = Math.Min(best, (p.TotalProcessorTime - c0).TotalMilliseconds / entries);
        }
        Console.WriteLine($"{name}: CPU {best:F4} ms per entry (min of {repeats}, first run included); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }
}
