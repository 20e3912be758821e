using BenchmarkDotNet.Running;

namespace NtkSharp.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project benchmarks/NtkSharp.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["ensemble-throughput"])
        {
            Mnist.Throughput(Console.Out);
            return;
        }
        if (args is ["conv-cputime"])
        {
            ConvKernelCpuTime.Run();
            return;
        }
        if (args is ["group-cputime"])
        {
            GroupKernelCpuTime.Run();
            return;
        }
        if (args is ["catalogue-cputime"] or ["catalogue-cputime", "quadrature"])
        {
            CatalogueCpuTime.Run(args.Length == 2);
            return;
        }
        if (args is ["nt-readme-cputime"])
        {
            NtReadmeCnnCpuTime.Run();
            return;
        }
        if (args is ["group-spectrum", ..])
        {
            GroupSpectrumTiming.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
