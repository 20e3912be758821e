namespace NtkSharp.Kernels.Duals;

/// <summary>
/// The Hermite coefficients of φ(σz) and φ′(σz), z ~ N(0, 1), for one input variance σ² (see <see cref="QuadratureDual"/>):
/// αₖ = E[φ(σz)hₖ(z)], α̇ₖ = E[φ′(σz)hₖ(z)] for k &lt; degree, the second moments E[φ(σz)²], E[φ′(σz)²] and what the
/// truncated series leaves out of them (the tails, for the per-entry error bound).
/// </summary>
internal sealed class QuadratureCoefficients
{
    internal QuadratureCoefficients(double variance, double[] alpha, double[] alphaDot, double energy, double energyDot)
    {
        Variance = variance;
        Alpha = alpha;
        AlphaDot = alphaDot;
        Energy = energy;
        EnergyDot = energyDot;
        double sa = 0, sd = 0;
        for (int k = 0; k < alpha.Length; k++)
        {
            sa += alpha[k] * alpha[k];
            sd += alphaDot[k] * alphaDot[k];
        }
        Tail = Math.Max(energy - sa, 0.0);
        TailDot = Math.Max(energyDot - sd, 0.0);
    }

    /// <summary>σ².</summary>
    public double Variance { get; }

    /// <summary>αₖ = E[φ(σz)hₖ(z)].</summary>
    public double[] Alpha { get; }

    /// <summary>α̇ₖ = E[φ′(σz)hₖ(z)].</summary>
    public double[] AlphaDot { get; }

    /// <summary>E[φ(σz)²] = Σ_all αₖ² (Parseval).</summary>
    public double Energy { get; }

    /// <summary>E[φ′(σz)²].</summary>
    public double EnergyDot { get; }

    /// <summary>E[φ²] − Σ_{k&lt;degree} αₖ²: the energy beyond the truncation.</summary>
    public double Tail { get; }

    /// <summary>E[φ′²] − Σ_{k&lt;degree} α̇ₖ².</summary>
    public double TailDot { get; }
}
