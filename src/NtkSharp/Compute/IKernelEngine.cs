using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Compute;

/// <summary>An engine that evaluates the kernel primitives of an architecture (CPU or GPU).</summary>
internal interface IKernelEngine
{
    /// <summary>Computes the kernels; inputs are validated and the network is checked for the input shape.</summary>
    KernelResult Compute(Layer network, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions options,
        IProgress<KernelProgress>? progress, CancellationToken cancellationToken);
}
