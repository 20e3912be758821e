using System.Numerics;
using NtkSharp.Symmetry;
using NtkSharp.Symmetry.Irreps;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

/// <summary>The irreps of finite groups against the defining identities: homomorphism, unitarity, character
/// orthogonality ⟨χ_ρ, χ_σ⟩ = δ_ρσ, and Σ d² = |G| (Burnside), plus the known dimensions.</summary>
public class GroupIrrepsTests
{
    public static TheoryData<string, int[]> Groups_() => new()
    {
        { "C1", [1] },
        { "C6", [1, 1, 1, 1, 1, 1] },
        { "C4 images", [1, 1, 1, 1] },
        { "D4", [1, 1, 1, 1, 2] },
        { "D5", [1, 1, 2, 2] },
        { "D6", [1, 1, 1, 1, 2, 2] },
        { "S3", [1, 1, 2] },
        { "S4", [1, 1, 2, 3, 3] },
        { "S5", [1, 1, 4, 4, 5, 5, 6] },
        { "Translations 2x3", [1, 1, 1, 1, 1, 1] },
        // p4m on a 3×3 torus, D4 ⋉ ℤ₃²: D4's own irreps, and by the little-group method the two D4-orbits of size 4 on
        // the 8 non-trivial characters of ℤ₃² (stabilisers of order 2) give four irreps of dimension 4.
        { "p4m 3x3", [1, 1, 1, 1, 2, 4, 4, 4, 4] },
    };

    internal static SymmetryGroup Build(string name) => name switch
    {
        "C1" => Groups.Cn(1, [2]),
        "C6" => Groups.Cn(6, [2]),
        "C4 images" => Groups.C4([3, 3, 1]),
        "D4" => Groups.D4([4, 4, 1]),
        "D5" => Dihedral(5),
        "D6" => Dihedral(6),
        "S3" => Groups.Permutations([3, 1]),
        "S4" => Groups.Permutations([4, 2]),
        "S5" => Groups.Permutations([5]),
        "Translations 2x3" => Groups.Translations([2, 3, 1]),
        "p4m 3x3" => Groups.Generated("p4m", Groups.D4([3, 3, 1]), Groups.Translations([3, 3, 1])),
        _ => throw new ArgumentException(name),
    };

    /// <summary>D_k as permutations of the k vertices of a regular polygon (rotation i ↦ i + 1, reflection i ↦ −i).</summary>
    internal static SymmetryGroup Dihedral(int k)
    {
        var perms = new List<int[]>();
        for (int r = 0; r < k; r++)
        {
            perms.Add(Enumerable.Range(0, k).Select(i => (i + r) % k).ToArray());
            perms.Add(Enumerable.Range(0, k).Select(i => ((r - i) % k + k) % k).ToArray());
        }
        return SymmetryGroup.FromPermutations($"D{k}", [k], perms);
    }

    [Theory]
    [MemberData(nameof(Groups_))]
    public void Compute_FiniteGroup_IrrepsSatisfyHomomorphismUnitarityAndCharacterOrthogonality(string name, int[] dims)
    {
        var g = Build(name);
        var irreps = GroupIrreps.Compute(g);
        int n = g.Order;
        Assert.Equal("trivial", irreps[0].Name);
        Assert.Equal(dims, irreps.Select(r => r.Dimension).OrderBy(d => d).ToArray());
        Assert.Equal(n, irreps.Sum(r => r.Dimension * r.Dimension));
        Assert.Equal(irreps.Count, irreps.Select(r => r.Name).Distinct().Count());
        foreach (var rho in irreps)
        {
            for (int a = 0; a < n; a++)
            {
                var ra = rho.Matrix(a);
                double unitary = (ra * ra.ConjugateTranspose() - MathNet.Numerics.LinearAlgebra.Matrix<Complex>.Build.DenseIdentity(rho.Dimension)).Enumerate().Max(z => z.Magnitude);
                Assert.True(unitary < 1e-10, $"{name} {rho.Name}: ρ({a}) not unitary by {unitary:E2}");
                for (int b = 0; b < n; b++)
                {
                    double err = (ra * rho.Matrix(b) - rho.Matrix(g.Multiply(a, b))).Enumerate().Max(z => z.Magnitude);
                    Assert.True(err < 1e-10, $"{name} {rho.Name}: ρ(a)ρ(b) − ρ(ab) = {err:E2} at a = {a}, b = {b}");
                }
            }
        }
        // ⟨χ_ρ, χ_σ⟩ = (1/|G|) Σ_g χ_ρ(g) conj(χ_σ(g)) = δ, and column orthogonality Σ_ρ χ_ρ(g) conj(χ_ρ(h)) = |C(g)| δ_{g~h}
        // at h = e: Σ_ρ d_ρ χ_ρ(g) = |G| δ_{g,e} (the regular character).
        for (int r = 0; r < irreps.Count; r++)
        {
            for (int s = 0; s < irreps.Count; s++)
            {
                Complex ip = Complex.Zero;
                for (int a = 0; a < n; a++) ip += irreps[r].Characters[a] * Complex.Conjugate(irreps[s].Characters[a]);
                ip /= n;
                double expected = r == s ? 1 : 0;
                Assert.True((ip - expected).Magnitude < 1e-10, $"{name}: ⟨χ_{irreps[r].Name}, χ_{irreps[s].Name}⟩ = {ip}");
            }
        }
        for (int a = 0; a < n; a++)
        {
            Complex reg = Complex.Zero;
            foreach (var rho in irreps) reg += rho.Dimension * rho.Characters[a];
            Assert.True((reg - (a == g.Identity ? n : 0)).Magnitude < 1e-9, $"{name}: regular character at {a} = {reg}");
        }
    }

    [Fact]
    public void Compute_CyclicGroup_ClosedFormCharactersOfTheGenerator()
    {
        var g = Groups.Cn(8, [2]);
        var irreps = GroupIrreps.Compute(g);
        for (int m = 0; m < 8; m++)
        {
            for (int j = 0; j < 8; j++)
            {
                var expected = Complex.FromPolarCoordinates(1, 2 * Math.PI * m * j / 8);
                Assert.True((irreps[m].Characters[j] - expected).Magnitude < 1e-14, $"chi{m}(r{j}) = {irreps[m].Characters[j]}");
            }
        }
        Assert.Equal(["trivial", "chi1", "chi2", "chi3", "chi4", "chi5", "chi6", "chi7"], irreps.Select(r => r.Name));
        Assert.Equal(7, irreps[1].ConjugatePartner);
    }

    [Fact]
    public void Compute_InterpolatedRotations_RefusedBecauseNotARepresentation()
    {
        var e = Assert.Throws<ArgumentException>(() => GroupIrreps.Compute(Groups.Cn(8, [5, 5, 1])));
        Assert.Contains("not an exact representation", e.Message);
    }
}
