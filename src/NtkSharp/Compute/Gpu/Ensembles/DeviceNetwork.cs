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
/// <see cref="FiniteNetwork.ParameterBlocks"/>) at m·P. Forward and backward passes walk the graph's op list: Dense
/// layers as batched GEMMs over members, everything else as element-wise kernels over all members at once.
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
            if (op is not (DenseOp or ActivationOp or FanOutOp or SumOp or FlattenOp))
            {
                string name = op.GetType().Name;
                throw new NotSupportedException(
                    $"Layer {op.Path} ({(name.EndsWith("Op", StringComparison.Ordinal) ? name[..^2] : name)}) has no GPU ensemble form: the GPU " +
                    "ensemble trains fully-connected graphs (Dense, activations, FanOut, Parallel, FanInSum, Identity, Flatten). " +
                    "Train this network with ComputeContext.Cpu().");
            }
        }
    }

    /// <summary>The forward pass of all members over <paramref name="examples"/> examples read from <paramref name="input"/>
    /// (stride 0: the same inputs for every member).</summary>
    public void Forward(MemberBatch input, int examples)
    {
        _input = input;
        var p = new MemberBatch(Parameters, 0, _graph.ParameterCount);
        foreach (var op in _graph.Ops)
        {
            int size = _graph.Sizes[op.Output];
            switch (op)
            {
                case DenseOp d:
                {
                    int rows = examples * d.Positions;
                    _gemm.Run(_members, false, false, rows, d.FanOut, d.FanIn, d.WeightScale, Value(d.Inputs[0]), d.FanIn,
                        p.Shift(d.ParameterOffset), d.FanOut, 0.0, Value(d.Output), d.FanOut);
                    if (d.HasBias) _k.AddBias(_members, rows, d.FanOut, Value(d.Output), p.Shift(d.BiasOffset), d.BiasScale);
                    break;
                }
                case ActivationOp a:
                    if (a.Spec.Kind == ActivationKind.Identity) _k.Copy(_members, examples * size, Value(a.Inputs[0]), Value(a.Output));
                    else _k.Activate(_members, examples * size, Value(a.Inputs[0]), Value(a.Output), a.Spec);
                    break;
                case FanOutOp f:
                    foreach (int o in f.Outputs) _k.Copy(_members, examples * size, Value(f.Inputs[0]), Value(o));
                    break;
                case SumOp s:
                    _k.Copy(_members, examples * size, Value(s.Inputs[0]), Value(s.Output));
                    for (int i = 1; i < s.Inputs.Length; i++) _k.Accumulate(_members, examples * size, Value(s.Inputs[i]), Value(s.Output));
                    break;
                default: // FlattenOp: the row-major values are already flat
                    _k.Copy(_members, examples * size, Value(op.Inputs[0]), Value(op.Output));
                    break;
            }
        }
    }

    /// <summary>The backward pass of all members from <see cref="OutputGradient"/> (one cotangent row per example) after a
    /// <see cref="Forward"/> over the same <paramref name="examples"/>; overwrites <see cref="Gradient"/>.</summary>
    public void Backward(int examples)
    {
        var p = new MemberBatch(Parameters, 0, _graph.ParameterCount);
        var gp = new MemberBatch(Gradient, 0, _graph.ParameterCount);
        for (int i = _graph.Ops.Length - 1; i >= 0; i--)
        {
            var op = _graph.Ops[i];
            int input = op.Inputs[0], size = _graph.Sizes[op.Output];
            switch (op)
            {
                case DenseOp d:
                {
                    int rows = examples * d.Positions;
                    var g = Grad(d.Output);
                    if (input != 0)
                    {
                        _gemm.Run(_members, false, true, rows, d.FanIn, d.FanOut, d.WeightScale, g, d.FanOut,
                            p.Shift(d.ParameterOffset), d.FanOut, 0.0, Grad(input), d.FanIn);
                    }
                    _gemm.Run(_members, true, false, d.FanIn, d.FanOut, rows, d.WeightScale, Value(input), d.FanIn, g, d.FanOut,
                        0.0, gp.Shift(d.ParameterOffset), d.FanOut);
                    if (d.HasBias) _k.BiasGradient(_members, rows, d.FanOut, g, gp.Shift(d.BiasOffset), d.BiasScale);
                    break;
                }
                case ActivationOp a when input != 0:
                    if (a.Spec.Kind == ActivationKind.Identity) _k.Copy(_members, examples * size, Grad(a.Output), Grad(input));
                    else _k.ActivationGradient(_members, examples * size, Value(input), Grad(a.Output), Grad(input), a.Spec);
                    break;
                case FanOutOp f when input != 0:
                    _k.Copy(_members, examples * size, Grad(f.Outputs[0]), Grad(input));
                    for (int b = 1; b < f.Outputs.Length; b++) _k.Accumulate(_members, examples * size, Grad(f.Outputs[b]), Grad(input));
                    break;
                case SumOp s:
                    foreach (int r in s.Inputs)
                    {
                        if (r != 0) _k.Copy(_members, examples * size, Grad(s.Output), Grad(r));
                    }
                    break;
                case FlattenOp when input != 0:
                    _k.Copy(_members, examples * size, Grad(op.Output), Grad(input));
                    break;
            }
        }
    }

    /// <summary>Frees the device buffers.</summary>
    public void Dispose()
    {
        foreach (var b in _values) b?.Dispose();
        foreach (var b in _gradients) b?.Dispose();
        Parameters?.Dispose();
        Gradient?.Dispose();
    }

    private MemberBatch Value(int register) => register == 0 ? _input : new MemberBatch(_values[register]!, 0, (long)_capacity * _graph.Sizes[register]);

    private MemberBatch Grad(int register) => new(_gradients[register]!, 0, (long)_capacity * _graph.Sizes[register]);
}
