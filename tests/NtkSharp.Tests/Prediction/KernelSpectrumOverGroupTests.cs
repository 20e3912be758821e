using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.LinearAlgebra;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Prediction;

/// <summary>KernelSpectrum.OverGroup against the explicitly built orbit Gram matrix K(ρ(g)xᵢ, ρ(h)xⱼ) (its dense
/// eigenvalues), the group-averaged kernel, and a non-symmetric kernel.</summary>
public class KernelSpectrumOverGroupTests
{
    private static Layer Mlp() => Stax.Serial(Stax.Dense(64, wStd: 1.5, bStd: 0.1), Stax.Relu(),
        Stax.Dense(64, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.5, bStd: 0.1));

    private static Layer Cnn((int, int) filter) => Stax.Serial(
        Stax.Conv(4, filter, padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(),
        Stax.Flatten(), Stax.Dense(1, wStd: 1.5, bStd: 0.1));

    private static Tensor Random(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var data = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() * 2 - 1;
        return new Tensor(data, shape);
    }

    public static TheoryData<string, string> Cases() => new()
    {
        { "C5 MLP", "ntk" }, { "C5 MLP", "nngp" }, { "C8 MLP", "ntk" }, { "D4 CNN", "ntk" }, { "D4 CNN", "nngp" },
        { "S4 MLP", "ntk" }, { "S3 MLP", "nngp" }, { "S5 MLP", "ntk" }, { "D5 MLP", "ntk" }, { "p4m MLP", "ntk" },
        { "Polar:8 MLP", "ntk" },
    };

    private static (KernelFunction, SymmetryGroup, Tensor) Setup(string name) => name switch
    {
        "C5 MLP" => (new KernelFunction(Mlp()), Groups.Cn(5, [2]), Random(1, 7, 2)),
        "C8 MLP" => (new KernelFunction(Mlp()), Groups.Cn(8, [2]), Random(2, 5, 2)),
        "D4 CNN" => (new KernelFunction(Cnn((3, 3))), Groups.D4([5, 5, 1]), Random(3, 4, 5, 5, 1)),
        "S4 MLP" => (new KernelFunction(Stax.Serial(Stax.Flatten(), Mlp())), Groups.Permutations([4, 2]), Random(4, 3, 4, 2)),
        "S3 MLP" => (new KernelFunction(Stax.Serial(Stax.Flatten(), Mlp())), Groups.Permutations([3, 2]), Random(5, 4, 3, 2)),
        // S5 (irreps of dimension up to 6) on 5-element sets; D5 as permutations of a pentagon's vertices (a dihedral group
        // recognised from its table); p4m on a 3×3 torus (Groups.Generated, the general construction).
        "S5 MLP" => (new KernelFunction(Stax.Serial(Stax.Flatten(), Mlp())), Groups.Permutations([5, 1]), Random(8, 2, 5, 1)),
        "D5 MLP" => (new KernelFunction(Mlp()), NtkSharp.Tests.Symmetry.GroupIrrepsTests.Dihedral(5), Random(9, 4, 5)),
        "p4m MLP" => (new KernelFunction(Stax.Serial(Stax.Flatten(), Mlp())),
            Groups.Generated("p4m", Groups.D4([3, 3, 1]), Groups.Translations([3, 3, 1])), Random(10, 3, 3, 3, 1)),
        // Polar:8: exact cyclic shifts of the angle axis of (R, A, C) polar images: cyclic, the same closed-form path as C_k.
        "Polar:8 MLP" => (new KernelFunction(Stax.Serial(Stax.Flatten(), Mlp())), Groups.Polar(8, [2, 8, 1]), Random(11, 3, 2, 8, 1)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OverGroup_SymmetricKernel_SpectrumWithMultiplicitiesEqualsDenseOrbitGramEigenvalues(string name, string kernel)
    {
        var (kf, g, x) = Setup(name);
        var which = kernel == "ntk" ? KernelOutputs.Ntk : KernelOutputs.Nngp;
        var spectrum = KernelSpectrum.OverGroup(kf, g, x, which);
        var gram = kf.Compute(g.OrbitInputs(x), null, which).Get(which);
        var dense = SymmetricEigen.Compute(gram).EigenValues.Reverse().ToArray();
        var blocks = spectrum.OrbitGramEigenvalues();
        Assert.Equal(dense.Length, blocks.Length);
        double scale = dense[0], worst = 0;
        for (int i = 0; i < dense.Length; i++) worst = Math.Max(worst, Math.Abs(dense[i] - blocks[i]));
        Assert.True(worst <= 1e-10 * scale, $"{name} {kernel}: max |λ_dense − λ_blocks| / λ_max = {worst / scale:E2}");
        Assert.Equal(1.0, spectrum.Blocks.Sum(b => b.TraceShare), 12);
        Assert.Equal(gram.Trace(), spectrum.OrbitTrace, 9);
        foreach (var b in spectrum.Blocks)
        {
            // Eigenpairs of each block: K̂ v = λ v, descending.
            var kv = b.Block * b.Eigenvectors;
            for (int c = 0; c < b.Eigenvalues.Count; c++)
            {
                double res = (kv.Column(c) - b.Eigenvectors.Column(c) * b.Eigenvalues[c]).Enumerate().Max(z => z.Magnitude);
                Assert.True(res <= 1e-9 * scale, $"{name} {b.Name}: residual {res:E2} of eigenpair {c}");
                if (c > 0) Assert.True(b.Eigenvalues[c] <= b.Eigenvalues[c - 1], $"{b.Name}: not descending at {c}");
            }
            double herm = (b.Block - b.Block.ConjugateTranspose()).Enumerate().Max(z => z.Magnitude);
            Assert.True(herm == 0, $"{b.Name}: block not Hermitian ({herm:E2})");
        }
    }

    [Theory]
    [InlineData("C5 MLP")]
    [InlineData("D4 CNN")]
    [InlineData("S4 MLP")]
    public void OverGroup_TrivialBlock_EqualsOrderTimesGroupAveragedKernel(string name)
    {
        var (kf, g, x) = Setup(name);
        var spectrum = KernelSpectrum.OverGroup(kf, g, x);
        var averaged = GroupAveragedKernel.Compute(kf, g, x) * g.Order;
        var trivial = spectrum["trivial"];
        Assert.Equal(1, trivial.Dimension);
        double scale = averaged.Enumerate().Max(Math.Abs), worst = 0;
        for (int i = 0; i < x.Count; i++)
        {
            for (int j = 0; j < x.Count; j++)
            {
                worst = Math.Max(worst, Math.Abs(trivial.Block[i, j].Real - averaged[i, j]));
                Assert.Equal(0.0, trivial.Block[i, j].Imaginary);
            }
        }
        Assert.True(worst <= 1e-12 * scale, $"{name}: max |K̂_trivial − |G|Θᴳ| / max = {worst / scale:E2}");
    }

    [Fact]
    public void OverGroup_NonSquareFilterUnderC4_ThrowsWithMeasuredAsymmetry()
    {
        var kf = new KernelFunction(Cnn((3, 1)));
        var e = Assert.Throws<ArgumentException>(() => KernelSpectrum.OverGroup(kf, Groups.C4([5, 5, 1]), Random(6, 3, 5, 5, 1)));
        Assert.Contains("not C4-symmetric", e.Message);
        Assert.Matches(@"= \d\.\d{3}E[-+]\d+", e.Message);
    }

    [Fact]
    public void OverGroup_NonOrthogonalActionOnMlp_Throws()
    {
        // An order-3 non-orthogonal representation on ℝ²: A = [[0, −1], [1, −1]].
        var a = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, -1 }, { 1, -1 } });
        var g = SymmetryGroup.FromMatrices("C3 skew", [2], [Matrix<double>.Build.DenseIdentity(2), a, a * a]);
        var e = Assert.Throws<ArgumentException>(() => KernelSpectrum.OverGroup(new KernelFunction(Mlp()), g, Random(7, 5, 2)));
        Assert.Contains("not C3 skew-symmetric", e.Message);
    }
}
