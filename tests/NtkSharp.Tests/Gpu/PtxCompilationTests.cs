using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using NtkSharp.Compute.Gpu;
using NtkSharp.Compute.Gpu.Ensembles;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>
/// The device kernels compile to PTX for an H100 (sm_90; ILGPU emits the lowest target the code needs) with ILGPU's CUDA backend, without a GPU: this catches
/// anything the CPU accelerator accepts but CUDA cannot (library calls such as Math.Atan2, managed objects).
/// </summary>
public class PtxCompilationTests
{
    [Theory]
    [InlineData(nameof(GpuKernels.SelfPass), false)]
    [InlineData(nameof(GpuKernels.FcTile), false)]
    [InlineData(nameof(GpuKernels.GramTile), true)]
    [InlineData(nameof(GpuSpatialKernels.Pairs), false)]
    [InlineData(nameof(BatchedGemmKernel.Gemm), true)]
    [InlineData(nameof(EnsembleKernels.Activate), false)]
    [InlineData(nameof(EnsembleKernels.ActivationGradient), false)]
    [InlineData(nameof(EnsembleKernels.Copy), false)]
    [InlineData(nameof(EnsembleKernels.Accumulate), false)]
    [InlineData(nameof(EnsembleKernels.AddBias), false)]
    [InlineData(nameof(EnsembleKernels.BiasGradient), false)]
    [InlineData(nameof(EnsembleKernels.Gather), false)]
    [InlineData(nameof(EnsembleKernels.Step), false)]
    [InlineData(nameof(EnsembleKernels.Residual), true)]
    public void Compile_KernelForSm90_ProducesPtxWithoutLibraryCalls(string kernel, bool explicitlyGrouped)
    {
        using var context = Context.Create(b => b.Cuda().Math(MathMode.Default));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var method = new[] { typeof(GpuKernels), typeof(GpuSpatialKernels), typeof(BatchedGemmKernel), typeof(EnsembleKernels) }
            .Select(t => t.GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)).First(m => m is not null)!;
        var entry = explicitlyGrouped
            ? EntryPointDescription.FromExplicitlyGroupedKernel(method)
            : EntryPointDescription.FromImplicitlyGroupedKernel(method);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
        string ptx = compiled.PTXAssembly;
        Assert.Contains(".target sm_", ptx);
        Assert.Contains(".entry", ptx);
        Assert.DoesNotContain(".extern", ptx); // no unresolved library functions (e.g. a missing atan2)
        Assert.DoesNotContain("call", ptx);
    }
}
