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
    [InlineData(nameof(BatchedGemmKernel.Gemm), true)]
    [InlineData(nameof(EnsembleKernels.Activate), false)]
    [InlineData(nameof(EnsembleKernels.ActivationGradient), false)]
    [InlineData(nameof(EnsembleKernels.Copy), false)]
    [InlineData(nameof(EnsembleKernels.Dropout), false)]
    [InlineData(nameof(EnsembleKernels.Accumulate), false)]
    [InlineData(nameof(EnsembleKernels.AddBias), false)]
    [InlineData(nameof(EnsembleKernels.BiasGradient), false)]
    [InlineData(nameof(EnsembleKernels.Gather), false)]
    [InlineData(nameof(EnsembleKernels.Step), false)]
    [InlineData(nameof(EnsembleKernels.Residual), true)]
    public void Compile_KernelForSm90_ProducesPtxWithoutLibraryCalls(string kernel, bool explicitlyGrouped)
    {
        var method = new[] { typeof(GpuKernels), typeof(BatchedGemmKernel), typeof(EnsembleKernels) }
            .Select(t => t.GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)).First(m => m is not null)!;
        CompileToPtx(method, explicitlyGrouped);
    }

    /// <summary>The generic tile kernels, instantiated for both storage formats (<see cref="Float64Storage"/>,
    /// <see cref="Float32Storage"/>), as <see cref="TileKernels{T, TStorage}"/> loads them.</summary>
    [Theory]
    [InlineData(nameof(GpuKernels.FcTile), false, typeof(double), typeof(Float64Storage))]
    [InlineData(nameof(GpuKernels.FcTile), false, typeof(float), typeof(Float32Storage))]
    [InlineData(nameof(GpuKernels.GramTile), true, typeof(double), typeof(Float64Storage))]
    [InlineData(nameof(GpuKernels.GramTile), true, typeof(float), typeof(Float32Storage))]
    public void Compile_TileKernelInstanceForSm90_ProducesPtxWithoutLibraryCalls(string kernel, bool explicitlyGrouped, Type element, Type storage)
    {
        var method = typeof(GpuKernels).GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(element, storage);
        string ptx = CompileToPtx(method, explicitlyGrouped);
        if (element == typeof(float))
        {
            // Gram: float shared-memory tiles and float multiply-adds. Per-entry: float load widened to f64, the
            // program in f64, results rounded to f32 on store.
            if (kernel == nameof(GpuKernels.GramTile))
            {
                Assert.Contains("ld.shared.f32", ptx);
                Assert.Contains("mul.f32", ptx);
            }
            else
            {
                Assert.Contains("cvt.f64.f32", ptx);
                Assert.Contains("st.f32", ptx);
            }
            Assert.Contains("cvt.rn.f32.f64", ptx);
        }
        else
        {
            Assert.DoesNotContain(".f32", ptx);
        }
    }

    /// <summary>The spatial kernels, instantiated for both workspace formats as <see cref="SpatialKernels{T, TStorage}"/>
    /// loads them: the float instances load and store the workspace as f32 (widened to f64 for the arithmetic, rounded
    /// back on store); the double instances contain no single-precision operation at all.</summary>
    [Theory]
    [InlineData(nameof(GpuSpatialKernels.Threads), false, typeof(double), typeof(Float64Storage))]
    [InlineData(nameof(GpuSpatialKernels.Threads), false, typeof(float), typeof(Float32Storage))]
    [InlineData(nameof(GpuSpatialKernels.Groups), true, typeof(double), typeof(Float64Storage))]
    [InlineData(nameof(GpuSpatialKernels.Groups), true, typeof(float), typeof(Float32Storage))]
    public void Compile_SpatialKernelInstanceForSm90_ProducesPtxWithoutLibraryCalls(string kernel, bool explicitlyGrouped, Type element, Type storage)
    {
        var method = typeof(GpuSpatialKernels).GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(element, storage);
        string ptx = CompileToPtx(method, explicitlyGrouped);
        Assert.DoesNotContain(".local", ptx); // the workspace abstraction is a struct in registers, no spilled frame
        if (kernel == nameof(GpuSpatialKernels.Groups))
        {
            Assert.Contains("bar.sync", ptx); // group barriers between dependent passes
            Assert.Matches(@"\.shared\s+\.align\s+\d+\s+\.b8\s+\w+\[\d+\]", ptx); // the reduction buffer
        }
        else
        {
            Assert.DoesNotContain("bar.sync", ptx);
        }
        if (element == typeof(float))
        {
            Assert.Matches(@"\bld(\.global)?\.f32\b", ptx);
            Assert.Matches(@"\bst(\.global)?\.f32\b", ptx);
            Assert.Contains("cvt.f64.f32", ptx);
            Assert.Contains("cvt.rn.f32.f64", ptx);
        }
        else
        {
            Assert.DoesNotContain(".f32", ptx);
        }
    }

    private static string CompileToPtx(MethodInfo method, bool explicitlyGrouped)
    {
        using var context = Context.Create(b => b.Cuda().Math(MathMode.Default));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var entry = explicitlyGrouped
            ? EntryPointDescription.FromExplicitlyGroupedKernel(method)
            : EntryPointDescription.FromImplicitlyGroupedKernel(method);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
        string ptx = compiled.PTXAssembly;
        Assert.Contains(".target sm_", ptx);
        Assert.Contains(".entry", ptx);
        Assert.DoesNotContain(".extern", ptx); // no unresolved library functions (e.g. a missing atan2)
        Assert.DoesNotContain("call", ptx);
        return ptx;
    }
}
