using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Symmetry.Irreps;

/// <summary>
/// The irreps of any finite group by decomposing its left regular representation with a random Hermitian element of the
/// commutant (the right regular algebra); see <see cref="GroupIrreps"/>.
/// </summary>
internal static class RegularRepresentationIrreps
{
    private const double CharacterTolerance = 1e-6;

    public static IReadOnlyList<Irrep> Compute(SymmetryGroup group, int seed)
    {
        string? last = null;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var result = TryCompute(group, seed + 7919 * attempt, out last);
            if (result is not null) return result;
        }
        throw new ArithmeticException($"The irreps of {group.Name} (|G| = {group.Order}) could not be separated numerically: {last}");
    }

    private static Irrep[]? TryCompute(SymmetryGroup group, int seed, out string? failure)
    {
        int n = group.Order;
        var rng = new Random(seed);
        // M = Σ_g c_g R(g), R(g) e_h = e_{h g⁻¹}; A = M + M† commutes with every L(g) e_h = e_{gh}.
        var a = Matrix<Complex>.Build.Dense(n, n);
        for (int g = 0; g < n; g++)
        {
            var c = new Complex(Normal(rng), Normal(rng));
            int gi = group.Inverse(g);
            for (int h = 0; h < n; h++)
            {
                int row = group.Multiply(h, gi);
                a[row, h] += c;
                a[h, row] += Complex.Conjugate(c);
            }
        }
        var (values, vectors) = HermitianEigen.Compute(a);
        double scale = Math.Max(Math.Abs(values[0]), Math.Abs(values[n - 1]));
        // Eigenspaces of A: irreducible L-invariant subspaces for generic coefficients.
        var subspaces = new List<Matrix<Complex>>();
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && values[end] - values[end - 1] <= 1e-8 * scale) end++;
            subspaces.Add(vectors.SubMatrix(0, n, start, end - start));
            start = end;
        }
        // Characters of every subspace, χ(g) = Σ_h Σ_α conj(U[gh, α]) U[h, α]; merge equivalent ones.
        var classes = new List<(Complex[] Chi, Matrix<Complex> U, int Count)>();
        foreach (var u in subspaces)
        {
            var chi = Characters(group, u);
            int d = u.ColumnCount;
            if (Math.Abs(chi[group.Identity].Real - d) > CharacterTolerance)
            {
                failure = "a subspace's character at the identity is not its dimension";
                return null;
            }
            int match = classes.FindIndex(c => c.Chi.Length == chi.Length && Distance(c.Chi, chi) < CharacterTolerance * n);
            if (match >= 0) classes[match] = (classes[match].Chi, classes[match].U, classes[match].Count + 1);
            else classes.Add((chi, u, 1));
        }
        long sumSquares = 0;
        foreach (var c in classes)
        {
            int d = c.U.ColumnCount;
            sumSquares += (long)d * d;
            double norm = c.Chi.Sum(z => z.Real * z.Real + z.Imaginary * z.Imaginary) / n;
            if (c.Count != d || Math.Abs(norm - 1) > 1e-6)
            {
                failure = $"an eigenspace of dimension {d} occurs {c.Count} times with ⟨χ, χ⟩ = {norm:G6} (reducible: coefficients not generic)";
                return null;
            }
        }
        if (sumSquares != n)
        {
            failure = $"Σ dim² = {sumSquares} ≠ |G| = {n}";
            return null;
        }
        // Order: by dimension, then by the real parts of the characters (descending, element order); trivial first.
        classes.Sort((x, y) =>
        {
            int c = x.U.ColumnCount.CompareTo(y.U.ColumnCount);
            if (c != 0) return c;
            for (int g = 0; g < n; g++)
            {
                double dx = x.Chi[g].Real, dy = y.Chi[g].Real;
                if (Math.Abs(dx - dy) > CharacterTolerance) return dy.CompareTo(dx);
            }
            for (int g = 0; g < n; g++)
            {
                double dx = x.Chi[g].Imaginary, dy = y.Chi[g].Imaginary;
                if (Math.Abs(dx - dy) > CharacterTolerance) return dy.CompareTo(dx);
            }
            return 0;
        });
        var mats = classes.Select(c => Representation(group, c.U)).ToArray();
        var partner = new int?[classes.Count];
        for (int i = 0; i < classes.Count; i++)
        {
            if (partner[i] is not null || classes[i].Chi.All(z => Math.Abs(z.Imaginary) <= CharacterTolerance)) continue;
            var conj = classes[i].Chi.Select(Complex.Conjugate).ToArray();
            int j = classes.FindIndex(c => Distance(c.Chi, conj) < CharacterTolerance * n);
            if (j < 0 || j == i)
            {
                failure = "a complex character has no conjugate partner";
                return null;
            }
            // Use exactly the conjugate matrices for the partner, so a real kernel gives exactly conjugate blocks.
            mats[j] = mats[i].Select(m => m.Conjugate()).ToArray();
            partner[i] = j;
            partner[j] = i;
        }
        var irreps = new Irrep[classes.Count];
        for (int i = 0; i < classes.Count; i++)
        {
            var round = mats[i].Select(RoundReal).ToArray();
            irreps[i] = new Irrep(i == 0 ? "trivial" : $"rho{i}", round, partner[i]);
        }
        if (irreps[0].Dimension != 1 || irreps[0].Characters.Any(z => (z - Complex.One).Magnitude > CharacterTolerance))
        {
            failure = "the first irrep is not the trivial one";
            return null;
        }
        failure = CheckHomomorphism(group, irreps, rng);
        return failure is null ? irreps : null;
    }

    private static Complex[] Characters(SymmetryGroup group, Matrix<Complex> u)
    {
        int n = group.Order, d = u.ColumnCount;
        var chi = new Complex[n];
        for (int g = 0; g < n; g++)
        {
            Complex s = Complex.Zero;
            for (int h = 0; h < n; h++)
            {
                int gh = group.Multiply(g, h);
                for (int a = 0; a < d; a++) s += Complex.Conjugate(u[gh, a]) * u[h, a];
            }
            chi[g] = s;
        }
        return chi;
    }

    /// <summary>ρ(g) = U†L(g)U, i.e. ρ(g)[α, β] = Σ_h conj(U[gh, α]) U[h, β].</summary>
    private static Matrix<Complex>[] Representation(SymmetryGroup group, Matrix<Complex> u)
    {
        int n = group.Order, d = u.ColumnCount;
        var result = new Matrix<Complex>[n];
        for (int g = 0; g < n; g++)
        {
            var m = Matrix<Complex>.Build.Dense(d, d);
            for (int h = 0; h < n; h++)
            {
                int gh = group.Multiply(g, h);
                for (int a = 0; a < d; a++)
                {
                    var left = Complex.Conjugate(u[gh, a]);
                    for (int b = 0; b < d; b++) m[a, b] += left * u[h, b];
                }
            }
            result[g] = m;
        }
        return result;
    }

    /// <summary>Sets imaginary parts below 1e-14 to zero (so e.g. the trivial irrep is exactly real).</summary>
    private static Matrix<Complex> RoundReal(Matrix<Complex> m) => m.Map(z => Math.Abs(z.Imaginary) < 1e-14 ? new Complex(z.Real, 0) : z);

    private static string? CheckHomomorphism(SymmetryGroup group, Irrep[] irreps, Random rng)
    {
        int n = group.Order;
        var probes = Enumerable.Range(0, Math.Min(n, 8)).Select(_ => rng.Next(n)).ToArray();
        foreach (var rho in irreps)
        {
            foreach (int a in probes)
            {
                for (int b = 0; b < n; b++)
                {
                    double err = (rho.MatrixView(a) * rho.MatrixView(b) - rho.MatrixView(group.Multiply(a, b))).Enumerate().Max(z => z.Magnitude);
                    if (err > 1e-8) return $"{rho.Name}: ρ(a)ρ(b) differs from ρ(ab) by {err:G3}";
                }
            }
        }
        return null;
    }

    private static double Distance(Complex[] x, Complex[] y)
    {
        double m = 0;
        for (int i = 0; i < x.Length; i++) m = Math.Max(m, (x[i] - y[i]).Magnitude);
        return m;
    }

    private static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
