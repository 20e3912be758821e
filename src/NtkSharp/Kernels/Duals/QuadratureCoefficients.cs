namespace NtkSharp.Kernels.Duals;

/// <summary>
/// The Hermite coefficients of φ(σz) and φ′(σz), z ~ N(0, 1), for one input variance σ² (see <see cref="QuadratureDual"/>):
/// αₖ = E[φ(σz)hₖ(z)], α̇ₖ = E[φ′(σz)hₖ(z)] for k &lt; degree, the second moments E[φ(σz)²], E[φ′(σz)²] and what the
/// truncated series leaves out of them (the tails, for the per-entry error bound), as one record in the layout the GPU
/// kernels share (<see cref="QuadratureDual.RecordLength"/>).
/// </summary>
internal sealed class QuadratureCoefficients
{
    internal QuadratureCoefficients(double variance, int degree, double[] record)
    {
        if (record.Length != QuadratureDual.RecordLength(degree))
            throw new ArgumentException($"A record of {degree} terms holds {QuadratureDual.RecordLength(degree)} values, not {record.Length}.", nameof(record));
        Variance = variance;
        Degree = degree;
        Record = record;
    }

    /// <summary>σ².</summary>
    public double Variance { get; }

    /// <summary>The number of Hermite terms.</summary>
    public int Degree { get; }

    /// <summary>τ, τ̇, E[φ²], E[φ′²], αₖ, α̇ₖ (see <see cref="QuadratureDual"/>'s remarks).</summary>
    public double[] Record { get; }
}
