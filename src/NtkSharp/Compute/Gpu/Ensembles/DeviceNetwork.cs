using ILGPU;
using ILGPU.Runtime;
using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// A finite network's graph with every member's registers and parameters on the device, member-batched: register r
/// holds members × capacity × size(r) values (member m's block at m·capacity·size(r), row-major examples × size as on
/// the CPU) and as many gradients; the parameters are members × P, member m's flat vector (the CPU layout of
/// <see cref="FiniteNetwork.ParameterBlocks"/>) at m·P. Forward and backward passes walk the graph's op list and let each op emit its device work
/// (<see cref="IDeviceOp"/>): Dense layers as batched GEMMs over members, everything else as element-wise kernels
/// over all members at once.
/// </summary>
internal sealed class DeviceNetwork : IDisposable
{
    private readonly FiniteGraph _graph;
    private readonly EnsembleKernelSet _k;
    private readonly BatchedGemm _gemm;
    private readonly int _members, _capacity;
    private readonly MemoryBuffer1D<double, Stride1D.Dense>?[] _values, _gradients;
    private MemberBatch _input;

    public DeviceNetwork(Accelerator accelerator, EnsembleKernelSet kernels, BatchedGemm gemm, FiniteGraph graph, int members, int capacity)
    {
        CheckSupported(graph);
        _graph = graph;
        _k = kernels;
        _gemm = gemm;
        _members = members;
        _capacity = capacity;
        int registers = graph.Sizes.Length;
        _values = new MemoryBuffer1D<double, Stride1D.Dense>?[registers];
        _gradients = new MemoryBuffer1D<double, Stride1D.Dense>?[registers];
        try
        {
            for (int r = 1; r < registers; r++)
            {
                long length = (long)members * capacity * graph.Sizes[r];
                _values[r] = accelerator.Allocate1D<double>(length);
                _gradients[r] = accelerator.Allocate1D<double>(length);
            }
            long p = (long)members * graph.ParameterCount;
            Parameters = accelerator.Allocate1D<double>(p);
            Gradient = accelerator.Allocate1D<double>(p);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>All members' parameter vectors, members × P.</summary>
    public MemoryBuffer1D<double, Stride1D.Dense> Parameters { get; } = null!;

    /// <summary>All members' parameter gradients of the last backward pass, members × P.</summary>
    public MemoryBuffer1D<double, Stride1D.Dense> Gradient { get; } = null!;

    /// <summary>The key of the current pass's dropout masks (<see cref="DropoutMask.CallKey"/>; member m uses
    /// <see cref="DropoutMask.MemberKey"/>(key, m), as the CPU trainer does), or null for test mode.</summary>
    public ulong? DropoutKey { get; set; }

    /// <summary>The output register's values (members × capacity × K).</summary>
    public MemberBatch Output => Value(_graph.Output);

    /// <summary>The output register's gradient, where the loss writes ∂L/∂f before <see cref="Backward"/>.</summary>
    public MemberBatch OutputGradient => Grad(_graph.Output);

    /// <summary>Throws <see cref="NotSupportedException"/> naming the first op the GPU ensemble cannot run.</summary>
    public static void CheckSupported(FiniteGraph graph)
    {
        if (graph.ParameterCount == 0)
            throw new NotSupportedException("The network has no trainable parameters (no Dense layer); there is nothing to train.");
        foreach (var op in graph.Ops)
        {
            if (op is ActivationOp { Family.HasDeviceBody: false } host) throw ActivationRegistry.NoDeviceBody($"{host.Layer} at {host.Path}");
            if (op is not IDeviceOp)
            {
                string name = op.GetType().Name;
                throw new NotSupportedException(
                    $"Layer {op.Path} ({(name.EndsWith("Op", StringComparison.Ordinal) ? name[..^2] : name)}) has no GPU ensemble form: the GPU " +
                    "ensemble trains fully-connected graphs (Dense, activations, FanOut, Parallel, FanInSum, Identity, Flatten, Dropout). " +
                    "Train this network with ComputeContext.Cpu().");
            }
        }
    }

    /// <summary>The forward pass of all members over <paramref name="examples"/> examples read from <paramref name="input"/>
    /// (stride 0: the same inputs for every member).</summary>
    public void Forward(MemberBatch input, int examples)
    {
        _input = input;
        foreach (var op in _graph.Ops) ((IDeviceOp)op).Forward(this, examples);
    }

    /// <summary>The backward pass of all members from <see cref="OutputGradient"/> (one cotangent row per example) after a
    /// <see cref="Forward"/> over the same <paramref name="examples"/>; overwrites <see cref="Gradient"/>.</summary>
    public void Backward(int examples)
    {
        for (int i = _graph.Ops.Length - 1; i >= 0; i--) ((IDeviceOp)_graph.Ops[i]).Backward(this, examples);
    }

    /// <summary>The element-wise kernels.</summary>
    internal EnsembleKernelSet Kernels => _k;

    /// <summary>The batched GEMM.</summary>
    internal BatchedGemm Gemm => _gemm;

    /// <summary>Members trained at once.</summary>
    internal int Members => _members;

    /// <summary>All members' parameters as a batch (member stride P).</summary>
    internal MemberBatch ParameterBatch => new(Parameters, 0, _graph.ParameterCount);

    /// <summary>All members' parameter gradients as a batch (member stride P).</summary>
    internal MemberBatch GradientBatch => new(Gradient, 0, _graph.ParameterCount);

    /// <summary>Values per example of <paramref name="register"/>.</summary>
    internal int Size(int register) => _graph.Sizes[register];

    /// <summary>Frees the device buffers.</summary>
    public void Dispose()
    {
        foreach (var b in _values) b?.Dispose();
        foreach (var b in _gradients) b?.Dispose();
        Parameters?.Dispose();
        Gradient?.Dispose();
    }

    /// <summary>The member-batched values of <paramref name="register"/> (register 0: the current input).</summary>
    internal MemberBatch Value(int register) => register == 0 ? _input : new MemberBatch(_values[register]!, 0, (long)_capacity * _graph.Sizes[register]);

    /// <summary>The member-batched gradients of <paramref name="register"/> (none for register 0).</summary>
    internal MemberBatch Grad(int register) => new(_gradients[register]!, 0, (long)_capacity * _graph.Sizes[register]);
}
