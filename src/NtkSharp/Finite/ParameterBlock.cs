namespace NtkSharp.Finite;

/// <summary>One named parameter array inside the flat parameter vector of a <see cref="FiniteNetwork"/>.</summary>
/// <param name="LayerPath">Index path of the layer that owns it (e.g. <c>[0]</c>, <c>[2][1]</c>; as in <c>ArchitectureException</c>).</param>
/// <param name="Name">"W" (weights, row-major fanIn × fanOut for Dense) or "b" (bias).</param>
/// <param name="Offset">First index in <see cref="Parameters.Values"/>.</param>
/// <param name="Shape">The array's shape (row-major).</param>
public sealed record ParameterBlock(string LayerPath, string Name, int Offset, int[] Shape)
{
    /// <summary>Number of values.</summary>
    public int Count => Shape.Aggregate(1, (a, b) => a * b);
}
