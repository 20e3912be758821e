namespace NtkSharp.Kernels;

/// <summary>The floating-point format of a device computation's stored intermediates and transfers.</summary>
/// <remarks>
/// <para>Float64 (the default) stores everything in double precision: results agree with the CPU engine to about
/// 1e-12 relative. Float32 is an explicit option of the GPU engine (<see cref="KernelOptions.Precision"/>): the
/// inputs, the input Gram (single-precision GEMM), the device tiles and workspaces and the device→host transfers are
/// single precision, halving device memory traffic and PCIe transfers, while the per-entry arithmetic (the dual
/// activations of <see cref="DualActivations"/>) still runs in double precision registers; the self pass (per-example
/// variances, the diagonal of symmetric results) stays double. Its accuracy is that of single-precision rounding of the
/// inputs and of the float Gram accumulation: about 1e-7 of the largest entry for zero-mean inputs, up to about 2e-6
/// for non-negative (image-like) inputs of 784 features (docs/gpu.md lists the measured figures). Pairs of identical
/// examples across x1 and x2 are the exception: their Θ is accurate only to about 1e-4 to 1e-3 (the arc-cosine dual's
/// derivative is not Lipschitz at correlation 1). For convolutional networks the device workspaces (the spatial
/// covariance tensors of the pairs in flight) are single precision and everything else — inputs, arithmetic, self
/// pass, results — double: about one float rounding (1e-7) of the largest entry. The CPU engine always computes in
/// double precision and ignores this option.</para>
/// </remarks>
public enum KernelPrecision
{
    /// <summary>Double precision throughout (default).</summary>
    Float64 = 0,

    /// <summary>Single-precision storage and transfers on the device, double-precision per-entry arithmetic.</summary>
    Float32 = 1,
}
