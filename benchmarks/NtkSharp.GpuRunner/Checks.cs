using System.Globalization;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Compute;
using NtkSharp.Kernels;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.GpuRunner;

/// <summary>The device results against the CPU: the kernel engine to 1e-12 relative, the linear algebra provider to
/// 1e-11 (eigenvalues) and 1e-12 (reconstruction, orthonormality).</summary>
internal static class Checks
{
    public static void Run(ComputeContext context, RunnerOptions options, Report report)
    {
        report.Heading("Checks against the CPU engine");
        int n = Math.Min(options.N, 1500), m = Math.Max(1, n / 3), d = options.D;
        var x = Workloads.Inputs(n, d, 1);
        var x2 = Workloads.Inputs(m, d, 2);
        foreach (var (name, net) in new[] { ("deep-relu", Workloads.DeepRelu()), ("erf-standard", Workloads.ErfStandard()), ("residual", Workloads.Residual()) })
        {
            var cpu = new KernelFunction(net);
            var gpu = new KernelFunction(net, context);
            var small = new KernelOptions { MemoryBudgetBytes = 16L * 256 * 256 }; // several tiles
            var rs = cpu.Compute(x);
            var gs = gpu.Compute(x, options: small);
            var rr = cpu.Compute(x, x2);
            var gr = gpu.Compute(x, x2, options: small);
            double err = new[]
            {
                Workloads.RelativeError(rs.Nngp!, gs.Nngp!), Workloads.RelativeError(rs.Ntk!, gs.Ntk!),
                Workloads.RelativeError(rr.Nngp!, gr.Nngp!), Workloads.RelativeError(rr.Ntk!, gr.Ntk!),
            }.Max();
            report.Check($"kernel {name}", err <= 1e-12, $"N = {n}, M = {m}, d = {d}: max relative difference {err.ToString("E2", CultureInfo.InvariantCulture)} (bound 1e-12)");

            var small32 = small with { Precision = KernelPrecision.Float32 };
            var fs = gpu.Compute(x, options: small32);
            var fr = gpu.Compute(x, x2, options: small32);
            double err32 = new[]
            {
                Workloads.RelativeError(rs.Nngp!, fs.Nngp!), Workloads.RelativeError(rs.Ntk!, fs.Ntk!),
                Workloads.RelativeError(rr.Nngp!, fr.Nngp!), Workloads.RelativeError(rr.Ntk!, fr.Ntk!),
            }.Max();
            // The CPU engine ignores Float32 (identical results, bound 0); the device engines round to float.
            double bound32 = context.Backend == ComputeBackend.Cpu ? 0 : Compute.Gpu.GpuKernelEngine.Float32ErrorBound(net, d);
            report.Check($"kernel {name} float32", err32 <= bound32,
                $"N = {n}, M = {m}, d = {d}: max relative difference {err32.ToString("E2", CultureInfo.InvariantCulture)} (bound {bound32.ToString("E2", CultureInfo.InvariantCulture)})");
        }

        foreach (var (gap, side, count) in new[] { (false, 28, 12), (true, 8, 6) })
        {
            var images = Workloads.Images(count, side, 4);
            var net = Workloads.Cnn(gap);
            var cpuResult = new KernelFunction(net).Compute(images);
            var gpuResult = new KernelFunction(net, context).Compute(images);
            double cnnErr = Math.Max(Workloads.RelativeError(cpuResult.Nngp!, gpuResult.Nngp!), Workloads.RelativeError(cpuResult.Ntk!, gpuResult.Ntk!));
            report.Check($"kernel CNN {(gap ? "GAP" : "Flatten")}", cnnErr <= 1e-12,
                $"{count} images {side}×{side}: max relative difference {cnnErr.ToString("E2", CultureInfo.InvariantCulture)} (bound 1e-12)");
        }

        if (context.Backend != ComputeBackend.Cuda)
        {
            report.Line("linear algebra on the device: skipped (needs CUDA)");
            return;
        }
        var ntk = new KernelFunction(Workloads.DeepRelu(), context).Compute(x, outputs: KernelOutputs.Ntk).Ntk!;
        var reference = SymmetricEigen.Compute(ntk);
        using (context.UseForLinearAlgebra())
        {
            var eigen = SymmetricEigen.Compute(ntk);
            double valueErr = (eigen.EigenValues - reference.EigenValues).AbsoluteMaximum() / reference.EigenValues.AbsoluteMaximum();
            double reconErr = Workloads.RelativeError(ntk, eigen.Reconstruct());
            double orthErr = (eigen.EigenVectors.TransposeThisAndMultiply(eigen.EigenVectors) - DenseMatrix.CreateIdentity(n)).Enumerate().Max(Math.Abs);
            report.Check("cuSOLVER Dsyevd", valueErr <= 1e-11 && reconErr <= 1e-12 && orthErr <= 1e-12,
                $"N = {n}: eigenvalues {valueErr:E2}, reconstruction {reconErr:E2}, orthonormality {orthErr:E2}");
            var y = Workloads.Targets(n, options.Outputs, 3);
            var shifted = ntk + DenseMatrix.CreateDiagonal(n, n, 1e-3 * ntk.Diagonal().Average());
            var solution = CholeskyFactor.Compute(shifted).Solve(y);
            double residual = Workloads.RelativeError(y, shifted * solution);
            report.Check("cuSOLVER Dpotrf/Dpotrs", residual <= 1e-8, $"N = {n}: relative residual {residual:E2}");
        }
    }
}
