using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>
/// Pixel maps of rotations and reflections of square images about their centre, and the matching 2×2 matrices on ℝ².
/// </summary>
/// <remarks>
/// Pixel (row i, column j) of an n×n image sits at (x, y) = (j − (n − 1)/2, (n − 1)/2 − i): x to the right, y up.
/// An image transformed by the orthogonal map M is (ρ(M)·img)(p) = img(M⁻¹p), so that a feature at p moves to Mp, and
/// the same M acts on ℝ² vectors. The 90° rotation R = [[0, −1], [1, 0]] is counter-clockwise (numpy's rot90); the
/// reflection S = [[−1, 0], [0, 1]] mirrors left and right (numpy's fliplr).
/// </remarks>
internal static class PlaneGeometry
{
    /// <summary>The integer matrix R^k·S^m as (a, b, c, d) for [[a, b], [c, d]].</summary>
    public static (int A, int B, int C, int D) D4Matrix(int rotation, bool reflect)
    {
        (int a, int b, int c, int d) m = (1, 0, 0, 1);
        for (int k = 0; k < ((rotation % 4) + 4) % 4; k++) m = (-m.c, -m.d, m.a, m.b); // R·m
        if (reflect) m = (-m.a, m.b, -m.c, m.d); // m·S: negate the first column
        return m;
    }

    /// <summary>The pixel permutation of an n×n×channels image for an integer orthogonal matrix.</summary>
    public static PermutationAction ImagePermutation(int n, int channels, (int A, int B, int C, int D) m)
    {
        var source = new int[n * n * channels];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Doubled centred coordinates are integers.
                int x = 2 * j - (n - 1), y = (n - 1) - 2 * i;
                // M⁻¹ = Mᵀ for an orthogonal matrix.
                int xs = m.A * x + m.C * y, ys = m.B * x + m.D * y;
                int js = (xs + n - 1) / 2, is_ = (n - 1 - ys) / 2;
                for (int c = 0; c < channels; c++) source[(i * n + j) * channels + c] = (is_ * n + js) * channels + c;
            }
        }
        return new PermutationAction(source);
    }

    /// <summary>The 2×2 matrix as an action on ℝ².</summary>
    public static MatrixAction PlaneAction((int A, int B, int C, int D) m)
        => new(Matrix<double>.Build.DenseOfArray(new double[,] { { m.A, m.B }, { m.C, m.D } }));

    /// <summary>The rotation by 2πm/k on ℝ², with exact 0 and ±1 entries at multiples of 90°.</summary>
    public static MatrixAction Rotation(int m, int k)
    {
        var (c, s) = CosSin(m, k);
        return new MatrixAction(Matrix<double>.Build.DenseOfArray(new double[,] { { c, -s }, { s, c } }));
    }

    /// <summary>cos and sin of 2πm/k, exact at multiples of 90°.</summary>
    public static (double Cos, double Sin) CosSin(int m, int k)
    {
        m = ((m % k) + k) % k;
        if (4 * m % k == 0)
        {
            return (4 * m / k) switch
            {
                0 => (1.0, 0.0),
                1 => (0.0, 1.0),
                2 => (-1.0, 0.0),
                _ => (0.0, -1.0),
            };
        }
        double th = 2 * Math.PI * m / k;
        return (Math.Cos(th), Math.Sin(th));
    }

    /// <summary>
    /// Rotation of an n×n×channels image by 2πm/k through bilinear interpolation: (ρ·img)(p) = img(R⁻¹p), sampled
    /// bilinearly from the four nearest pixel centres, with zero outside the image.
    /// </summary>
    public static MatrixAction InterpolatedRotation(int n, int channels, int m, int k)
    {
        var (cos, sin) = CosSin(m, k);
        int dim = n * n * channels;
        var cols = new int[dim][];
        var vals = new double[dim][];
        double c0 = (n - 1) / 2.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double x = j - c0, y = c0 - i;
                // R⁻¹p = R(−θ)p.
                double xs = cos * x + sin * y, ys = -sin * x + cos * y;
                double js = Snap(xs + c0), is_ = Snap(c0 - ys);
                int j0 = (int)Math.Floor(js), i0 = (int)Math.Floor(is_);
                double fj = js - j0, fi = is_ - i0;
                var taps = new List<(int Pixel, double W)>(4);
                void Tap(int ii, int jj, double w)
                {
                    if (w != 0 && ii >= 0 && ii < n && jj >= 0 && jj < n) taps.Add((ii * n + jj, w));
                }
                Tap(i0, j0, (1 - fi) * (1 - fj));
                Tap(i0, j0 + 1, (1 - fi) * fj);
                Tap(i0 + 1, j0, fi * (1 - fj));
                Tap(i0 + 1, j0 + 1, fi * fj);
                for (int c = 0; c < channels; c++)
                {
                    int row = (i * n + j) * channels + c;
                    cols[row] = taps.Select(t => t.Pixel * channels + c).ToArray();
                    vals[row] = taps.Select(t => t.W).ToArray();
                }
            }
        }
        return new MatrixAction(dim, cols, vals);
    }

    private static double Snap(double v)
    {
        double r = Math.Round(v);
        return Math.Abs(v - r) < 1e-9 ? r : v;
    }
}
