using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Symmetry.Irreps;

namespace NtkSharp.Prediction;

/// <summary>
/// One irrep's block of a kernel over a group orbit, K̂_ρ = Σ_a K(xᵢ, ρ_X(a)xⱼ) ⊗ ρ(a)*, an (N·d)×(N·d) Hermitian matrix
/// with row i·d + α and column j·d + β, and its eigendecomposition.
/// </summary>
/// <remarks>Every eigenvalue of K̂_ρ is an eigenvalue of the orbit Gram matrix K(ρ(g)xᵢ, ρ(h)xⱼ) with multiplicity
/// d = dim ρ (group Fourier transform; Perin &amp; Deny, JMLR 2025).</remarks>
public sealed class IrrepBlock
{
    internal IrrepBlock(Irrep irrep, Matrix<Complex> block, double[] eigenvalues, Matrix<Complex> eigenvectors, double traceShare)
    {
        Irrep = irrep;
        Block = block;
        Eigenvalues = eigenvalues;
        Eigenvectors = eigenvectors;
        TraceShare = traceShare;
    }

    /// <summary>The irrep ρ.</summary>
    public Irrep Irrep { get; }

    /// <summary>ρ's name ("trivial" for the trivial irrep).</summary>
    public string Name => Irrep.Name;

    /// <summary>d = dim ρ.</summary>
    public int Dimension => Irrep.Dimension;

    /// <summary>K̂_ρ (Hermitian; real for real irreps).</summary>
    public Matrix<Complex> Block { get; }

    /// <summary>The N·d eigenvalues of K̂_ρ in descending order.</summary>
    public IReadOnlyList<double> Eigenvalues { get; }

    /// <summary>Orthonormal eigenvectors (column c belongs to <see cref="Eigenvalues"/>[c]).</summary>
    public Matrix<Complex> Eigenvectors { get; }

    /// <summary>d·tr K̂_ρ / tr(orbit Gram): the share of the orbit Gram matrix's trace carried by ρ's copies (the shares
    /// of all irreps sum to 1).</summary>
    public double TraceShare { get; }
}
