using NtkSharp.Finite;

namespace NtkSharp.Layers;

public abstract partial record Layer
{
    /// <summary>
    /// Lowers this layer into ops of a finite-width network reading <paramref name="inputs"/> (one register per
    /// incoming branch) and returns its output registers. The built-in fully-connected layers are lowered by
    /// <see cref="FiniteLowering"/>; other layers (convolution, pooling…) override this.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no finite-width network.</exception>
    internal virtual int[] EmitFinite(FiniteGraphBuilder builder, int[] inputs, string path)
        => FiniteLowering.Emit(this, builder, inputs, path);
}
