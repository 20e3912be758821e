namespace NtkSharp.LinearAlgebra;

/// <summary>
/// Builds an exactly symmetric n×n column-major matrix from one triangle of another (or in place), in one
/// cache-blocked pass that also checks finiteness and the asymmetry of the source.
/// </summary>
internal static class SymmetricMirror
{
    private const int Tile = 64;

    /// <summary>What the pass saw in the source: the largest |aᵢⱼ| and the largest |aᵢⱼ − aⱼᵢ| with its position
    /// (row, column of the source's kept triangle).</summary>
    public readonly record struct Scan(double Scale, double Worst, int Row, int Column);

    /// <summary>Writes into <paramref name="destination"/> (may be <paramref name="source"/>) the symmetric matrix
    /// whose lower triangle (<paramref name="fromUpper"/> false) or upper triangle (true) is that of
    /// <paramref name="source"/>, and adds <paramref name="diagonalShift"/> to the diagonal.</summary>
    /// <exception cref="ArgumentException">A value is not finite (names <paramref name="name"/>).</exception>
    public static Scan Build(double[] source, double[] destination, int n, bool fromUpper, double diagonalShift, string name)
    {
        double scale = 0, worst = 0;
        int wr = 0, wc = 0;
        for (int bj = 0; bj < n; bj += Tile)
        {
            int je = Math.Min(n, bj + Tile);
            for (int bi = bj; bi < n; bi += Tile)
            {
                int ie = Math.Min(n, bi + Tile);
                // Pairs (i, j) with i > j in this tile pair: lower element L = a[i + j n], upper U = a[j + i n].
                for (int j = bj; j < je; j++)
                {
                    int iStart = bi == bj ? j : bi;
                    for (int i = iStart; i < ie; i++)
                    {
                        long lo = i + (long)j * n, up = j + (long)i * n;
                        double l = source[lo], u = source[up];
                        if (!double.IsFinite(l) || !double.IsFinite(u))
                        {
                            double bad = double.IsFinite(l) ? u : l;
                            long at = double.IsFinite(l) ? up : lo;
                            long r = at % n, c = at / n;
                            // fromUpper: the buffer is the transpose of the caller's (C-order) matrix.
                            if (fromUpper) (r, c) = (c, r);
                            throw new ArgumentException($"{name} contains a non-finite value ({bad}) at ({r}, {c}).", name);
                        }
                        double al = Math.Abs(l), au = Math.Abs(u);
                        if (al > scale) scale = al;
                        if (au > scale) scale = au;
                        double d = Math.Abs(l - u);
                        if (d > worst)
                        {
                            worst = d;
                            wr = fromUpper ? j : i;
                            wc = fromUpper ? i : j;
                        }
                        double v = fromUpper ? u : l;
                        if (i == j) v += diagonalShift;
                        destination[lo] = v;
                        destination[up] = v;
                    }
                }
            }
        }
        return new Scan(scale, worst, wr, wc);
    }

    /// <summary>Throws when the scanned asymmetry exceeds <paramref name="tolerance"/>·max|a| (the message of
    /// <see cref="MatrixChecks.Symmetric"/>).</summary>
    public static void Require(Scan s, string name, double tolerance = MatrixChecks.SymmetryTolerance)
    {
        if (s.Worst > tolerance * s.Scale)
            throw new ArgumentException($"{name} is not symmetric: |a[{s.Row},{s.Column}] − a[{s.Column},{s.Row}]| = {s.Worst:G3} exceeds {tolerance:G2} × max|a| = {tolerance * s.Scale:G3}.", name);
    }
}
