using NtkSharp.Kernels;

namespace NtkSharp.Layers;

public abstract partial record Layer
{
    /// <summary>
    /// Emits this layer's kernel steps for its node of the validated <see cref="LayerGraph"/>: reads the plan signals of
    /// <paramref name="node"/>'s inputs from <paramref name="plan"/>, appends steps, binds its outputs
    /// (<see cref="KernelPlanBuilder.Bind"/>) and declares what it needs (e.g.
    /// <see cref="KernelPlanBuilder.NeedPositionCovariances"/>). Layers that only route signals have no node.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no kernel.</exception>
    internal virtual void EmitKernel(KernelPlanBuilder plan, LayerNode node)
        => throw new NotSupportedException($"The kernel engines have no kernel for {node.Who}.");
}
