using System.Globalization;
using NtkSharp.Compute;

namespace NtkSharp.GpuRunner;

/// <summary>Command-line options of the GPU runner.</summary>
internal sealed record RunnerOptions(string Mode, string Device, int N, int D, int Outputs, int Repeats, string OutDir,
    int CnnFlattenN, int CnnGapN, long CnnBudgetBytes, int Members, int EnsembleN, int EnsembleWidth, int EnsembleSteps, int CpuSteps)
{
    public const string Usage = """
        NtkSharp GPU runner: correctness checks and timings of the GPU engine (see docs/gpu.md).
        usage: NtkSharp.GpuRunner <describe|check|bench|ensemble|all> [options]
          --device cuda|ilgpu-cpu|cpu   where to run (default cuda)
          --n N                         training examples for bench (default 20000; check uses min(N, 1500))
          --d D                         input features (default 784)
          --outputs K                   target columns of the predictor (default 10)
          --repeats R                   timed repetitions after one warm-up (default 3; the median is reported)
          --out DIR                     where results.md and results.json are written (default ./gpu-results)
          --cnn-flatten-n N             images for the CNN Flatten timing (default 2000)
          --cnn-gap-n N                 images for the CNN GAP timing (default 128)
          --cnn-budget-gib G            device workspace for the CNN kernels in GiB (default 16)
          --members M                   ensemble members (default 100)
          --ensemble-n N                training examples of the ensemble (default 1000; 100 test inputs)
          --ensemble-width W            hidden width of the ensemble's MLP (default 512)
          --ensemble-steps S            full-batch steps timed on the device (default 100)
          --cpu-steps S                 steps of the CPU ensemble reference (default 5; its rate is per member-step)
        """;

    public static RunnerOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help") throw new ArgumentException(Usage);
        string mode = args[0], device = "cuda", outDir = "gpu-results";
        int n = 20_000, d = 784, outputs = 10, repeats = 3, cnnFlattenN = 2000, cnnGapN = 128, cnnBudgetGiB = 16;
        int members = 100, ensembleN = 1000, ensembleWidth = 512, ensembleSteps = 100, cpuSteps = 5;
        for (int i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture) is var v && v > 0 ? v : throw new ArgumentException($"{args[i - 1]} must be positive.");
            switch (args[i])
            {
                case "--device": device = Value(); break;
                case "--n": n = Int(); break;
                case "--d": d = Int(); break;
                case "--outputs": outputs = Int(); break;
                case "--repeats": repeats = Int(); break;
                case "--out": outDir = Value(); break;
                case "--cnn-flatten-n": cnnFlattenN = Int(); break;
                case "--cnn-gap-n": cnnGapN = Int(); break;
                case "--cnn-budget-gib": cnnBudgetGiB = Int(); break;
                case "--members": members = Int(); break;
                case "--ensemble-n": ensembleN = Int(); break;
                case "--ensemble-width": ensembleWidth = Int(); break;
                case "--ensemble-steps": ensembleSteps = Int(); break;
                case "--cpu-steps": cpuSteps = Int(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }
        if (mode is not ("describe" or "check" or "bench" or "ensemble" or "all")) throw new ArgumentException($"Unknown mode {mode}.\n{Usage}");
        return new RunnerOptions(mode, device, n, d, outputs, repeats, outDir, cnnFlattenN, cnnGapN, (long)cnnBudgetGiB << 30,
            members, ensembleN, ensembleWidth, ensembleSteps, cpuSteps);
    }

    public ComputeContext CreateContext() => Device switch
    {
        "cuda" => ComputeContext.Cuda(),
        "ilgpu-cpu" => ComputeContext.IlgpuCpu(),
        "cpu" => ComputeContext.Cpu(),
        _ => throw new ArgumentException($"Unknown device {Device} (cuda, ilgpu-cpu, cpu)."),
    };
}
