using NtkSharp.Compute;
using Xunit;

namespace NtkSharp.Tests.Gpu;

/// <summary>A fact that needs an NVIDIA GPU: skipped (with the reason) when ILGPU finds no CUDA device.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    private static readonly bool Available = ComputeContext.IsCudaAvailable;

    public CudaFactAttribute()
    {
        if (!Available) Skip = "No CUDA device (NVIDIA driver or GPU missing).";
    }
}
