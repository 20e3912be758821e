using NtkSharp.Compute;

namespace NtkSharp.GpuRunner;

/// <summary>
/// The GPU runner: a self-contained executable for machines with an NVIDIA GPU and no .NET SDK. <c>describe</c>
/// reports the devices and vendor libraries, <c>check</c> compares the CUDA engine and the cuSOLVER/cuBLAS provider
/// with the CPU (exit code 1 on a mismatch), <c>bench</c> times the kernel and predictor workloads,
/// <c>ensemble</c> times an ensemble of 100 MLPs on the device against the CPU ensemble, <c>all</c> does all four.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        RunnerOptions options;
        try
        {
            options = RunnerOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var report = new Report();
        report.Heading("Machine");
        report.Line($"{Environment.MachineName}: {Environment.ProcessorCount} threads, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        report.Line($"CUDA devices found by ILGPU: {ComputeContext.CudaDeviceCount}");
        report.Line($"linear algebra backend (CPU): {NtkSharp.LinearAlgebra.Backend.Info.Kind}");
        try
        {
            using var context = options.CreateContext();
            report.Line($"device: {context.Describe()}");
            if (options.Mode is "check" or "all") Checks.Run(context, options, report);
            if (options.Mode is "bench" or "all") Benchmarks.Run(context, options, report);
            if (options.Mode is "ensemble" or "all") EnsembleBenchmark.Run(context, options, report);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException or NotSupportedException)
        {
            report.Check("run", false, e.Message);
        }
        report.Write(options.OutDir);
        return report.Failed ? 1 : 0;
    }
}
