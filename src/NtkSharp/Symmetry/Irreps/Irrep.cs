using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry.Irreps;

/// <summary>
/// A unitary irreducible representation ρ of a finite group over ℂ: one d×d unitary matrix ρ(g) per element (in the
/// group's element order) with ρ(a)ρ(b) = ρ(ab).
/// </summary>
/// <remarks>Built by <see cref="GroupIrreps.Compute"/>. Real irreps (all ρ(g) real orthogonal) give real symmetric
/// kernel blocks; the others Hermitian ones (Serre, "Linear Representations of Finite Groups", §2).</remarks>
public sealed class Irrep
{
    private readonly Matrix<Complex>[] _matrices;

    internal Irrep(string name, Matrix<Complex>[] matrices, int? conjugatePartner = null)
    {
        Name = name;
        _matrices = matrices;
        Dimension = matrices[0].RowCount;
        Characters = matrices.Select(m => m.Trace()).ToArray();
        IsReal = matrices.All(m => m.Enumerate().All(z => z.Imaginary == 0));
        ConjugatePartner = conjugatePartner;
    }

    /// <summary>The irrep's name ("trivial" for the trivial representation; see <see cref="GroupIrreps.Compute"/>).</summary>
    public string Name { get; }

    /// <summary>d = dim ρ.</summary>
    public int Dimension { get; }

    /// <summary>True when every ρ(g) is real (then ρ(g) is orthogonal and the kernel block is real symmetric).</summary>
    public bool IsReal { get; }

    /// <summary>The characters χ(g) = tr ρ(g), in element order.</summary>
    public IReadOnlyList<Complex> Characters { get; }

    /// <summary>When not null, the index (in the list of <see cref="GroupIrreps.Compute"/>) of the irrep whose matrices are
    /// exactly the complex conjugates ρ(g)* of this one's (a real kernel then has conjugate blocks with equal spectra).</summary>
    public int? ConjugatePartner { get; internal set; }

    /// <summary>ρ(g), a d×d unitary matrix (a copy).</summary>
    public Matrix<Complex> Matrix(int g) => _matrices[g].Clone();

    internal Matrix<Complex> MatrixView(int g) => _matrices[g];
}
