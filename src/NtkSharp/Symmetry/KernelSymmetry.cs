using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Symmetry;

/// <summary>The outcome of <see cref="KernelSymmetry.Check"/>.</summary>
/// <param name="IsSymmetric">Both violations are at most the tolerance.</param>
/// <param name="MaxNtkViolation">max over g, i, j of |Θ(ρ(g)xᵢ, ρ(g)xⱼ) − Θ(xᵢ, xⱼ)| / max |Θ(x, x)|.</param>
/// <param name="MaxNngpViolation">The same for the NNGP kernel K.</param>
/// <param name="WorstElement">The element with the largest violation (its name).</param>
/// <param name="Tolerance">The relative tolerance used.</param>
public sealed record KernelSymmetryReport(bool IsSymmetric, double MaxNtkViolation, double MaxNngpViolation, string WorstElement, double Tolerance);

/// <summary>
/// Checks the assumption of the emergent-equivariance theorem for an architecture: its kernels are invariant under the
/// simultaneous action of the group on both arguments, Θ(ρ_X(g)x, ρ_X(g)x') = Θ(x, x') and K(ρ_X(g)x, ρ_X(g)x') = K(x, x').
/// </summary>
/// <remarks>
/// Holds for fully-connected networks and orthogonal ρ_X (their kernels depend only on inner products), and for CNNs
/// with square filters and Same or Circular padding under rotations and reflections of square images; fails e.g. for
/// a non-square filter under C4. Gerken &amp; Kessel, ICML 2024, Theorem 4 and its assumption on the kernel.
/// </remarks>
public static class KernelSymmetry
{
    /// <summary>Computes both kernels on <paramref name="x"/> and on every ρ_X(g)x and reports the largest violation.</summary>
    /// <param name="network">The architecture.</param>
    /// <param name="group">The group (only ρ_X is used).</param>
    /// <param name="x">Probe inputs (a few random inputs suffice).</param>
    /// <param name="tolerance">Relative tolerance for <see cref="KernelSymmetryReport.IsSymmetric"/>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ArgumentException">The inputs do not fit the group or the network.</exception>
    public static KernelSymmetryReport Check(Layer network, SymmetryGroup group, Tensor x, double tolerance = 1e-10,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(x);
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be non-negative.");
        x.EnsureFinite(nameof(x));
        group.CheckInputs(x, nameof(x));
        var kf = new KernelFunction(network);
        var baseK = kf.Compute(x, null, KernelOutputs.Both, null, null, cancellationToken);
        double ntkScale = baseK.Ntk!.Enumerate().Max(Math.Abs), nngpScale = baseK.Nngp!.Enumerate().Max(Math.Abs);
        double maxNtk = 0, maxNngp = 0, worst = -1;
        string worstName = group.ElementNames[0];
        for (int g = 1; g < group.Order; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = kf.Compute(group.ActOnInputs(g, x), null, KernelOutputs.Both, null, null, cancellationToken);
            double vn = (r.Ntk! - baseK.Ntk).Enumerate().Max(Math.Abs) / Math.Max(ntkScale, double.Epsilon);
            double vk = (r.Nngp! - baseK.Nngp).Enumerate().Max(Math.Abs) / Math.Max(nngpScale, double.Epsilon);
            maxNtk = Math.Max(maxNtk, vn);
            maxNngp = Math.Max(maxNngp, vk);
            if (Math.Max(vn, vk) > worst)
            {
                worst = Math.Max(vn, vk);
                worstName = group.ElementNames[g];
            }
        }
        return new KernelSymmetryReport(maxNtk <= tolerance && maxNngp <= tolerance, maxNtk, maxNngp, worstName, tolerance);
    }
}
