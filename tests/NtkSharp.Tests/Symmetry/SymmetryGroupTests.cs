using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

public class SymmetryGroupTests
{
    private static Tensor RandomTensor(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        int size = shape.Aggregate(1, (a, b) => a * b);
        return new Tensor(Enumerable.Range(0, size).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), shape);
    }

    public static TheoryData<string> BuiltIns() => new()
    {
        "C4 image", "D4 image", "C4 plane", "D4 plane vector", "C8 plane vector", "Translations image", "Translations signal",
        "S4 set", "S3 set vector", "Trivial",
    };

    private static SymmetryGroup Make(string name) => name switch
    {
        "C4 image" => Groups.C4([5, 5, 2]),
        "D4 image" => Groups.D4([4, 4, 3], OutputRepresentation.Vector),
        "C4 plane" => Groups.C4([2]),
        "D4 plane vector" => Groups.D4([2], OutputRepresentation.Vector),
        "C8 plane vector" => Groups.Cn(8, [2], OutputRepresentation.Vector),
        "Translations image" => Groups.Translations([3, 4, 2]),
        "Translations signal" => Groups.Translations([6, 2]),
        "S4 set" => Groups.Permutations([4, 2]),
        "S3 set vector" => Groups.Permutations([3, 2], OutputRepresentation.Vector),
        "Trivial" => Groups.Trivial(3, 3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void BuiltIn_GroupAxiomsAndHomomorphism_Hold(string name)
    {
        var g = Make(name);
        Assert.True(g.IsExact);
        int n = g.Order;
        for (int a = 0; a < n; a++)
        {
            Assert.Equal(0, g.Multiply(a, g.Inverse(a)));
            Assert.Equal(0, g.Multiply(g.Inverse(a), a));
            for (int b = 0; b < n; b++)
            {
                for (int c = 0; c < Math.Min(n, 8); c++)
                    Assert.Equal(g.Multiply(g.Multiply(a, b), c), g.Multiply(a, g.Multiply(b, c)));
            }
        }
        // ρ_X(a)ρ_X(b)x = ρ_X(ab)x on random inputs; the same for ρ_Y.
        var x = RandomTensor(1, [3, .. g.ExampleShape]);
        var y = Matrix<double>.Build.Random(3, g.OutputDimension ?? 2, 7);
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                var lhs = g.ActOnInputs(a, g.ActOnInputs(b, x));
                var rhs = g.ActOnInputs(g.Multiply(a, b), x);
                for (int i = 0; i < lhs.Data.Length; i++) Assert.Equal(rhs.Data[i], lhs.Data[i], 1e-14);
                var ly = g.ActOnOutputs(a, g.ActOnOutputs(b, y));
                var ry = g.ActOnOutputs(g.Multiply(a, b), y);
                Assert.True((ly - ry).Enumerate().Max(Math.Abs) < 1e-14);
            }
        }
    }

    [Fact]
    public void BuiltIn_Orders_AreTheGroupOrders()
    {
        Assert.Equal(4, Groups.C4([6, 6, 1]).Order);
        Assert.Equal(8, Groups.D4([2]).Order);
        Assert.Equal(12, Groups.Cn(12, [2]).Order);
        Assert.Equal(12, Groups.Translations([3, 4, 1]).Order);
        Assert.Equal(7, Groups.Translations([7]).Order);
        Assert.Equal(24, Groups.Permutations([4]).Order);
        Assert.Equal(1, Groups.Trivial(5).Order);
        // D4 ⋉ translations of a periodic 4×4 lattice: the space group p4m has 8·16 elements.
        var l = Groups.Generated("p4m", Groups.D4([4, 4, 1]), Groups.Translations([4, 4, 1]));
        Assert.Equal(128, l.Order);
    }

    [Fact]
    public void C4_OnImages_IsNumpyRot90AndD4ReflectionIsFliplr()
    {
        int n = 4;
        var x = RandomTensor(2, 1, n, n, 1);
        var d4 = Groups.D4([n, n, 1]);
        var r = d4.ActOnInputs(1, x);
        var s = d4.ActOnInputs(4, x);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(x.Data[j * n + (n - 1 - i)], r.Data[i * n + j]); // rot90: out[i, j] = in[j, n−1−i]
                Assert.Equal(x.Data[i * n + (n - 1 - j)], s.Data[i * n + j]); // fliplr
            }
        }
        Assert.Equal(["e", "r", "r2", "r3", "s", "rs", "r2s", "r3s"], d4.ElementNames);
    }

    [Fact]
    public void D4_ImageAndVectorRepresentations_MoveTheCentreOfMassAlike()
    {
        // The centre of mass c(x) = Σ_p x(p)·p of an image transforms as c(ρ_X(g)x) = ρ_Y(g)c(x).
        int n = 5;
        var g = Groups.D4([n, n, 1], OutputRepresentation.Vector);
        var x = RandomTensor(3, 2, n, n, 1);
        Matrix<double> Com(Tensor t)
        {
            var m = Matrix<double>.Build.Dense(t.Count, 2);
            for (int e = 0; e < t.Count; e++)
            {
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double v = t.Data[e * n * n + i * n + j];
                        m[e, 0] += v * (j - (n - 1) / 2.0);
                        m[e, 1] += v * ((n - 1) / 2.0 - i);
                    }
                }
            }
            return m;
        }
        var c = Com(x);
        for (int e = 0; e < g.Order; e++)
            Assert.True((Com(g.ActOnInputs(e, x)) - g.ActOnOutputs(e, c)).Enumerate().Max(Math.Abs) < 1e-12);
    }

    [Fact]
    public void Cn_OnImagesWithKFour_EqualsExactC4AndOtherKIsApproximate()
    {
        var c4 = Groups.C4([6, 6, 2]);
        var cn4 = Groups.Cn(4, [6, 6, 2]);
        Assert.True(cn4.IsExact);
        var x = RandomTensor(4, 2, 6, 6, 2);
        for (int g = 0; g < 4; g++) Assert.Equal(c4.ActOnInputs(g, x).Data, cn4.ActOnInputs(g, x).Data);

        var c8 = Groups.Cn(8, [9, 9, 1]);
        Assert.False(c8.IsExact);
        Assert.Equal(8, c8.Order);
        // r1·r1 = r2 in the abstract group, and the interpolated r2 is the exact 90° rotation.
        Assert.Equal(2, c8.Multiply(1, 1));
        var img = RandomTensor(5, 1, 9, 9, 1);
        Assert.Equal(Groups.C4([9, 9, 1]).ActOnInputs(1, img).Data, c8.ActOnInputs(2, img).Data);
        // A centred Gaussian blob is almost invariant under the 45° interpolated rotation.
        var blob = new double[81];
        for (int i = 0; i < 9; i++)
        {
            for (int j = 0; j < 9; j++) blob[i * 9 + j] = Math.Exp(-((i - 4) * (i - 4) + (j - 4) * (j - 4)) / 4.0);
        }
        var b = new Tensor(blob, 1, 9, 9, 1);
        var rb = c8.ActOnInputs(1, b);
        double err = blob.Select((v, i) => Math.Abs(v - rb.Data[i])).Max();
        Assert.InRange(err, 1e-6, 0.1);
    }

    [Fact]
    public void Translations_ShiftCyclically()
    {
        var t = Groups.Translations([3, 4, 1]);
        var x = RandomTensor(6, 1, 3, 4, 1);
        int g = 1 * 4 + 2; // t(1, 2)
        Assert.Equal("t(1,2)", t.ElementNames[g]);
        var y = t.ActOnInputs(g, x);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++) Assert.Equal(x.Data[((i + 2) % 3) * 4 + (j + 2) % 4], y.Data[i * 4 + j]);
        }
    }

    [Fact]
    public void Permutations_MoveRowsAndOutputsTogether()
    {
        var s3 = Groups.Permutations([3, 2], OutputRepresentation.Vector);
        int g = s3.ElementNames.ToList().IndexOf("(1 2 0)"); // σ(0) = 1, σ(1) = 2, σ(2) = 0
        var x = new Tensor([1, 2, 3, 4, 5, 6], 1, 3, 2);
        var y = s3.ActOnInputs(g, x);
        Assert.Equal([5.0, 6, 1, 2, 3, 4], y.Data); // row i goes to row σ(i)
        var o = s3.ActOnOutputs(g, Matrix<double>.Build.DenseOfArray(new double[,] { { 10, 20, 30 } }));
        Assert.Equal([30.0, 10, 20], o.Row(0).ToArray());
    }

    [Fact]
    public void FromMatrices_NotClosed_ThrowsNamingTheProduct()
    {
        var r = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, -1 }, { 1, 0 } });
        var ex = Assert.Throws<ArgumentException>(() => SymmetryGroup.FromMatrices("half C4", [2], [Matrix<double>.Build.DenseIdentity(2), r]));
        Assert.Contains("not closed under composition", ex.Message);
        var ok = SymmetryGroup.FromMatrices("C4", [2], [Matrix<double>.Build.DenseIdentity(2), r, r * r, r * r * r]);
        Assert.Equal(4, ok.Order);
        Assert.Equal(2, ok.Multiply(1, 1));
    }

    [Fact]
    public void FromPermutations_MissingIdentityOrDuplicate_Throws()
    {
        Assert.Throws<ArgumentException>(() => SymmetryGroup.FromPermutations("swap", [2], [[1, 0]]));
        Assert.Throws<ArgumentException>(() => SymmetryGroup.FromPermutations("dup", [2], [[0, 1], [1, 0], [1, 0]]));
        Assert.Throws<ArgumentException>(() => new PermutationAction([0, 0]));
        Assert.Equal(2, SymmetryGroup.FromPermutations("C2", [2], [[1, 0], [0, 1]]).Order);
    }

    [Fact]
    public void Subgroup_OfC4_IsC2AndNonSubgroupThrows()
    {
        var c4 = Groups.C4([2]);
        Assert.True(c4.IsSubgroup([0, 2]));
        Assert.False(c4.IsSubgroup([0, 1]));
        var c2 = c4.Subgroup("C2", [0, 2]);
        Assert.Equal(2, c2.Order);
        Assert.Equal(0, c2.Multiply(1, 1));
        Assert.Throws<ArgumentException>(() => c4.Subgroup("bad", [0, 1]));
    }

    [Fact]
    public void Augment_OrbitInElementMajorOrder_WithRotatedVectorTargets()
    {
        var g = Groups.C4([2], OutputRepresentation.Vector);
        var x = RandomTensor(8, 3, 2);
        var y = Matrix<double>.Build.Random(3, 2, 9);
        var aug = Augmentation.Augment(x, y, g);
        Assert.Equal(12, aug.X.Count);
        for (int e = 0; e < 4; e++)
        {
            var xe = g.ActOnInputs(e, x);
            var ye = g.ActOnOutputs(e, y);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(xe.Data[i * 2], aug.X.Data[(e * 3 + i) * 2]);
                Assert.Equal(xe.Data[i * 2 + 1], aug.X.Data[(e * 3 + i) * 2 + 1]);
                Assert.Equal(ye[i, 0], aug.Y[e * 3 + i, 0]);
                Assert.Equal(ye[i, 1], aug.Y[e * 3 + i, 1]);
            }
        }
        // r rotates (1, 0) to (0, 1).
        var e1 = g.ActOnOutputs(1, Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 } }));
        Assert.Equal(0, e1[0, 0], 15);
        Assert.Equal(1, e1[0, 1], 15);
        Assert.Throws<ArgumentException>(() => Augmentation.Augment(x, Matrix<double>.Build.Dense(3, 3), g));
        Assert.Throws<ArgumentException>(() => Augmentation.Augment(RandomTensor(1, 3, 3), y, g));
    }
}
