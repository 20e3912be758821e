using NtkSharp.Layers;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

public sealed class PolarGridTests
{
    // f(x, y) = x³ − 3xy² = r³·cos 3θ: smooth, with ∂²f/∂x² = 6x and ∂²f/∂y² = −6x, so the bilinear error of a sample in
    // the pixel cell [j0, j0 + 1] × [i0, i0 + 1] is at most (6 + 6)·max|x|/8 over the cell (unit spacing).
    private static double Cubic(double x, double y) => x * x * x - 3 * x * y * y;

    private static Tensor SampleImage(int n, Func<double, double, double> f)
    {
        double c = (n - 1) / 2.0;
        var data = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) data[i * n + j] = f(j - c, c - i);
        }
        return new Tensor(data, 1, n, n, 1);
    }

    private static double CellBound(PolarGrid grid, int a, int b)
    {
        var (_, col) = grid.PixelOf(a, b);
        double j0 = Math.Floor(col) - grid.Centre;
        return 1.5 * Math.Max(Math.Abs(j0), Math.Abs(j0 + 1));
    }

    [Fact]
    public void ToPolar_CubicHarmonic_WithinBilinearBoundEverywhere()
    {
        var grid = new PolarGrid(33, 12, 48);
        var polar = grid.ToPolar(SampleImage(33, Cubic));
        double worstShare = 0;
        for (int a = 0; a < grid.Radii; a++)
        {
            for (int b = 0; b < grid.Angles; b++)
            {
                double r = grid.Radius(a), phi = grid.Angle(b);
                double exact = r * r * r * Math.Cos(3 * phi);
                double err = Math.Abs(polar.Data[a * grid.Angles + b] - exact);
                double bound = CellBound(grid, a, b) + 1e-9 * Math.Abs(exact);
                worstShare = Math.Max(worstShare, err / bound);
                Assert.True(err <= bound, $"sample (a={a}, b={b}): error {err:G4} exceeds the bilinear bound {bound:G4}");
            }
        }
        Assert.True(worstShare > 0.01, $"the bound is far too loose to test anything: worst error/bound = {worstShare:G3}");
    }

    [Fact]
    public void ToPolar_SmoothImage_ErrorFallsQuadraticallyWithResolution()
    {
        // f = exp(−|p|²/(2s²))·cos(2θ)·r² scaled with the image: the same continuous picture on finer grids. Bilinear
        // interpolation is second order, so doubling the resolution divides the error by about 4.
        double Error(int n)
        {
            double scale = (n - 1) / 2.0;
            double F(double x, double y)
            {
                double u = x / scale, v = y / scale;
                return Math.Exp(-2 * (u * u + v * v)) * (u * u - v * v);
            }
            var grid = new PolarGrid(n, 40, 160);
            var polar = grid.ToPolar(SampleImage(n, F));
            double worst = 0;
            for (int a = 0; a < 40; a++)
            {
                for (int b = 0; b < 160; b++)
                {
                    var (row, col) = grid.PixelOf(a, b);
                    worst = Math.Max(worst, Math.Abs(polar.Data[a * 160 + b] - F(col - grid.Centre, grid.Centre - row)));
                }
            }
            return worst;
        }
        double coarse = Error(33), fine = Error(65);
        double ratio = coarse / fine;
        Assert.True(ratio is > 3.0 and < 5.5, $"error ratio 33→65 px = {ratio:G4} (errors {coarse:G4}, {fine:G4}); second order gives ≈ 4");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    public void PolarGroup_RotatedAnalyticImage_EqualsCyclicShiftWithinTwiceTheBound(int k)
    {
        const int n = 41;
        var grid = new PolarGrid(n, 10, 64);
        double alpha = 2 * Math.PI / k, ca = Math.Cos(alpha), sa = Math.Sin(alpha);
        // The image rotated counter-clockwise by α: f(R(−α)p), sampled exactly on the square grid.
        var rotated = grid.ToPolar(SampleImage(n, (x, y) => Cubic(ca * x + sa * y, -sa * x + ca * y)));
        var polar = grid.ToPolar(SampleImage(n, Cubic));
        var group = Groups.Polar(k, [10, 64, 1]);
        var shifted = group.ActOnInputs(1, polar);
        for (int a = 0; a < 10; a++)
        {
            for (int b = 0; b < 64; b++)
            {
                int o = a * 64 + b;
                double err = Math.Abs(shifted.Data[o] - rotated.Data[o]);
                // Both sides are bilinear samples of the same continuous value f(r_a, φ_b − α).
                double bound = CellBound(grid, a, b) + CellBound(grid, a, ((b - 64 / k) % 64 + 64) % 64) + 1e-9;
                Assert.True(err <= bound, $"k = {k}, sample (a={a}, b={b}): |shift − rotate| = {err:G4} exceeds {bound:G4}");
            }
        }
    }

    [Fact]
    public void PolarGroup_AnyOrderDividingAngles_IsExactCyclicGroup()
    {
        var g = Groups.Polar(16, [4, 32, 2]);
        Assert.True(g.IsExact, "Polar:16 must be an exact representation");
        Assert.Equal(16, g.Order);
        Assert.Equal(5, g.Multiply(2, 3));
        Assert.Equal(0, g.Multiply(15, 1));
        Assert.Equal(15, g.Inverse(1));
        var rng = new Random(2);
        var x = new Tensor(Enumerable.Range(0, 3 * 4 * 32 * 2).Select(_ => rng.NextDouble()).ToArray(), 3, 4, 32, 2);
        var r1 = g.ActOnInputs(1, x);
        // Element r1 moves angle b − 2 to angle b (A/k = 2), channels and radii untouched.
        Assert.Equal(x.Data[((1 * 4 + 2) * 32 + 5) * 2 + 1], r1.Data[((1 * 4 + 2) * 32 + 7) * 2 + 1]);
        var twice = g.ActOnInputs(1, r1);
        Assert.Equal(g.ActOnInputs(2, x).Data, twice.Data);
    }

    [Fact]
    public void PolarGroup_OrderNotDividingAngles_ThrowsNamingTheShape()
    {
        var e = Assert.Throws<ArgumentException>(() => Groups.Polar(3, [4, 32, 1]));
        Assert.Contains("(4, 32, 1)", e.Message);
        Assert.Contains("A = 32", e.Message);
        Assert.Throws<ArgumentException>(() => Groups.Polar(4, [4, 32, 1, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Groups.Polar(0, [4, 32, 1]));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    public void KernelSymmetry_CircularCnnOnPolarImages_InvariantUnderAngleShifts(int k)
    {
        var rng = new Random(k);
        var x = new Tensor(Enumerable.Range(0, 3 * 4 * 32).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 3, 4, 32, 1);
        var net = Layer.Parse("Serial(Conv(8, filter: (3, 3), padding: Circular, wStd: 1.4, bStd: 0.1), Relu(), Conv(8, filter: (3, 3), padding: Circular, wStd: 1.4), Relu(), Flatten(), Dense(1))");
        var report = KernelSymmetry.Check(net, Groups.Polar(k, [4, 32, 1]), x, 1e-12);
        Assert.True(report.IsSymmetric, $"Polar:{k}: NTK violation {report.MaxNtkViolation:G3}, NNGP {report.MaxNngpViolation:G3}");
    }

    [Fact]
    public void KernelSymmetry_SamePaddingOnPolarImages_NotInvariant()
    {
        var rng = new Random(3);
        var x = new Tensor(Enumerable.Range(0, 3 * 4 * 32).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), 3, 4, 32, 1);
        var net = Layer.Parse("Serial(Conv(8, filter: (3, 3), padding: Same, wStd: 1.4), Relu(), Flatten(), Dense(1))");
        var report = KernelSymmetry.Check(net, Groups.Polar(8, [4, 32, 1]), x, 1e-12);
        Assert.True(report.MaxNtkViolation > 1e-4, $"Same padding along the angle must break the invariance; NTK violation {report.MaxNtkViolation:G3}");
    }

    [Fact]
    public void PolarGrid_BadSizes_ThrowNamingTheParameter()
    {
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => new PolarGrid(1, 4, 4)).ParamName);
        Assert.Equal("radii", Assert.Throws<ArgumentOutOfRangeException>(() => new PolarGrid(8, 0, 4)).ParamName);
        Assert.Equal("angles", Assert.Throws<ArgumentOutOfRangeException>(() => new PolarGrid(8, 4, 0)).ParamName);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => new PolarGrid(8, 4, 4).ToPolar(new Tensor(new double[7 * 7], 1, 7, 7, 1))).ParamName);
    }

    [Fact]
    public void ToCartesian_OfPolarSmoothImage_CloseInsideTheDisc()
    {
        const int n = 65;
        double scale = (n - 1) / 2.0;
        double F(double x, double y) => Math.Exp(-3 * (x * x + y * y) / (scale * scale));
        var grid = new PolarGrid(n, 64, 256);
        var back = grid.ToCartesian(grid.ToPolar(SampleImage(n, F)));
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double x = j - scale, y = scale - i;
                if (x * x + y * y > 0.8 * scale * scale) continue;
                worst = Math.Max(worst, Math.Abs(back.Data[i * n + j] - F(x, y)));
            }
        }
        Assert.True(worst < 5e-3, $"polar → Cartesian round trip error inside 0.9·r_max: {worst:G3}");
    }
}
