namespace NtkSharp.Layers;

/// <summary>One layer of a <see cref="LayerGraph"/>: the signals it reads and the signals it makes, with their shapes.</summary>
/// <param name="Layer">The layer (never a <see cref="Serial"/>, <see cref="ParallelLayer"/> or <see cref="Identity"/>:
/// those only route signals).</param>
/// <param name="Path">Where it sits in the architecture, e.g. "[2][1][0]" ("" for a network that is one layer).</param>
/// <param name="Inputs">The incoming signals.</param>
/// <param name="Outputs">The outgoing signals (fresh <see cref="Branch.Id"/>s).</param>
internal sealed record LayerNode(Layer Layer, string Path, Branch[] Inputs, Branch[] Outputs)
{
    /// <summary>The layer and its place for messages: "Relu at [1]".</summary>
    public string Who => Path.Length == 0 ? Layer.Name : $"{Layer.Name} at {Path}";

    /// <summary>The single input of a one-input layer.</summary>
    public Branch Input => Inputs[0];

    /// <summary>The single output of a one-output layer.</summary>
    public Branch Output => Outputs[0];
}

/// <summary>
/// A network validated once for one input shape: its layers in execution order (depth first, Parallel branches in
/// order), each with the shape-annotated signals it reads and makes. Every compiler consumes it — the kernel plan
/// (<see cref="Kernels.KernelPlan"/>) and the finite network (<see cref="Finite.FiniteGraphBuilder"/>) — by asking each
/// node's layer to emit itself; none of them walks the architecture or switches over layer types.
/// </summary>
internal sealed class LayerGraph
{
    private readonly List<LayerNode> _nodes = [];
    private int _signals = 1;

    private LayerGraph(Branch input) => Input = input;

    /// <summary>The network input (signal 0).</summary>
    public Branch Input { get; }

    /// <summary>The network output.</summary>
    public Branch Output { get; private set; }

    /// <summary>The layers in execution order.</summary>
    public IReadOnlyList<LayerNode> Nodes => _nodes;

    /// <summary>Validates <paramref name="network"/> on raw inputs of per-example shape <paramref name="inputShape"/>
    /// (null: shape-free) and records its graph.</summary>
    /// <exception cref="ArchitectureException">The composition is invalid; the message names the layer's index.</exception>
    public static LayerGraph Build(Layer network, int[]? inputShape)
    {
        ArgumentNullException.ThrowIfNull(network);
        var graph = new LayerGraph(Branch.RawInput(inputShape));
        var outs = network.Apply([graph.Input], "", graph);
        if (outs.Length != 1)
            throw new ArchitectureException($"the network ends with {outs.Length} branches; join them with FanInSum().", "");
        graph.Output = outs[0];
        return graph;
    }

    /// <summary>Records a layer that read <paramref name="inputs"/> and made <paramref name="outputs"/>; returns the
    /// outputs numbered as fresh signals.</summary>
    public Branch[] Record(Layer layer, string path, Branch[] inputs, Branch[] outputs)
    {
        var numbered = new Branch[outputs.Length];
        for (int i = 0; i < outputs.Length; i++) numbered[i] = outputs[i] with { Id = _signals++ };
        _nodes.Add(new LayerNode(layer, path, inputs, numbered));
        return numbered;
    }
}
