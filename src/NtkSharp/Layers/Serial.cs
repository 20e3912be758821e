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

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var current = inputs;
        for (int i = 0; i < Layers.Length; i++) current = Layers[i].Compose(current, Child(path, i));
        return current;
    }

    /// <inheritdoc />
    public bool Equals(Serial? other) => other is not null && Layers.SequenceEqual(other.Layers);

    /// <inheritdoc />
    public override int GetHashCode() => Layers.Aggregate(17, (h, l) => h * 31 + l.GetHashCode());

    /// <inheritdoc />
    public override string ToString() => $"Serial({string.Join(", ", Layers.Select(l => l.ToString()))})";
}
