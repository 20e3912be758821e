using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>
/// Exactness of the atan2 forms as |ρ| → 1, against references computed in double-double arithmetic from the stored
/// inputs (<see cref="DoubleDouble"/>).
/// </summary>
/// <remarks>
/// <para>Network: Serial(Dense(512), Relu(), Dense(1)) (NTK parameterisation, no bias), for which
/// K = (s + (π − θ)c₁₂)/(2π) and Θ = K + c₁₂(π − θ)/(2π), with c₁₂ = x·x'/d, s = |x ∧ x'|/d (Lagrange's identity
/// s² = Σᵢ&lt;ⱼ (xᵢx'ⱼ − xⱼx'ᵢ)²/d², free of cancellation) and tan θ = s/c₁₂ (θ small: atan by its series).</para>
/// <para>What accuracy is possible: the engine only sees the doubles c₁₁, c₁₂, c₂₂, each rounded once, so
/// 1 − ρ is known to ~1e-16 and θ = arccos ρ ≈ √(2(1 − ρ)) to ~1e-8 when the true θ is below that. The atan2 forms
/// (no arccos, no clipping) reach that limit: no NaN, K to ~1e-16 relative (its θ-dependence is O(θ³)),
/// Θ to ~1e-8·c₁₂ (its θ-dependence is linear), which is what these tests ask.</para>
/// </remarks>
public class NearCollinearTests
{
    private const int D = 40;

    private static readonly Layer OneHidden = Stax.Serial(Stax.Dense(512), Stax.Relu(), Stax.Dense(1));

    public static TheoryData<string> Perturbations() =>
        ["x(1+1e-9)", "-x(1+1e-9)", "x+1e-7y", "-x+1e-7y", "x+1e-12y", "-x+1e-12y", "2x", "-2x", "x"];

    private static (double[] X, double[] Xp) Pair(string kind)
    {
        var g = KernelTestData.Gaussian(2, D, 99);
        var x = new double[D];
        var y = new double[D];
        for (int j = 0; j < D; j++)
        {
            x[j] = g[0, j];
            y[j] = g[1, j];
        }
        var xp = kind switch
        {
            "x(1+1e-9)" => x.Select(v => v * (1 + 1e-9)).ToArray(),
            "-x(1+1e-9)" => x.Select(v => -v * (1 + 1e-9)).ToArray(),
            "x+1e-7y" => x.Select((v, j) => v + 1e-7 * y[j]).ToArray(),
            "-x+1e-7y" => x.Select((v, j) => -v + 1e-7 * y[j]).ToArray(),
            "x+1e-12y" => x.Select((v, j) => v + 1e-12 * y[j]).ToArray(),
            "-x+1e-12y" => x.Select((v, j) => -v + 1e-12 * y[j]).ToArray(),
            "2x" => x.Select(v => 2 * v).ToArray(),
            "-2x" => x.Select(v => -2 * v).ToArray(),
            "x" => (double[])x.Clone(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return (x, xp);
    }

    /// <summary>K and Θ of the one-hidden-layer ReLU network in double-double.</summary>
    private static (double K, double Ntk, double Scale) Reference(double[] x, double[] xp)
    {
        DoubleDouble dot = 0.0, n1 = 0.0, n2 = 0.0, wedge2 = 0.0;
        for (int i = 0; i < D; i++)
        {
            dot += DoubleDouble.Product(x[i], xp[i]);
            n1 += DoubleDouble.Product(x[i], x[i]);
            n2 += DoubleDouble.Product(xp[i], xp[i]);
            for (int j = i + 1; j < D; j++)
            {
                var m = DoubleDouble.Product(x[i], xp[j]) - DoubleDouble.Product(x[j], xp[i]);
                wedge2 += m * m;
            }
        }
        var wedge = DoubleDouble.Sqrt(wedge2);
        // π − θ: θ = atan(|x∧x'|/(x·x')) for x·x' > 0; for x·x' < 0, π − θ = atan(|x∧x'|/|x·x'|).
        var small = DoubleDouble.AtanSmall(wedge / DoubleDouble.Abs(dot));
        var piMinusTheta = dot.Hi > 0 ? DoubleDouble.Pi - small : small;
        var twoPiD = DoubleDouble.Pi * 2.0 * D;
        var k = (wedge + piMinusTheta * dot) / twoPiD;
        var ntk = k + piMinusTheta * dot / twoPiD;
        return (k.ToDouble(), ntk.ToDouble(), Math.Sqrt(n1.ToDouble() * n2.ToDouble()) / D);
    }

    [Theory]
    [MemberData(nameof(Perturbations))]
    public void Compute_NearlyCollinearPair_MatchesDoubleDoubleReference(string perturbation)
    {
        var (x, xp) = Pair(perturbation);
        var (k, ntk, scale) = Reference(x, xp);
        var kf = new KernelFunction(OneHidden);
        var x1 = new double[1, D];
        var x2 = new double[1, D];
        var both = new double[2, D];
        for (int j = 0; j < D; j++)
        {
            x1[0, j] = x[j];
            x2[0, j] = xp[j];
            both[0, j] = x[j];
            both[1, j] = xp[j];
        }
        var general = kf.Compute(x1, x2);
        var symmetric = kf.Compute(both);
        foreach (var (path, kv, tv) in new[] { ("x2 given", general.Nngp![0, 0], general.Ntk![0, 0]), ("symmetric", symmetric.Nngp![0, 1], symmetric.Ntk![0, 1]) })
        {
            Assert.True(double.IsFinite(kv) && double.IsFinite(tv), $"{path}: non-finite result");
            Assert.True(Math.Abs(kv - k) <= 1e-14 * scale, $"{path}: K = {kv:R}, double-double {k:R}, error {Math.Abs(kv - k) / scale:E2}·scale");
            Assert.True(Math.Abs(tv - ntk) <= 2e-8 * scale, $"{path}: Θ = {tv:R}, double-double {ntk:R}, error {Math.Abs(tv - ntk) / scale:E2}·scale");
        }
    }

    /// <summary>A bias-free ReLU network is positively homogeneous: K(x, λx) = λK(x, x) and Θ(x, λx) = λΘ(x, x) for
    /// λ &gt; 0 at every depth, where ρ = 1 in exact arithmetic at every layer (λ ∈ {2, 0.5, 1 + 1e-9}, depth 10).
    /// K is insensitive to the rounding of ρ (1e-14); Θ inherits ~1e-8 per layer from θ ≈ √(2(1 − ρ)) (1e-7).</summary>
    [Fact]
    public void Compute_DeepBiasFreeRelu_IsPositivelyHomogeneousOnCollinearInputs()
    {
        var layers = new List<Layer>();
        for (int l = 0; l < 10; l++)
        {
            layers.Add(Stax.Dense(256, 1.4));
            layers.Add(Stax.Relu());
        }
        layers.Add(Stax.Dense(1, 1.4));
        var kf = new KernelFunction(Stax.Serial([.. layers]));
        var g = KernelTestData.Gaussian(1, D, 5);
        foreach (double lambda in new[] { 2.0, 0.5, 1 + 1e-9 })
        {
            var x2 = new double[1, D];
            for (int j = 0; j < D; j++) x2[0, j] = lambda * g[0, j];
            var r = kf.Compute(g, x2);
            double kxx = r.NngpVariances1[0], txx = r.NtkVariances1[0];
            Assert.True(Math.Abs(r.Nngp![0, 0] - lambda * kxx) <= 1e-14 * lambda * kxx, $"λ = {lambda}: K {r.Nngp[0, 0]:R} vs λK(x,x) {lambda * kxx:R}");
            Assert.True(Math.Abs(r.Ntk![0, 0] - lambda * txx) <= 1e-7 * lambda * txx, $"λ = {lambda}: Θ {r.Ntk[0, 0]:R} vs λΘ(x,x) {lambda * txx:R}");
            Assert.Equal(lambda * lambda * kxx, r.NngpVariances2[0], 1e-13 * lambda * lambda * kxx);
        }
    }

    /// <summary>Antipodal inputs: for the odd Erf without bias, K(x, −x) = −K(x, x) and Θ(x, −x) = −Θ(x, x) at depth 6;
    /// a deep ReLU net with biases stays finite (no NaN from arccos of |ρ| &gt; 1 by rounding).</summary>
    [Fact]
    public void Compute_AntipodalInputs_FiniteAndOddSymmetric()
    {
        var g = KernelTestData.Gaussian(1, D, 6);
        var neg = new double[1, D];
        for (int j = 0; j < D; j++) neg[0, j] = -g[0, j];
        var erf = new KernelFunction(KernelTestData.Mlp(6, Stax.Erf, 1.6, 0.0)).Compute(g, neg);
        Assert.Equal(-erf.NngpVariances1[0], erf.Nngp![0, 0], 1e-14 * erf.NngpVariances1[0]);
        Assert.Equal(-erf.NtkVariances1[0], erf.Ntk![0, 0], 1e-13 * erf.NtkVariances1[0]);
        var relu = new KernelFunction(KernelTestData.Mlp(12, Stax.Relu, 1.5, 0.1)).Compute(g, neg);
        Assert.True(double.IsFinite(relu.Nngp![0, 0]) && double.IsFinite(relu.Ntk![0, 0]));
    }
}
