using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Layers;

/// <summary>
/// <see cref="Dropout"/>'s kernel (neural-tangents' train mode) against exact identities computed independently in the
/// tests: Dense's closed form, the arc-cosine kernel of a ReLU on the scaled variances, the no-dropout network's kernels
/// (1/rate on the symmetric diagonal only, every other entry equal), and per position for images.
/// </summary>
public class DropoutKernelTests
{
    private const double Tight = 1e-13;

    private static Tensor Vectors(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var data = new double[n * d];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return new Tensor(data, n, d);
    }

    private static Tensor Images(int n, int h, int w, int c, int seed) => new(Vectors(n, h * w * c, seed).Data, n, h, w, c);

    /// <summary>x·x′/d of rows i (of x1) and j (of x2).</summary>
    private static double Dot(Tensor x1, int i, Tensor x2, int j)
    {
        int d = x1.ExampleSize;
        double s = 0;
        for (int c = 0; c < d; c++) s += x1.Data[i * d + c] * x2.Data[j * d + c];
        return s / d;
    }

    private static void Near(double expected, double actual, string what, double tol = Tight)
        => Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1.0, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(expected - actual):E2})");

    [Theory]
    [InlineData(0.7)]
    [InlineData(0.25)]
    public void Compute_DropoutAfterDense_SymmetricDiagonalTimesInverseRateOffDiagonalUnchanged(double rate)
    {
        // A duplicated example (rows 0 and 3) keeps its unscaled cross entry: its two copies get independent masks.
        var x = Vectors(5, 6, 1);
        Array.Copy(x.Data, 0, x.Data, 3 * 6, 6);
        var r = new KernelFunction(Serial(Dense(512, wStd: 1.5, bStd: 0.1), Dropout(rate))).Compute(x);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                double k = 2.25 * Dot(x, i, x, j) + 0.01, expected = i == j ? k / rate : k; // Θ = K for a first NTK layer
                Near(expected, r.Nngp[i, j], $"K[{i},{j}]");
                Near(expected, r.Ntk[i, j], $"Θ[{i},{j}]");
            }
            Near((2.25 * Dot(x, i, x, i) + 0.01) / rate, r.NngpVariances1[i], $"variance {i}");
        }
    }

    [Fact]
    public void Compute_DropoutCrossGram_Unchanged()
    {
        var x1 = Vectors(4, 6, 2);
        var x2 = new Tensor([.. x1.Data.AsSpan(0, 12).ToArray(), .. Vectors(3, 6, 3).Data], 5, 6); // x2 starts with x1's rows 0, 1
        var r = new KernelFunction(Serial(Dense(64, wStd: 1.2, bStd: 0.3), Dropout(0.5))).Compute(x1, x2);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                double k = 1.44 * Dot(x1, i, x2, j) + 0.09;
                Near(k, r.Nngp[i, j], $"K[{i},{j}]");
                Near(k, r.Ntk[i, j], $"Θ[{i},{j}]");
            }
            Near((1.44 * Dot(x1, i, x1, i) + 0.09) / 0.5, r.NngpVariances1[i], $"x1 variance {i}");
        }
    }

    /// <summary>Dense → Dropout → Dense → ReLU → Dense: the ReLU sees the scaled self variances c₁₁, c₂₂ and the unscaled
    /// covariance c₁₂ of two different examples; the arc-cosine kernel (Cho and Saul 2009) computed here.</summary>
    [Fact]
    public void Compute_ReluAfterDropout_SeesScaledVariancesArcCosine()
    {
        const double rate = 0.6;
        var x = Vectors(4, 5, 4);
        var net = Serial(Dense(512, wStd: 1.3, bStd: 0.2), Dropout(rate), Dense(512, wStd: 1.1, bStd: 0.1), Relu(), Dense(1, wStd: 0.9));
        var r = new KernelFunction(net).Compute(x);
        double K1(int i, int j) => 1.69 * Dot(x, i, x, j) + 0.04;
        double D(int i, int j) => i == j ? 1.0 / rate : 1.0;          // dropout: K and Θ times 1/rate on the diagonal
        double K2(int i, int j) => 1.21 * K1(i, j) * D(i, j) + 0.01;
        double T2(int i, int j) => K2(i, j) + 1.21 * K1(i, j) * D(i, j);  // Θ1 = K1
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double c11 = K2(i, i), c22 = K2(j, j), c12 = K2(i, j);
                double s = i == j ? 0.0 : Math.Sqrt(c11 * c22 - c12 * c12), theta = Math.Atan2(s, c12);
                double t = (s + (Math.PI - theta) * c12) / (2 * Math.PI), tDot = (Math.PI - theta) / (2 * Math.PI);
                Near(0.81 * t, r.Nngp[i, j], $"K[{i},{j}]", 1e-12);
                Near(0.81 * t + 0.81 * tDot * T2(i, j), r.Ntk[i, j], $"Θ[{i},{j}]", 1e-12);
            }
        }
    }

    [Fact]
    public void Compute_RateOne_IdentityBitForBit()
    {
        var x = Vectors(6, 4, 5);
        Layer Net(double? rate) => rate is { } r
            ? Serial(Dense(32, 1.4, 0.1), Relu(), Dense(32, 1.2), Dropout(r), Dense(32, 0.9), Erf(), Dense(1))
            : Serial(Dense(32, 1.4, 0.1), Relu(), Dense(32, 1.2), Dense(32, 0.9), Erf(), Dense(1));
        var same = new KernelFunction(Net(null)).Compute(x);
        var one = new KernelFunction(Net(1)).Compute(x);
        Assert.True(same.Nngp.Equals(one.Nngp), "rate 1 changed K");
        Assert.True(same.Ntk.Equals(one.Ntk), "rate 1 changed Θ");
        var half = new KernelFunction(Net(0.5)).Compute(x);
        Assert.False(same.Nngp.Equals(half.Nngp), "rate 0.5 left K unchanged"); // the comparison is not vacuous
    }

    /// <summary>A residual branch Dense → Dropout added to the identity skip: the branch's diagonal is scaled, the
    /// skip's is not, K = K_skip + K_branch/rate on the diagonal.</summary>
    [Fact]
    public void Compute_ResidualDropoutBranch_ScalesBranchDiagonalOnly()
    {
        const double rate = 0.4;
        var x = Vectors(4, 5, 6);
        var net = Serial(Dense(256, wStd: 1.2, bStd: 0.1), Relu(), FanOut(2),
            Parallel(Serial(Dense(256, wStd: 1.1, bStd: 0.05), Dropout(rate)), Identity()), FanInSum());
        var r = new KernelFunction(net).Compute(x);
        for (int i = 0; i < 4; i++)
        {
            double k1 = 1.44 * Dot(x, i, x, i) + 0.01, relu = k1 / 2, reluTheta = k1 / 2; // ReLU on the diagonal: c/2, Ṫ = ½
            double branch = 1.21 * relu + 0.0025, branchTheta = branch + 1.21 * reluTheta;
            Near(relu + branch / rate, r.Nngp[i, i], $"K[{i},{i}]");
            Near(reluTheta + branchTheta / rate, r.Ntk[i, i], $"Θ[{i},{i}]");
        }
        var plain = new KernelFunction(Serial(Dense(256, wStd: 1.2, bStd: 0.1), Relu(), FanOut(2),
            Parallel(Dense(256, wStd: 1.1, bStd: 0.05), Identity()), FanInSum())).Compute(x);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                if (i == j) continue;
                Near(plain.Nngp[i, j], r.Nngp[i, j], $"K[{i},{j}]");
                Near(plain.Ntk[i, j], r.Ntk[i, j], $"Θ[{i},{j}]");
            }
        }
    }

    /// <summary>Images, diagonal layout (Flatten readout): every entry of the spatial diagonal is the same position, so the
    /// symmetric diagonal is K/rate and everything else (including the cross Gram) is unchanged.</summary>
    [Fact]
    public void Compute_ConvDropoutFlatten_DiagonalLayoutScalesSelfEntries()
    {
        const double rate = 0.5;
        var x = Images(4, 3, 3, 2, 7);
        var y = Images(3, 3, 3, 2, 8);
        var conv = Conv(8, (2, 2), padding: Padding.Same, wStd: 1.3, bStd: 0.1);
        var plain = new KernelFunction(Serial(conv, Flatten()));
        var drop = new KernelFunction(Serial(conv, Dropout(rate), Flatten()));
        Assert.Equal(SpatialLayout.Diagonal, SpatialProgram.Compile(Serial(conv, Dropout(rate), Flatten()), [3, 3, 2]).Layout);
        AssertScaledDiagonal(plain.Compute(x), drop.Compute(x), 1.0 / rate);
        AssertEqualEntries(plain.Compute(x, y), drop.Compute(x, y));
    }

    /// <summary>Images, full layout (global average pooling over all pairs of positions): only the P same-position
    /// entries K(x, p; x, p) are scaled, so GAP's diagonal grows by (1/rate − 1)·(1/P)·mean_p K(x, p; x, p) — the
    /// Flatten kernel of the same network without dropout.</summary>
    [Fact]
    public void Compute_ConvDropoutGlobalPool_FullLayoutScalesSamePositionsOnly()
    {
        const double rate = 0.3;
        var x = Images(4, 3, 2, 2, 9);
        var y = Images(2, 3, 2, 2, 10);
        var conv = Conv(8, (2, 2), padding: Padding.Same, wStd: 1.2, bStd: 0.2);
        var plain = new KernelFunction(Serial(conv, GlobalAvgPool())).Compute(x);
        var flat = new KernelFunction(Serial(conv, Flatten())).Compute(x);
        var drop = new KernelFunction(Serial(conv, Dropout(rate), GlobalAvgPool())).Compute(x);
        Assert.Equal(SpatialLayout.Full, SpatialProgram.Compile(Serial(conv, Dropout(rate), GlobalAvgPool()), [3, 2, 2]).Layout);
        const int positions = 6;
        for (int i = 0; i < 4; i++)
        {
            Near(plain.Nngp[i, i] + (1 / rate - 1) * flat.Nngp[i, i] / positions, drop.Nngp[i, i], $"K[{i},{i}]");
            Near(plain.Ntk[i, i] + (1 / rate - 1) * flat.Ntk[i, i] / positions, drop.Ntk[i, i], $"Θ[{i},{i}]");
        }
        AssertScaledDiagonal(plain, drop, double.NaN);
        AssertEqualEntries(new KernelFunction(Serial(conv, GlobalAvgPool())).Compute(x, y),
            new KernelFunction(Serial(conv, Dropout(rate), GlobalAvgPool())).Compute(x, y));
    }

    /// <summary>Off-diagonal entries equal; the diagonal equal to factor × the plain one unless factor is NaN.</summary>
    private static void AssertScaledDiagonal(KernelResult plain, KernelResult drop, double factor)
    {
        for (int i = 0; i < plain.Nngp.RowCount; i++)
        {
            for (int j = 0; j < plain.Nngp.ColumnCount; j++)
            {
                if (i == j && double.IsNaN(factor)) continue;
                double f = i == j ? factor : 1.0;
                Near(f * plain.Nngp[i, j], drop.Nngp[i, j], $"K[{i},{j}]");
                Near(f * plain.Ntk[i, j], drop.Ntk[i, j], $"Θ[{i},{j}]");
            }
        }
    }

    private static void AssertEqualEntries(KernelResult plain, KernelResult drop)
    {
        AssertMatrix(plain.Nngp, drop.Nngp, "cross K");
        AssertMatrix(plain.Ntk, drop.Ntk, "cross Θ");
    }

    private static void AssertMatrix(Matrix<double> expected, Matrix<double> actual, string what)
    {
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++) Near(expected[i, j], actual[i, j], $"{what}[{i},{j}]");
        }
    }
}
