using System.Diagnostics;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

namespace NtkSharp.Benchmarks;

/// <summary>
/// <see cref="KernelSpectrum.OverGroup"/> against a dense eigendecomposition of the orbit Gram matrix at N|G| = 4096
/// (ReLU MLP NTK on ℝ² points, C4, D4, C8, C16). Both sides compute eigenvalues and eigenvectors. Reported: the kernel
/// time (N × N|G| columns vs the (N|G|)² Gram), the decomposition time, and the totals; best of the repeats, wall clock.
/// Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- group-spectrum [repeats]</c>.
/// </summary>
public static class GroupSpectrumTiming
{
    public static void Run(int repeats)
    {
        var net = Stax.Serial(Stax.Dense(512, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(512, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.5, bStd: 0.1));
        var kf = new KernelFunction(net);
        Console.WriteLine($"backend {Backend.Info.Kind}, {Environment.ProcessorCount} logical CPUs, load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("group | N | columns (s) | blocks (s) | spectrum total (s) | Gram (s) | dense eigen (s) | dense total (s) | speed-up total | speed-up eigen | bar |G|²/4 | process CPU time");
        foreach (var (name, group) in new[] { ("C4", Groups.C4([2])), ("D4", Groups.D4([2])), ("C8", Groups.Cn(8, [2])), ("C16", Groups.Cn(16, [2])) })
        {
            int n = 4096 / group.Order;
            var rng = new Random(1);
            var x = new Tensor(Enumerable.Range(0, 2 * n).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), n, 2);
            var orbit = group.OrbitInputs(x);
            double cols = double.MaxValue, spec = double.MaxValue, gram = double.MaxValue, eig = double.MaxValue;
            double maxDiff = 0, specCpu = double.MaxValue, denseCpu = double.MaxValue;
            var proc = System.Diagnostics.Process.GetCurrentProcess();
            for (int r = 0; r < repeats; r++)
            {
                var sw = Stopwatch.StartNew();
                kf.Compute(x, orbit, KernelOutputs.Ntk);
                cols = Math.Min(cols, sw.Elapsed.TotalSeconds);
                proc.Refresh();
                var c0 = proc.TotalProcessorTime;
                sw.Restart();
                var s = KernelSpectrum.OverGroup(kf, group, x);
                spec = Math.Min(spec, sw.Elapsed.TotalSeconds);
                proc.Refresh();
                specCpu = Math.Min(specCpu, (proc.TotalProcessorTime - c0).TotalSeconds);
                c0 = proc.TotalProcessorTime;
                sw.Restart();
                var g = kf.Compute(orbit, null, KernelOutputs.Ntk).Ntk!;
                gram = Math.Min(gram, sw.Elapsed.TotalSeconds);
                sw.Restart();
                var e = SymmetricEigen.Compute(g);
                eig = Math.Min(eig, sw.Elapsed.TotalSeconds);
                proc.Refresh();
                denseCpu = Math.Min(denseCpu, (proc.TotalProcessorTime - c0).TotalSeconds);
                var a = s.OrbitGramEigenvalues();
                var d = e.EigenValues.Reverse().ToArray();
                for (int i = 0; i < d.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - d[i]) / d[0]);
            }
            double blocks = spec - cols;
            Console.WriteLine($"{name} | {n} | {cols:F3} | {blocks:F3} | {spec:F3} | {gram:F3} | {eig:F3} | {gram + eig:F3} | {(gram + eig) / spec:F1}× | {eig / blocks:F1}× | {group.Order * group.Order / 4.0:F0} | CPU s: spectrum {specCpu:F2}, dense {denseCpu:F2}, ratio {denseCpu / specCpu:F1}× (max |Δλ|/λ_max {maxDiff:E1})");
        }
        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
