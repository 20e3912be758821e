using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

/// <summary>Structural properties of the fully-connected Gram matrices: symmetry, positive semi-definiteness, serial
/// composition, and agreement of the symmetric (x2 absent) and general (x2 given) paths.</summary>
public class GramMatrixPropertyTests
{
    public static TheoryData<string> Networks() => ["relu-depth-12", "erf-depth-8", "leaky-depth-6-standard", "abs-depth-5", "residual-relu-4", "residual-erf-3"];

    private static Layer Network(string name) => name switch
    {
        "relu-depth-12" => KernelTestData.Mlp(12, Stax.Relu, 1.5, 0.05),
        "erf-depth-8" => KernelTestData.Mlp(8, Stax.Erf, 1.7, 0.2),
        "leaky-depth-6-standard" => KernelTestData.Mlp(6, () => Stax.LeakyRelu(0.2), 1.3, 0.1, Parameterization.Standard),
        "abs-depth-5" => KernelTestData.Mlp(5, Stax.Abs, 1.0, 0.3),
        "residual-relu-4" => KernelTestData.Residual(4),
        "residual-erf-3" => KernelTestData.Residual(3, Stax.Erf),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Inputs with near-duplicates (ρ → 1) and a near-antipodal pair so that the PSD check sees the hard cases.</summary>
    private static double[,] Inputs()
    {
        var x = KernelTestData.Gaussian(60, 16, 7);
        for (int j = 0; j < 16; j++)
        {
            x[1, j] = x[0, j] * (1 + 1e-9);
            x[2, j] = -x[0, j];
            x[3, j] = x[4, j] + 1e-8 * x[5, j];
            x[6, j] = 3 * x[7, j];
        }
        return x;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Compute_DeepAndResidualNets_GramsAreSymmetricPsd(string network)
    {
        var r = new KernelFunction(Network(network)).Compute(Inputs());
        foreach (var (name, m) in new[] { ("NNGP", r.Nngp!), ("NTK", r.Ntk!) })
        {
            Assert.True(m.Enumerate().All(double.IsFinite), $"{name} has a non-finite entry");
            Assert.True(m.Equals(m.Transpose()), $"{name} is not exactly symmetric");
            double trace = m.Trace();
            double minEig = m.Evd(Symmetricity.Symmetric).EigenValues.Min(e => e.Real);
            Assert.True(minEig >= -1e-10 * trace, $"{name}: smallest eigenvalue {minEig:R} < −1e-10·trace ({trace:R})");
            for (int i = 0; i < m.RowCount; i++) Assert.Equal(name == "NNGP" ? r.NngpVariances1[i] : r.NtkVariances1[i], m[i, i]);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Compute_X2GivenAsX1_EqualsSymmetricPath(string network)
    {
        // Generic inputs: the two paths may form x·x' with different roundings (BLAS syrk vs gemm), which near-collinear
        // pairs would amplify (see NearCollinearTests).
        var x = KernelTestData.Gaussian(50, 16, 8);
        var kf = new KernelFunction(Network(network));
        var sym = kf.Compute(x);
        var full = kf.Compute(x, x);
        Assert.True(sym.IsSymmetric);
        Assert.False(full.IsSymmetric);
        // Off the diagonal both paths see the same input Gram entries: agreement to rounding. On the diagonal the
        // general path pairs x with itself through x1·x2ᵀ (an ulp away from the self pass |x|²/d), where θ = arccos ρ
        // turns an ulp of ρ into ~1e-8 (see NearCollinearTests), so only 1e-6 is asked there.
        foreach (var (name, a, b) in new[] { ("NNGP", sym.Nngp!, full.Nngp!), ("NTK", sym.Ntk!, full.Ntk!) })
        {
            double scale = a.Enumerate().Max(Math.Abs);
            for (int i = 0; i < a.RowCount; i++)
            {
                for (int j = 0; j < a.ColumnCount; j++)
                {
                    double tol = (i == j ? 1e-6 : 1e-12) * scale;
                    Assert.True(Math.Abs(a[i, j] - b[i, j]) <= tol, $"{name}({i}, {j}): symmetric {a[i, j]:R}, x2 given {b[i, j]:R}");
                }
            }
        }
        // The symmetric path reads |x|²/d from the Gram diagonal, the general one forms it separately: rounding apart.
        for (int i = 0; i < x.GetLength(0); i++)
        {
            Assert.Equal(sym.NngpVariances1[i], full.NngpVariances2[i], 1e-13 * Math.Abs(sym.NngpVariances1[i]));
            Assert.Equal(sym.NtkVariances1[i], full.NtkVariances2[i], 1e-13 * Math.Abs(sym.NtkVariances1[i]));
        }
    }

    /// <summary>Serial(a, Serial(b, c)) ≡ Serial(Serial(a, b), c) ≡ Serial(a, b, c), also for residual blocks.</summary>
    [Fact]
    public void Compute_NestedSerial_EqualsFlatSerial()
    {
        var x = KernelTestData.Gaussian(19, 7, 3);
        var x2 = KernelTestData.Gaussian(11, 7, 4);
        Layer a = Stax.Dense(32, 1.3, 0.2), b = Stax.Erf(), c = Stax.Dense(16, 0.8, 0.1), d = Stax.Relu(), e = Stax.Dense(1, 1.2);
        var flat = Stax.Serial(a, b, c, d, e);
        var nestedRight = Stax.Serial(a, Stax.Serial(b, Stax.Serial(c, d)), e);
        var nestedLeft = Stax.Serial(Stax.Serial(Stax.Serial(a, b), c), Stax.Serial(d, e));
        var block = Stax.Serial(Stax.FanOut(2), Stax.Parallel(Stax.Serial(Stax.Relu(), Stax.Dense(16)), Stax.Identity()), Stax.FanInSum());
        var resFlat = Stax.Serial(Stax.Dense(16, 1.1), Stax.FanOut(2), Stax.Parallel(Stax.Serial(Stax.Relu(), Stax.Dense(16)), Stax.Identity()), Stax.FanInSum(), Stax.Relu(), Stax.Dense(1));
        var resNested = Stax.Serial(Stax.Serial(Stax.Dense(16, 1.1), block), Stax.Serial(Stax.Relu(), Stax.Dense(1)));
        foreach (var (p, q) in new[] { (flat, nestedRight), (flat, nestedLeft), (resFlat, resNested) })
        {
            var rp = new KernelFunction(p).Compute(x, x2);
            var rq = new KernelFunction(q).Compute(x, x2);
            KernelTestData.AssertClose(rp.Nngp!, rq.Nngp!, 1e-15, "NNGP");
            KernelTestData.AssertClose(rp.Ntk!, rq.Ntk!, 1e-15, "NTK");
        }
    }

    /// <summary>The NNGP-only request gives the same NNGP as the full request (the run path skips Θ entirely).</summary>
    [Fact]
    public void Compute_NngpOnly_EqualsNngpOfBoth()
    {
        var x = KernelTestData.Gaussian(37, 5, 9);
        var kf = new KernelFunction(KernelTestData.Residual(2));
        var both = kf.Compute(x);
        var nngp = kf.Compute(x, outputs: KernelOutputs.Nngp);
        var ntk = kf.Compute(x, outputs: KernelOutputs.Ntk);
        Assert.False(nngp.HasNtk);
        Assert.False(ntk.HasNngp);
        Assert.Contains("not computed", Assert.Throws<InvalidOperationException>(() => nngp.Ntk).Message);
        Assert.Contains("not computed", Assert.Throws<InvalidOperationException>(() => ntk.Nngp).Message);
        Assert.True(both.Nngp!.Equals(nngp.Nngp!));
        Assert.True(both.Ntk!.Equals(ntk.Ntk!));
    }

    /// <summary>The run form of the program (each instruction over a column segment with SIMD) equals the per-entry
    /// program, including registers, Copy/Add of residual nets, standard parameterisation and variance slots.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void RunRun_EqualsPerEntryRun(string network)
    {
        const int d = 16;
        var program = FcProgram.TryCompile(Network(network), d)!;
        // Generic inputs: near-collinear pairs are ill-conditioned (θ = arccos ρ amplifies an ulp of ρ to ~1e-8), so
        // two evaluations that differ by an ulp in atan2 legitimately differ there; see NearCollinearTests.
        var x = Tensor.From(KernelTestData.Gaussian(45, d, 21));
        int n = x.Count, slots = program.Slots;
        var var1 = new double[n * slots];
        var k = new double[program.Registers];
        var t = new double[program.Registers];
        var k0 = new double[n];
        for (int i = 0; i < n; i++)
        {
            var rec = var1.AsSpan(i * slots, slots);
            double self = 0;
            for (int c = 0; c < d; c++) self += x.Data[i * d + c] * x.Data[i * d + c];
            program.Run(self / d, rec, rec, rec, k, t, out _, out _);
        }
        var var1T = new double[n * slots];
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < slots; s++) var1T[s * n + i] = var1[i * slots + s];
        }
        var scratch = new double[Math.Max(1, program.ScratchLength(n))];
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < n; i++)
            {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += x.Data[i * d + c] * x.Data[j * d + c];
                k0[i] = dot / d;
            }
            var runK = (double[])k0.Clone();
            var runT = new double[n];
            program.RunRun(runK, runT, var1T, n, var1.AsSpan(j * slots, slots), scratch);
            for (int i = 0; i < n; i++)
            {
                program.Run(k0[i], var1.AsSpan(i * slots, slots), var1.AsSpan(j * slots, slots), default, k, t, out double kv, out double tv);
                Assert.True(Math.Abs(kv - runK[i]) <= 1e-13 * Math.Max(1, Math.Abs(kv)), $"K({i}, {j}): per entry {kv:R}, run {runK[i]:R}");
                Assert.True(Math.Abs(tv - runT[i]) <= 1e-13 * Math.Max(1, Math.Abs(tv)), $"Θ({i}, {j}): per entry {tv:R}, run {runT[i]:R}");
            }
        }
    }
}
