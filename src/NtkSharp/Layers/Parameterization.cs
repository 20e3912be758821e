namespace NtkSharp.Layers;

/// <summary>How weights are scaled, exactly as neural-tangents' <c>parameterization</c> argument.</summary>
public enum Parameterization
{
    /// <summary>NTK parameterisation: z = wStd/√fanIn·W·x + bStd·b with W, b ~ N(0, 1).</summary>
    Ntk = 0,

    /// <summary>Standard parameterisation: z = W·x + b with W ~ N(0, wStd²/fanIn), b ~ N(0, bStd²);
    /// the NTK then depends on the declared widths.</summary>
    Standard = 1,
}
