using System.Collections.Immutable;

namespace NtkSharp.Layers;

/// <summary>Layers applied one after another (neural-tangents' <c>stax.serial</c>).</summary>
/// <remarks>Kernel of the composition = composition of the kernel maps: Serial(a, b, c) ≡ Serial(a, Serial(b, c)).</remarks>
public sealed record Serial : Layer
{
    /// <summary>Creates the composition and validates it as a fragment fed by an affine layer's output.</summary>
    /// <exception cref="ArchitectureException">Two nonlinearities without an affine layer between, a FanInSum without
    /// branches to join, a Parallel with the wrong number of branches; the message names the index.</exception>
    public Serial(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("Serial needs at least one layer.", nameof(layers));
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null) throw new ArgumentNullException(nameof(layers), $"Layer [{i}] of Serial is null.");
        }
        Layers = [.. layers];
        Compose([Branch.GaussianInput(null)], "");
    }

    /// <summary>The layers in order.</summary>
    public ImmutableArray<Layer> Layers { get; }

    /// <inheritdoc />
    public override string Name => "Serial";

    /// <summary>Shape-free compositions already checked, by the facts of the single input (Gaussian, ZeroMeanFresh):
    /// a Serial nested in Serials is validated once, not once per enclosing constructor.</summary>
    private readonly Branch[]?[] _shapeFree = new Branch[]?[4];

    internal override Branch[] Compose(Branch[] inputs, string path) => Apply(inputs, path, null);

    internal override Branch[] Apply(Branch[] inputs, string path, LayerGraph? graph)
    {
        int memo = graph is null && inputs is [{ Shape: null } b] ? (b.Gaussian ? 2 : 0) + (b.ZeroMeanFresh ? 1 : 0) : -1;
        if (memo >= 0 && _shapeFree[memo] is { } known) return [.. known];
        var current = inputs;
        for (int i = 0; i < Layers.Length; i++) current = Layers[i].Apply(current, Child(path, i), graph);
        if (memo >= 0) _shapeFree[memo] = [.. current];
        return current;
    }

    /// <inheritdoc />
    public bool Equals(Serial? other) => other is not null && Layers.SequenceEqual(other.Layers);

    /// <inheritdoc />
    public override int GetHashCode() => Layers.Aggregate(17, (h, l) => h * 31 + l.GetHashCode());

    /// <inheritdoc />
    public override string ToString() => $"Serial({string.Join(", ", Layers.Select(l => l.ToString()))})";
}
