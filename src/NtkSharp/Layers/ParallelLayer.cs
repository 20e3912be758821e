using System.Collections.Immutable;

namespace NtkSharp.Layers;

/// <summary>Parallel(...) in architecture text: applies the i-th layer to the i-th branch (neural-tangents' <c>stax.parallel</c>); follows a <see cref="FanOut"/>.</summary>
public sealed record ParallelLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public ParallelLayer(params Layer[] branches)
    {
        ArgumentNullException.ThrowIfNull(branches);
        if (branches.Length == 0) throw new ArgumentException("Parallel needs at least one branch.", nameof(branches));
        for (int i = 0; i < branches.Length; i++)
        {
            if (branches[i] is null) throw new ArgumentNullException(nameof(branches), $"Branch [{i}] of Parallel is null.");
        }
        Branches = [.. branches];
    }

    /// <summary>The per-branch layers.</summary>
    public ImmutableArray<Layer> Branches { get; }

    /// <inheritdoc />
    public override string Name => "Parallel";

    internal override Branch[] Compose(Branch[] inputs, string path) => Apply(inputs, path, null);

    internal override Branch[] Apply(Branch[] inputs, string path, LayerGraph? graph)
    {
        if (inputs.Length != Branches.Length)
            throw new ArchitectureException($"Parallel has {Branches.Length} branches but {inputs.Length} reach it; put FanOut({Branches.Length}) before it.", path);
        var outs = new Branch[Branches.Length];
        for (int i = 0; i < Branches.Length; i++)
        {
            var o = Branches[i].Apply([inputs[i]], Child(path, i), graph);
            if (o.Length != 1)
                throw new ArchitectureException($"a Parallel branch must end with one signal, but it ends with {o.Length}.", Child(path, i));
            outs[i] = o[0];
        }
        return outs;
    }

    /// <inheritdoc />
    public bool Equals(ParallelLayer? other) => other is not null && Branches.SequenceEqual(other.Branches);

    /// <inheritdoc />
    public override int GetHashCode() => Branches.Aggregate(19, (h, l) => h * 31 + l.GetHashCode());

    /// <inheritdoc />
    public override string ToString() => $"Parallel({string.Join(", ", Branches.Select(l => l.ToString()))})";
}
