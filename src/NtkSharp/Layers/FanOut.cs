namespace NtkSharp.Layers;

/// <summary>Copies its input into <see cref="Count"/> branches (neural-tangents' <c>stax.FanOut</c>).</summary>
public sealed record FanOut : Layer
{
    /// <summary>Creates the layer.</summary>
    public FanOut(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "FanOut needs at least one branch.");
        Count = count;
    }

    /// <summary>The number of copies.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public override string Name => "FanOut";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        var copy = b with { ZeroMeanFresh = false };
        return Enumerable.Repeat(copy, Count).ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("FanOut", [Count]);
}
