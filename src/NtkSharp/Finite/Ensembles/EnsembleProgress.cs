namespace NtkSharp.Finite.Ensembles;

/// <summary>Progress of ensemble training in member-steps.</summary>
/// <param name="Done">Member-steps finished.</param>
/// <param name="Total">Members × steps.</param>
public readonly record struct EnsembleProgress(long Done, long Total)
{
    /// <summary>The fraction done in [0, 1].</summary>
    public double Fraction => Total == 0 ? 1.0 : (double)Done / Total;
}
