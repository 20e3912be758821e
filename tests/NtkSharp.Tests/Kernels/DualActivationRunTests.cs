using System.Runtime.Intrinsics;
using NtkSharp.Kernels;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>
/// The SIMD run forms of the duals against the scalar forms (the single definition), entry by entry, on AVX-512 and
/// AVX2 lanes, including |ρ| → 1, exact ±1, the branch cut c₁₂ &lt; 0 and signed zeros; and the lane-wise atan2 against
/// <see cref="Math.Atan2"/> in every octant.
/// </summary>
public class DualActivationRunTests
{
    private const double Tolerance = 1e-14;

    /// <summary>(c11, c12, c22) triples: random, |ρ| near and at 1, c₁₂ &lt; 0 (θ past π/2), zero covariance.</summary>
    private static (double[] C11, double[] C12, double C22) Triples(int seed, double c22)
    {
        var rng = new Random(seed);
        var c11 = new List<double>();
        var c12 = new List<double>();
        void Add(double v1, double rho)
        {
            c11.Add(v1);
            c12.Add(rho * Math.Sqrt(v1 * c22));
        }
        for (int i = 0; i < 203; i++) Add(0.01 + 5 * rng.NextDouble(), 2 * rng.NextDouble() - 1);
        foreach (double e in new[] { 1e-3, 1e-6, 1e-9, 1e-12, 1e-15, 0.0 })
        {
            Add(0.3 + rng.NextDouble(), 1 - e);
            Add(0.3 + rng.NextDouble(), -(1 - e));
        }
        foreach (double rho in new[] { 0.0, -0.0, 1e-300, -1e-300, -0.5, -0.9999, 0.5 }) Add(1.0 + rng.NextDouble(), rho);
        // c₁₂ slightly beyond the Cauchy–Schwarz bound (rounding in deep nets): s² < 0 must give s = 0, not NaN.
        c11.Add(1.0);
        c12.Add(Math.Sqrt(c22) * (1 + 1e-15));
        c11.Add(1.0);
        c12.Add(-Math.Sqrt(c22) * (1 + 1e-15));
        return ([.. c11], [.. c12], c22);
    }

    public static TheoryData<double, double> Slopes() => new()
    {
        { 0, 1 }, { 0.1, 1 }, { -1, 1 }, { -0.5, 2 }, { 0.3, -1.2 }, { 0.7, 0.7 }, { 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Slopes))]
    public void UpdateRun_ABRelu_MatchesScalarForm(double a, double b)
    {
        foreach (double c22 in new[] { 1.0, 0.37, 4.2 })
        {
            var (c11, c12, _) = Triples(7, c22);
            var k = (double[])c12.Clone();
            var theta = Enumerable.Range(0, k.Length).Select(i => 0.5 + i % 3).ToArray();
            var theta0 = (double[])theta.Clone();
            DualActivations.UpdateRun(ActivationKind.ABRelu, a, b, c11, c22, k, theta);
            for (int i = 0; i < k.Length; i++)
            {
                DualActivations.ABRelu(a, b, c11[i], c12[i], c22, out double t, out double td);
                AssertABRelu(a, b, c11[i], c12[i], c22, t, td * theta0[i], k[i], theta[i], theta0[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Slopes))]
    public void ABReluVector_Avx2Lanes_MatchScalarForm(double a, double b)
    {
        if (!Vector256.IsHardwareAccelerated) return;
        double c22 = 0.8;
        var (c11, c12, _) = Triples(11, c22);
        var k = (double[])c12.Clone();
        var theta = Enumerable.Repeat(1.0, k.Length).ToArray();
        int done = DualActivations.ABReluVector<Simd256, Vector256<double>>(a, b, ref c11[0], ref c22, false, ref k[0], ref theta[0], k.Length, true);
        Assert.True(done > 0);
        for (int i = 0; i < done; i++)
        {
            DualActivations.ABRelu(a, b, c11[i], c12[i], c22, out double t, out double td);
            AssertABRelu(a, b, c11[i], c12[i], c22, t, td, k[i], theta[i], 1.0);
        }
    }

    [Fact]
    public void UpdateRun_Erf_MatchesScalarForm()
    {
        foreach (double c22 in new[] { 1.0, 0.02, 7.5 })
        {
            var (c11, c12, _) = Triples(3, c22);
            var k = (double[])c12.Clone();
            var theta = Enumerable.Repeat(2.0, k.Length).ToArray();
            DualActivations.UpdateRun(ActivationKind.Erf, 0, 0, c11, c22, k, theta);
            var k256 = (double[])c12.Clone();
            double c22Local = c22;
            var theta256 = Enumerable.Repeat(2.0, k.Length).ToArray();
            int done256 = Vector256.IsHardwareAccelerated
                ? DualActivations.ErfVector<Simd256, Vector256<double>>(ref c11[0], ref c22Local, false, ref k256[0], ref theta256[0], k.Length, true)
                : 0;
            for (int i = 0; i < k.Length; i++)
            {
                DualActivations.Erf(c11[i], c12[i], c22, out double t, out double td);
                Assert.True(Math.Abs(k[i] - t) <= Tolerance * Math.Abs(t), $"T run {k[i]:R} vs scalar {t:R} at {i}");
                Assert.True(Math.Abs(theta[i] - 2 * td) <= Tolerance * Math.Abs(2 * td), $"Θ·Ṫ run {theta[i]:R} vs scalar {2 * td:R}");
                if (i < done256)
                {
                    Assert.True(Math.Abs(k256[i] - t) <= Tolerance * Math.Abs(t));
                    Assert.True(Math.Abs(theta256[i] - 2 * td) <= Tolerance * Math.Abs(2 * td));
                }
            }
        }
    }

    [Fact]
    public void UpdateRun_EmptyTheta_ComputesNngpOnlyAndIdentityIsNoOp()
    {
        var (c11, c12, c22) = Triples(5, 1.3);
        var k = (double[])c12.Clone();
        DualActivations.UpdateRun(ActivationKind.ABRelu, 0, 1, c11, c22, k, default);
        var kid = (double[])c12.Clone();
        var tid = Enumerable.Repeat(3.0, k.Length).ToArray();
        DualActivations.UpdateRun(ActivationKind.Identity, 0, 0, c11, c22, kid, tid);
        for (int i = 0; i < k.Length; i++)
        {
            DualActivations.ABRelu(0, 1, c11[i], c12[i], c22, out double t, out _);
            Assert.True(Math.Abs(k[i] - t) <= Tolerance * Math.Max(Math.Abs(t), Math.Sqrt(c11[i] * c22)));
            Assert.Equal(c12[i], kid[i]);
            Assert.Equal(3.0, tid[i]);
        }
    }

    [Fact]
    public void UpdateRun_MismatchedLengths_Throw()
    {
        var c11 = new double[4];
        Assert.Throws<ArgumentException>("c11", () => DualActivations.UpdateRun(ActivationKind.ABRelu, 0, 1, c11, 1, new double[5], default));
        Assert.Throws<ArgumentException>("theta", () => DualActivations.UpdateRun(ActivationKind.ABRelu, 0, 1, c11, 1, new double[4], new double[3]));
    }

    /// <summary>atan2 lanes against Math.Atan2 over all octants, near the axes and diagonals, and signed zeros.</summary>
    [Fact]
    public void VectorAtan2_AllOctants_MatchesMathAtan2()
    {
        var rng = new Random(1);
        var ys = new List<double>();
        var xs = new List<double>();
        for (int i = 0; i < 4000; i++)
        {
            double ang = (2 * rng.NextDouble() - 1) * Math.PI, r = Math.Exp(10 * (rng.NextDouble() - 0.5));
            ys.Add(r * Math.Sin(ang));
            xs.Add(r * Math.Cos(ang));
        }
        double[] special = [0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 0.66, 0.6600000000000001, 1 + 1e-16, 2.5, 1e300];
        foreach (double y in special)
        {
            foreach (double x in special)
            {
                ys.Add(y);
                xs.Add(x);
            }
        }
        while (ys.Count % 8 != 0)
        {
            ys.Add(1);
            xs.Add(1);
        }
        for (int i = 0; i < ys.Count; i += 8)
        {
            var y8 = Vector512.Create(ys.GetRange(i, 8).ToArray());
            var x8 = Vector512.Create(xs.GetRange(i, 8).ToArray());
            var r8 = VectorAtan2.Atan2<Simd512, Vector512<double>>(y8, x8);
            var y4 = Vector256.Create(ys.GetRange(i, 4).ToArray());
            var x4 = Vector256.Create(xs.GetRange(i, 4).ToArray());
            var r4 = VectorAtan2.Atan2<Simd256, Vector256<double>>(y4, x4);
            for (int l = 0; l < 8; l++)
            {
                double expected = Math.Atan2(ys[i + l], xs[i + l]);
                Assert.True(Math.Abs(r8[l] - expected) <= 1e-15 * Math.Abs(expected), $"atan2({ys[i + l]:R}, {xs[i + l]:R}) = {r8[l]:R}, Math.Atan2 {expected:R}");
                Assert.Equal(double.IsNegative(expected), double.IsNegative(r8[l]));
                if (l < 4) Assert.True(Math.Abs(r4[l] - expected) <= 1e-15 * Math.Abs(expected));
            }
        }
    }

    /// <summary>The lane-wise exp against <see cref="Math.Exp"/> from underflow to overflow: 4 ulp (relative 1e-15) on
    /// normal results, 0 below −746, +∞ above ln(double.MaxValue), subnormal results to their absolute rounding.</summary>
    [Fact]
    public void VectorExp_FullRange_MatchesMathExp()
    {
        var rng = new Random(3);
        var xs = new List<double> { 0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 709.78, 709.79, 710, 1000, -708.3, -720, -745.1, -745.2, -746, -800, -1e6 };
        for (int i = 0; i < 4000; i++) xs.Add((2 * rng.NextDouble() - 1) * (i % 2 == 0 ? 2 : 740));
        while (xs.Count % 8 != 0) xs.Add(0.1);
        for (int i = 0; i < xs.Count; i += 8)
        {
            var r8 = VectorDualMath.Exp<Simd512, Vector512<double>>(Vector512.Create(xs.GetRange(i, 8).ToArray()));
            var r4 = VectorDualMath.Exp<Simd256, Vector256<double>>(Vector256.Create(xs.GetRange(i, 4).ToArray()));
            for (int l = 0; l < 8; l++)
            {
                double x = xs[i + l], expected = Math.Exp(x);
                double tol = expected >= 2.2250738585072014e-308 ? 1e-15 * expected : 5e-324;
                bool ok = double.IsPositiveInfinity(expected) ? double.IsPositiveInfinity(r8[l]) : Math.Abs(r8[l] - expected) <= tol;
                Assert.True(ok, $"exp({x:R}) = {r8[l]:R}, Math.Exp {expected:R}");
                if (l < 4)
                    Assert.True(double.IsPositiveInfinity(expected) ? double.IsPositiveInfinity(r4[l]) : Math.Abs(r4[l] - expected) <= tol,
                        $"exp({x:R}) = {r4[l]:R} (AVX2), Math.Exp {expected:R}");
            }
        }
    }

    private static void AssertABRelu(double a, double b, double c11, double c12, double c22, double t, double thetaTd,
        double runT, double runTheta, double theta0)
    {
        double amb2 = (a - b) * (a - b), ab = Math.Abs(a * b);
        double scale = Math.Sqrt(c11 * c22);
        Assert.False(double.IsNaN(runT) || double.IsNaN(runTheta), $"NaN at c = ({c11:R}, {c12:R}, {c22:R})");
        // T: relative to the entry's natural scale (near ρ = −1, T itself cancels towards 0).
        Assert.True(Math.Abs(runT - t) <= Tolerance * Math.Max(Math.Abs(t), (amb2 + ab) * scale),
            $"T run {runT:R} vs scalar {t:R} at c = ({c11:R}, {c12:R}, {c22:R})");
        // Ṫ: strictly relative when ab = 0 (ReLU-like: Ṫ → 0 as ρ → −1 must keep its digits), else to its scale.
        double tdScale = ab == 0 ? Math.Abs(thetaTd) : Math.Max(Math.Abs(thetaTd), (amb2 + ab) * theta0);
        Assert.True(Math.Abs(runTheta - thetaTd) <= Tolerance * tdScale,
            $"Θ·Ṫ run {runTheta:R} vs scalar {thetaTd:R} at c = ({c11:R}, {c12:R}, {c22:R})");
    }
}
