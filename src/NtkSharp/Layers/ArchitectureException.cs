namespace NtkSharp.Layers;

/// <summary>
/// An architecture that cannot be built or cannot take the given input: the message names the layer by its
/// index path (e.g. <c>[2]</c> is the third layer of the outermost <c>Serial</c>, <c>[2][1]</c> the second inside it).
/// </summary>
public sealed class ArchitectureException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public ArchitectureException(string message, string layerPath)
        : base(layerPath.Length == 0 ? message : $"Layer {layerPath}: {message}")
    {
        LayerPath = layerPath;
    }

    /// <summary>The index path of the offending layer ("" for the root).</summary>
    public string LayerPath { get; }
}
