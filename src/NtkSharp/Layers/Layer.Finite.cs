using NtkSharp.Finite;

namespace NtkSharp.Layers;

public abstract partial record Layer
{
    /// <summary>
    /// Emits this layer's ops of a finite-width network for its node of the validated <see cref="LayerGraph"/>: reads
    /// the registers of <paramref name="node"/>'s inputs from <paramref name="finite"/> and binds its outputs
    /// (<see cref="FiniteGraphBuilder.Bind"/>). Layers that only route signals have no node and never get here.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no finite-width network.</exception>
    internal virtual void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
        => throw new NotSupportedException($"Layer {node.Path} ({Name}) has no finite-width network.");
}
