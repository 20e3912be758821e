using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry.Irreps;

/// <summary>
/// The complete set of unitary irreducible representations (over ℂ) of a finite <see cref="SymmetryGroup"/>, read from
/// its multiplication table only (so any group that is abstractly cyclic, dihedral, … takes the same path whatever it
/// acts on).
/// </summary>
/// <remarks>
/// <para>Three constructions, tried in this order:</para>
/// <list type="bullet">
/// <item><b>Cyclic</b> groups C_k (an element r of order k = |G|, the first such in element order, e.g. r1 of
/// <see cref="Groups.Cn"/>): the k characters ρ_m(r^j) = e^{2πi·mj/k}, named <c>trivial</c> (m = 0) and <c>chi1</c> …
/// <c>chi{k−1}</c>; chi{k−m} is the complex conjugate of chi{m}.</item>
/// <item><b>Dihedral</b> groups D_k, k ≥ 3 (|G| = 2k with r of order k and an involution s ∉ ⟨r⟩ with srs = r⁻¹; r is
/// the first element of order k, s the first such involution, e.g. r and s of <see cref="Groups.D4"/>): real
/// orthogonal irreps <c>trivial</c>, <c>A2</c> (r ↦ 1, s ↦ −1), for even k <c>B1</c> (r ↦ −1, s ↦ 1) and <c>B2</c>
/// (r ↦ −1, s ↦ −1), and the 2-dimensional <c>E1</c> … <c>E⌊(k−1)/2⌋</c> with ρ_m(r) the rotation by 2πm/k and
/// ρ_m(s) = diag(1, −1).</item>
/// <item><b>Any other finite group</b> (S_n of <see cref="Groups.Permutations"/>, <see cref="Groups.Generated"/>,
/// translations of images, user groups): the left regular representation L is decomposed numerically. A random
/// Hermitian element A = Σ_g c_g R(g) + h.c. of the right regular algebra commutes with L, and for generic c its
/// eigenspaces are irreducible L-invariant subspaces (A acts as I_{V_ρ} ⊗ B_ρ on each isotypic component, B_ρ a
/// generic d_ρ×d_ρ Hermitian matrix; Dixon, "Computing irreducible representations of groups", Math. Comp. 24, 1970,
/// projects with the same commutant idea). With an orthonormal basis U of one eigenspace, ρ(g) = U†L(g)U; equivalent
/// copies are merged by their characters. The result is checked: Σ d_ρ² = |G|, the homomorphism property,
/// ⟨χ_ρ, χ_ρ⟩ = 1 and distinct characters; otherwise new random coefficients are drawn (up to 5 tries). Irreps are
/// named <c>trivial</c> and <c>rho1</c>, <c>rho2</c>, … ordered by dimension, then by the real parts of their
/// characters (descending, in element order). For S_n (n ≤ 5, the group <c>S{n}</c> of
/// <see cref="Groups.Permutations"/>) the matrices are complex unitary (equivalent to real ones). Cost
/// O(|G|³) (a 2|G|-order real eigendecomposition and the characters of |G| subspaces); groups of order above 1024 are refused.</item>
/// </list>
/// </remarks>
public static class GroupIrreps
{
    /// <summary>The largest order handled by the regular-representation construction.</summary>
    public const int MaxGeneralOrder = 1024;

    /// <summary>All irreps of <paramref name="group"/>, the trivial one first.</summary>
    /// <param name="group">An exact finite group (its multiplication table defines the irreps).</param>
    /// <param name="seed">Seed of the random commutant element of the general construction.</param>
    /// <exception cref="ArgumentException">The group is not exact (interpolated rotations are not representations).</exception>
    /// <exception cref="NotSupportedException">A group that is neither cyclic nor dihedral with order above
    /// <see cref="MaxGeneralOrder"/>.</exception>
    public static IReadOnlyList<Irrep> Compute(SymmetryGroup group, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (!group.IsExact)
            throw new ArgumentException($"{group.Name} is not an exact representation (interpolated rotations: ρ(g)ρ(h) ≠ ρ(gh)), so its action has no irrep decomposition.", nameof(group));
        int order = group.Order;
        var elementOrders = new int[order];
        for (int g = 0; g < order; g++) elementOrders[g] = ElementOrder(group, g);
        int r = Array.IndexOf(elementOrders, order);
        if (r >= 0 || order == 1) return Cyclic(group, order == 1 ? 0 : r);
        if (order % 2 == 0 && order >= 6 && TryDihedral(group, elementOrders, out var dihedral)) return dihedral;
        if (order > MaxGeneralOrder)
            throw new NotSupportedException($"{group.Name} (|G| = {order}) is neither cyclic nor dihedral and has more than {MaxGeneralOrder} elements: the regular-representation construction (a 2|G|-order eigendecomposition) is not attempted.");
        return RegularRepresentationIrreps.Compute(group, seed);
    }

    /// <summary>The order of element g (the least m ≥ 1 with g^m = e).</summary>
    internal static int ElementOrder(SymmetryGroup group, int g)
    {
        int m = 1, p = g;
        while (p != group.Identity)
        {
            p = group.Multiply(g, p);
            m++;
        }
        return m;
    }

    private static Irrep[] Cyclic(SymmetryGroup group, int r)
    {
        int k = group.Order;
        var power = new int[k]; // power[g] = j with g = r^j
        int p = group.Identity;
        for (int j = 0; j < k; j++)
        {
            power[p] = j;
            p = group.Multiply(r, p);
        }
        var irreps = new Irrep[k];
        for (int m = 0; m < k; m++)
        {
            var mats = new Matrix<Complex>[k];
            for (int g = 0; g < k; g++)
            {
                int phase = (int)((long)m * power[g] % k);
                mats[g] = Matrix<Complex>.Build.Dense(1, 1, UnitRoot(phase, k));
            }
            irreps[m] = new Irrep(m == 0 ? "trivial" : $"chi{m}", mats, m == 0 || 2 * m == k ? null : k - m);
        }
        return irreps;
    }

    /// <summary>e^{2πi·a/k}, exact (±1, ±i) where it can be.</summary>
    private static Complex UnitRoot(int a, int k)
    {
        a %= k;
        if (a == 0) return Complex.One;
        if (2 * a == k) return -Complex.One;
        if (4 * a == k) return Complex.ImaginaryOne;
        if (4 * a == 3 * k) return -Complex.ImaginaryOne;
        double t = 2 * Math.PI * a / k;
        return new Complex(Math.Cos(t), Math.Sin(t));
    }

    private static bool TryDihedral(SymmetryGroup group, int[] elementOrders, out Irrep[] irreps)
    {
        irreps = [];
        int n = group.Order, k = n / 2;
        if (k < 3) return false;
        int r = Array.IndexOf(elementOrders, k);
        if (r < 0) return false;
        var rotation = new int[k]; // r^j
        var inR = new bool[n];
        int p = group.Identity;
        for (int j = 0; j < k; j++)
        {
            rotation[j] = p;
            inR[p] = true;
            p = group.Multiply(r, p);
        }
        int s = -1;
        for (int g = 0; g < n && s < 0; g++)
        {
            if (inR[g] || elementOrders[g] != 2) continue;
            if (group.Multiply(group.Multiply(g, r), g) == group.Inverse(r)) s = g;
        }
        if (s < 0) return false;
        // Every element is r^j or r^j s.
        var jOf = new int[n];
        var reflect = new bool[n];
        var seen = new bool[n];
        for (int j = 0; j < k; j++)
        {
            int a = rotation[j], b = group.Multiply(rotation[j], s);
            if (seen[a] || seen[b]) return false;
            seen[a] = seen[b] = true;
            jOf[a] = j;
            jOf[b] = j;
            reflect[b] = true;
        }
        var list = new List<Irrep>();
        Matrix<Complex> Scalar(double v) => Matrix<Complex>.Build.Dense(1, 1, new Complex(v, 0));
        list.Add(new Irrep("trivial", Enumerable.Range(0, n).Select(_ => Scalar(1)).ToArray()));
        list.Add(new Irrep("A2", Enumerable.Range(0, n).Select(g => Scalar(reflect[g] ? -1 : 1)).ToArray()));
        if (k % 2 == 0)
        {
            list.Add(new Irrep("B1", Enumerable.Range(0, n).Select(g => Scalar(jOf[g] % 2 == 0 ? 1 : -1)).ToArray()));
            list.Add(new Irrep("B2", Enumerable.Range(0, n).Select(g => Scalar((jOf[g] % 2 == 0 ? 1 : -1) * (reflect[g] ? -1 : 1))).ToArray()));
        }
        for (int m = 1; 2 * m < k; m++)
        {
            var mats = new Matrix<Complex>[n];
            for (int g = 0; g < n; g++)
            {
                var z = UnitRoot((int)((long)m * jOf[g] % k), k);
                double c = z.Real, si = z.Imaginary;
                // ρ(r^j) = [[c, −s], [s, c]], ρ(r^j s) = ρ(r^j)·diag(1, −1).
                double f = reflect[g] ? -1 : 1;
                mats[g] = Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { c, -si * f }, { si, c * f } });
            }
            list.Add(new Irrep($"E{m}", mats));
        }
        irreps = list.ToArray();
        return true;
    }
}
