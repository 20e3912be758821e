using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;

namespace NtkSharp.Symmetry;

/// <summary>
/// The group-averaged kernel Θᴳ(x, x') = (1/|G|) Σ_g Θ(x, ρ_X(g)x') ρ_Y(g): for invariant targets a scalar kernel,
/// for equivariant targets a K×K matrix-valued kernel, written as an (N₁K)×(N₂K) matrix with row i·K + a and column
/// j·K + b.
/// </summary>
/// <remarks>
/// <para>Regression with Θᴳ on the N original points gives exactly the same gradient-descent mean μ_t as regression with Θ
/// on the |G|·N augmented points, at every t, with the same learning rate η and each regression normalised by its own
/// n = Y.size. Proof: let P replicate u ∈ ℝ^{NK} to the augmented vector (Pu)_(g,i) = ρ_Y(g)uᵢ. For a G-symmetric
/// kernel, Θ(ρ(g)x, ρ(h)x') = Θ(x, ρ(g⁻¹h)x'), so Θ_aug P = P (|G| Θᴳ) and Θ(x, X_aug) P = |G| Θᴳ(x, X). The augmented
/// targets are Y_aug = PY, hence for every spectral function φ, φ(Θ_aug) P Y = P φ(|G|Θᴳ) Y, and with
/// φ(λ) = (1 − e^{−ηλt/n_aug})/λ, n_aug = |G|·n, the factors |G| cancel:
/// μ_t(x) = Θᴳ(x, X) Θᴳ(X, X)⁻¹ (I − e^{−ηΘᴳ(X, X)t/n}) Y. The same holds for k discrete steps.</para>
/// <para>Costs: Θ(X, ρ(g)X) for all g is N × |G|N kernel entries instead of (|G|N)², and the solve is on N·K (N for
/// invariant targets) instead of |G|N unknowns: |G|² less memory and |G|³ less solve time for invariant targets.</para>
/// <para>The identity needs Θᴳ(X, X) symmetric, which holds when Θ(ρ(g)x, ρ(g)x') = Θ(x, x') (see
/// <see cref="KernelSymmetry"/>); <see cref="Compute"/> checks it on the training block.</para>
/// </remarks>
public static class GroupAveragedKernel
{
    /// <summary>
    /// Θᴳ between <paramref name="x1"/> and <paramref name="x2"/> (x1 itself when null, then symmetry is checked and
    /// enforced) for the chosen kernel (NTK or NNGP).
    /// </summary>
    /// <param name="kernel">The architecture's kernel function.</param>
    /// <param name="group">The group; invariant targets give an N₁×N₂ matrix, equivariant ones (N₁K)×(N₂K).</param>
    /// <param name="x1">Left inputs.</param>
    /// <param name="x2">Right inputs (null: x1).</param>
    /// <param name="which">Nngp or Ntk.</param>
    /// <param name="options">Kernel options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ArgumentException">Shapes do not fit the group, or (x2 null) Θᴳ(x1, x1) is not symmetric: the
    /// kernel is not G-symmetric and the group-averaged route does not equal augmentation.</exception>
    public static Matrix<double> Compute(KernelFunction kernel, SymmetryGroup group, Tensor x1, Tensor? x2 = null,
        KernelOutputs which = KernelOutputs.Ntk, KernelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(x1);
        if (which is not (KernelOutputs.Ntk or KernelOutputs.Nngp)) throw new ArgumentOutOfRangeException(nameof(which), which, "Ask for Nngp or Ntk.");
        group.CheckInputs(x1, nameof(x1));
        var right = x2 ?? x1;
        group.CheckInputs(right, nameof(x2));
        var orbit = group.OrbitInputs(right);
        var k = kernel.Compute(x1, orbit, which, options, null, cancellationToken).Get(which); // N1 × |G|N2
        var result = Average(k, group, x1.Count, right.Count);
        if (x2 is null)
        {
            double scale = result.Enumerate().Max(Math.Abs);
            double asym = (result - result.Transpose()).Enumerate().Max(Math.Abs);
            if (asym > 1e-9 * Math.Max(scale, double.Epsilon))
                throw new ArgumentException($"The group-averaged kernel of {group.Name} is not symmetric (relative asymmetry {asym / scale:E2}): the architecture's kernel is not {group.Name}-symmetric, so averaging does not reproduce augmentation. Check it with KernelSymmetry.Check and use explicit augmentation instead.", nameof(group));
            result = (result + result.Transpose()) * 0.5;
        }
        return result;
    }

    /// <summary>Averages an N₁ × |G|N₂ block row Θ(x1, ρ(g)x2) (element-major columns) into Θᴳ.</summary>
    internal static Matrix<double> Average(Matrix<double> k, SymmetryGroup group, int n1, int n2)
    {
        int order = group.Order;
        if (group.IsInvariant)
        {
            var r = Matrix<double>.Build.Dense(n1, n2);
            for (int g = 0; g < order; g++) r += k.SubMatrix(0, n1, g * n2, n2);
            return r / order;
        }
        int kk = group.OutputDimension!.Value;
        var result = Matrix<double>.Build.Dense(n1 * kk, n2 * kk);
        for (int g = 0; g < order; g++)
        {
            var rho = group.OutputActions![g].ToMatrix();
            for (int i = 0; i < n1; i++)
            {
                for (int j = 0; j < n2; j++)
                {
                    double kij = k[i, g * n2 + j] / order;
                    if (kij == 0) continue;
                    for (int a = 0; a < kk; a++)
                    {
                        for (int b = 0; b < kk; b++) result[i * kk + a, j * kk + b] += kij * rho[a, b];
                    }
                }
            }
        }
        return result;
    }
}
