using NtkSharp.Compute;

namespace NtkSharp.Tests.Gpu;

/// <summary>One ILGPU CPU-accelerator context shared by a test class (kernel compilation is paid once).</summary>
public sealed class IlgpuCpuFixture : IDisposable
{
    public ComputeContext Context { get; } = ComputeContext.IlgpuCpu();

    public void Dispose() => Context.Dispose();
}
