using System.Diagnostics;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Benchmarks;

/// <summary>
/// Process CPU time per Gram entry of the catalogue's duals on one core, for the oversubscribed shared machine where
/// wall-clock times (<see cref="CatalogueKernelBenchmarks"/>) measure the other tenants:
/// (1) in the fused FC program of Serial(Dense(512, 1.2, 0.05), φ, Dense(1)) on d = 64 inputs, over runs of 4096 Gram
/// entries (the CPU engine's inner loop, <c>FcProgram.RunRun</c>), minus the same network with Identity(), i.e. the
/// dual's own cost per entry in the fused program;
/// (2) the registry's run form over 4096 entries (the CPU engines' inner loop), repeated.
/// Run: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- catalogue-cputime</c>.
/// </summary>
public static class CatalogueCpuTime
{
    private static readonly string[] Phis =
    [
        "Relu()", "Erf()", "Gelu()", "Erf(a: 0.5, b: 2, c: 0.1)", "SigmoidLike()", "Sin(a: 1, b: 1, c: 0.3)", "Cos()", "Rbf(gamma: 1)",
        "Gaussian(a: 2, b: -1)", "Exp(a: 1, b: 0.5)", "Monomial(degree: 3)", "RectifiedMonomial(degree: 2)",
        "Polynomial(coefficients: [0.1, 1, 0.5, 0.2])", "Hermite(degree: 3)",
    ];

    private static readonly string[] Quadrature = ["Tanh()", "Sigmoid()", "Softplus()", "Silu()"];

    public static void Run(bool quadratureOnly = false)
    {
        if (quadratureOnly)
        {
            // Run form only (the per-variance coefficients are prepared in the warm-up and cached, as in the engine).
            foreach (var phi in Quadrature)
            {
                double run = RunForm((Activation)Layer.Parse(phi), reps: 2);
                Console.WriteLine($"{phi,-12} run form: {run,8:F1} ns/entry ({1e3 / run,6:F2} M entries/s per core); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            }
            return;
        }
        // Past tiered compilation of the program's interpreter (Tier 1 is compiled in the background after a delay).
        FusedRun("Identity()");
        FusedRun("Relu()");
        Thread.Sleep(1000);
        FusedRun("Identity()");
        double identity = FusedRun("Identity()");
        Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; Identity network, fused FC program run: {identity:F2} ns/entry");
        foreach (var phi in Phis)
        {
            double fused = FusedRun(phi) - identity;
            double run = RunForm((Activation)Layer.Parse(phi));
            Console.WriteLine($"{phi,-46} fused FC: {fused,7:F1} ns/entry ({1e3 / fused,6:F1} M entries/s per core); run form: {run,7:F1} ns/entry ({1e3 / run,6:F1} M/s)");
        }
    }

    /// <summary>ns per entry of the fused FC program of <see cref="Net"/> (d = 64) over runs of 4096 Gram entries
    /// (<c>FcProgram.RunRun</c>, NNGP + NTK, the engine's inner loop): input variances 0.3–0.8 in 64 steps, correlations
    /// uniform in (−1, 1), the slot variances as the self pass records them (w²q + b²); 400 runs, best of 5.</summary>
    private static double FusedRun(string phi, int reps = 400)
    {
        const int len = 4096;
        var program = FcProgram.TryCompile(Net(phi), 64) ?? throw new InvalidOperationException($"{phi} is not per entry");
        int slots = Math.Max(1, program.Slots);
        var rng = new Random(2);
        var q1 = new double[len];
        var k0 = new double[len];
        const double q2 = 0.55;
        for (int i = 0; i < len; i++)
        {
            q1[i] = 0.3 + 0.5 * (i % 64) / 64.0;
            k0[i] = (2 * rng.NextDouble() - 1) * Math.Sqrt(q1[i] * q2);
        }
        var var1 = new double[slots * len];
        var var2 = new double[slots];
        for (int sl = 0; sl < slots; sl++)
        {
            for (int i = 0; i < len; i++) var1[sl * len + i] = 1.44 * q1[i] + 0.0025;
            var2[sl] = 1.44 * q2 + 0.0025;
        }
        var k = new double[len];
        var t = new double[len];
        var scratch = new double[Math.Max(1, program.ScratchLength(len))];
        double ms = CpuMs(() =>
        {
            for (int r = 0; r < reps; r++)
            {
                k0.CopyTo(k, 0);
                program.RunRun(k, t, var1, len, var2, scratch);
            }
        }, 5);
        return ms * 1e6 / (reps * (double)len);
    }

    private static Layer Net(string phi) => Layer.Parse($"Serial(Dense(512, wStd: 1.2, bStd: 0.05), {phi}, Dense(1))");

    /// <summary>ns per entry of the family's run form over 4096 entries with 64 distinct row variances (400 runs, best of 5).</summary>
    private static double RunForm(Activation layer, int reps = 400)
    {
        const int len = 4096;
        var rng = new Random(1);
        var c11 = new double[len];
        var c12 = new double[len];
        for (int i = 0; i < len; i++)
        {
            c11[i] = 0.5 + (i % 64) / 64.0;
            c12[i] = (2 * rng.NextDouble() - 1) * Math.Sqrt(c11[i] * 1.2);
        }
        var k = new double[len];
        var t = new double[len];
        var spec = layer.Spec;
        var family = layer.Family;
        double ms = CpuMs(() =>
        {
            for (int r = 0; r < reps; r++)
            {
                c12.CopyTo(k, 0);
                Array.Fill(t, 1.0);
                family.Run(spec, c11, 1.2, k, t);
            }
        }, reps == 400 ? 5 : 1);
        return ms * 1e6 / (reps * (double)len);
    }

    private static double CpuMs(Action run, int repeats)
    {
        for (int w = 0; w < 3; w++) run(); // past tiered JIT's first tiers
        var p = Process.GetCurrentProcess();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            run();
            p.Refresh();
            best = Math.Min(best, (p.TotalProcessorTime - c0).TotalMilliseconds);
        }
        return best;
    }
}
