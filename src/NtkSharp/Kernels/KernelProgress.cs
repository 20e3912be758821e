namespace NtkSharp.Kernels;

/// <summary>Progress of a kernel computation: work units (tiles or columns) done out of the total.</summary>
/// <param name="Done">Units finished.</param>
/// <param name="Total">Units in all.</param>
public readonly record struct KernelProgress(long Done, long Total)
{
    /// <summary>The fraction done in [0, 1].</summary>
    public double Fraction => Total == 0 ? 1.0 : (double)Done / Total;
}
