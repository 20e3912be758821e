using NtkSharp.Kernels;

namespace NtkSharp.Compute;

/// <summary>An engine that evaluates the kernel primitives of an architecture (CPU or GPU).</summary>
internal interface IKernelEngine
{
    /// <summary>Computes the kernels of <paramref name="plan"/> (the network validated and compiled for the inputs'
    /// example shape); inputs are validated.</summary>
    KernelResult Compute(KernelPlan plan, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        IProgress<KernelProgress>? progress, CancellationToken cancellationToken);
}
