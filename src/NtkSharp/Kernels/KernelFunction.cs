using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Compute;
using NtkSharp.Compute.Cpu;
using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>
/// The infinite-width kernels of an architecture (neural-tangents' <c>kernel_fn</c>): NNGP K(x, x') and NTK Θ(x, x')
/// Gram matrices for batches of inputs.
/// </summary>
/// <remarks>
/// The input kernel is K⁽⁰⁾(x, x') = x·x'/d, Θ⁽⁰⁾ = 0, followed by each layer's update (Lee et al. 2018;
/// Jacot et al. 2018; Arora et al. 2019; Novak et al. 2020).
/// </remarks>
public sealed class KernelFunction
{
    private readonly IKernelEngine _engine;

    /// <summary>Creates the kernel function of <paramref name="network"/> on the CPU engine.</summary>
    /// <exception cref="ArchitectureException">The architecture is invalid as a whole network.</exception>
    public KernelFunction(Layer network)
        : this(network, CpuKernelEngine.Instance)
    {
    }

    /// <summary>Creates the kernel function of <paramref name="network"/> on the device of <paramref name="context"/>
    /// (the caller keeps ownership of the context and must keep it alive while computing).</summary>
    /// <exception cref="ArchitectureException">The architecture is invalid as a whole network.</exception>
    public KernelFunction(Layer network, ComputeContext context)
        : this(network, (context ?? throw new ArgumentNullException(nameof(context))).Engine)
    {
    }

    internal KernelFunction(Layer network, IKernelEngine engine)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.ValidateNetwork();
        Network = network;
        _engine = engine;
    }

    /// <summary>The architecture.</summary>
    public Layer Network { get; }

    /// <summary>Computes the Gram matrices between the examples of <paramref name="x1"/> and of <paramref name="x2"/>
    /// (x1 itself when null: then only the upper triangle is computed and mirrored).</summary>
    /// <exception cref="ArgumentException">Non-finite values, mismatched example shapes, an input shape the architecture
    /// cannot take, or result matrices larger than one array or the available memory (checked before computing).</exception>
    /// <exception cref="ArithmeticException">A kernel entry overflows (huge inputs or wStd): the message names the scale.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public KernelResult Compute(Tensor x1, Tensor? x2 = null, KernelOutputs outputs = KernelOutputs.Both,
        KernelOptions? options = null, IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        (options, var plan) = ValidateInputs(Network, x1, x2, outputs, options);
        KernelChecks.ResultSize(x1.Count, x2?.Count, outputs == KernelOutputs.Both ? 2 : 1);
        var result = _engine.Compute(plan, x1, x2, outputs, options, progress, cancellationToken);
        KernelChecks.Finite(result, Network, x1, x2, options.ParallelOptions(cancellationToken));
        return result;
    }

    /// <summary>The argument checks of <see cref="Compute(Tensor, Tensor?, KernelOutputs, KernelOptions?, IProgress{KernelProgress}?, CancellationToken)"/>
    /// (also the out-of-core and sharded paths'); returns the options with the default filled in and the network's
    /// kernel plan for these inputs (the architecture validated once, by compiling it).</summary>
    internal static (KernelOptions Options, KernelPlan Plan) ValidateInputs(Layer network, Tensor x1, Tensor? x2, KernelOutputs outputs, KernelOptions? options)
    {
        ArgumentNullException.ThrowIfNull(x1);
        if (outputs == 0 || (outputs & ~KernelOutputs.Both) != 0)
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Ask for Nngp, Ntk or both.");
        x1.EnsureFinite(nameof(x1));
        if (x2 is not null)
        {
            x2.EnsureFinite(nameof(x2));
            if (!x1.ExampleShape.SequenceEqual(x2.ExampleShape))
                throw new ArgumentException($"x2 examples have shape ({string.Join(", ", x2.ExampleShape)}) but x1 examples have ({string.Join(", ", x1.ExampleShape)}).", nameof(x2));
        }
        var plan = KernelPlan.Compile(network, x1.ExampleShape);
        options ??= KernelOptions.Default;
        options.Validate(nameof(options));
        return (options, plan);
    }

    /// <summary>Computes the Gram matrices for (N, d) MathNet matrices.</summary>
    public KernelResult Compute(Matrix<double> x1, Matrix<double>? x2 = null, KernelOutputs outputs = KernelOutputs.Both,
        KernelOptions? options = null, IProgress<KernelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x1);
        return Compute(Tensor.From(x1), x2 is null ? null : Tensor.From(x2), outputs, options, progress, cancellationToken);
    }
}
