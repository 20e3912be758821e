namespace NtkSharp.Compute;

/// <summary>Where a <see cref="ComputeContext"/> evaluates kernels.</summary>
public enum ComputeBackend
{
    /// <summary>The multithreaded managed CPU engine (no ILGPU involved).</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU through ILGPU's CUDA accelerator (with cuBLAS/cuSOLVER when their libraries are found).</summary>
    Cuda = 1,

    /// <summary>The GPU kernels run on ILGPU's CPU accelerator, a software GPU. Slow (tens of times slower than
    /// <see cref="Cpu"/>); meant for testing the device code on machines without a GPU.</summary>
    IlgpuCpu = 2,
}
