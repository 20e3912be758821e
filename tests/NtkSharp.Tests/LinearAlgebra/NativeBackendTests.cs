using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.LinearAlgebra;
using Xunit;
using static NtkSharp.Tests.LinearAlgebra.LinearAlgebraTestData;

namespace NtkSharp.Tests.LinearAlgebra;

public class NativeBackendTests
{
    [Fact]
    public void SymmetricEigen_RandomSpd_ReconstructsAndAgreesWithManaged()
    {
        var a = RandomSpd(90, 1);
        var managed = SymmetricEigen.Compute(Backend.ManagedInstance, a);
        foreach (var p in Providers())
        {
            var e = SymmetricEigen.Compute(p, a);
            string who = p.Info.Kind.ToString();
            for (int i = 1; i < e.Order; i++) Assert.True(e.EigenValues[i - 1] <= e.EigenValues[i], who);
            Assert.True(RelativeError(e.Reconstruct(), a) < 1e-12, who);
            var vtv = NaiveMultiply(e.EigenVectors.Transpose(), e.EigenVectors);
            Assert.True((vtv - DenseMatrix.CreateIdentity(a.RowCount)).InfinityNorm() < 1e-12, who);
            double scale = managed.EigenValues.AbsoluteMaximum();
            Assert.True((e.EigenValues - managed.EigenValues).AbsoluteMaximum() / scale < 1e-12, who);
        }
    }

    [Fact]
    public void CholeskySolve_RandomSpd_AgreesWithManagedAndSolves()
    {
        var a = RandomSpd(80, 2);
        var b = Random(80, 3, 3);
        Assert.True(CholeskyFactor.TryCompute(Backend.ManagedInstance, a, out var mf, out _));
        var reference = mf!.Solve(b);
        foreach (var p in Providers())
        {
            Assert.True(CholeskyFactor.TryCompute(p, a, out var f, out int minor), p.Info.Kind.ToString());
            Assert.Equal(0, minor);
            var x = f!.Solve(b);
            Assert.True(RelativeError(NaiveMultiply(a, x), b) < 1e-12, p.Info.Kind.ToString());
            Assert.True(RelativeError(x, reference) < 1e-12, p.Info.Kind.ToString());
            var l = f.Lower;
            Assert.True(RelativeError(NaiveMultiply(l, l.Transpose()), a) < 1e-13, p.Info.Kind.ToString());
            Assert.Equal(0.0, l.UpperTriangle().Diagonal().Count == 0 ? 0.0 : l.StrictlyUpperTriangle().FrobeniusNorm());
        }
    }

    [Fact]
    public void CholeskyFactor_IndefiniteMatrix_ReportsFirstFailingMinor()
    {
        var a = RandomSpd(10, 4);
        a[3, 3] = -5;
        foreach (var p in Providers())
        {
            Assert.False(CholeskyFactor.TryCompute(p, a, out var f, out int minor), p.Info.Kind.ToString());
            Assert.Null(f);
            Assert.Equal(4, minor);
        }
        var e = Assert.Throws<ArgumentException>(() => CholeskyFactor.Compute(a));
        Assert.Equal("a", e.ParamName);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Gemm_AllTransposes_MatchNaiveProduct(bool ta, bool tb)
    {
        var a = Random(ta ? 23 : 17, ta ? 17 : 23, 5);
        var b = Random(tb ? 11 : 23, tb ? 23 : 11, 6);
        var expected = NaiveMultiply(ta ? a.Transpose() : a, tb ? b.Transpose() : b);
        foreach (var p in Providers())
            Assert.True(RelativeError(DenseOps.Multiply(p, a, b, ta, tb), expected) < 1e-13, p.Info.Kind.ToString());
    }

    [Fact]
    public void Gram_Syrk_MatchesNaiveAndIsSymmetric()
    {
        var a = Random(40, 25, 7);
        var expected = NaiveMultiply(a.Transpose(), a);
        foreach (var p in Providers())
        {
            var g = DenseOps.Gram(p, a);
            Assert.True(RelativeError(g, expected) < 1e-13, p.Info.Kind.ToString());
            Assert.Equal(g, g.Transpose());
        }
    }

    [Fact]
    public void SymmetricEigen_NonSymmetricInput_ThrowsNamingArgument()
    {
        var a = RandomSpd(5, 8);
        a[0, 4] += 1e-3;
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => SymmetricEigen.Compute(a)).ParamName);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Compute(Random(3, 4, 1)));
        var nan = RandomSpd(4, 9);
        nan[1, 1] = double.NaN;
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Compute(nan));
    }

    [Fact]
    public void GramMatrix_ActiveBackend_MatchesManagedLoopForBothShapes()
    {
        int n1 = 13, n2 = 7, d = 9;
        var x1 = Random(n1, d, 31).ToRowMajorArray();
        var x2 = Random(n2, d, 32).ToRowMajorArray();
        var po = new ParallelOptions();
        var got = new double[n1 * n2];
        var expected = new double[n1 * n2];
        GramMatrix.Compute(x1, n1, x2, n2, d, 0.5, got, po);
        GramMatrix.ComputeManaged(x1, n1, x2, n2, d, 0.5, expected, po);
        for (int p = 0; p < got.Length; p++) Assert.Equal(expected[p], got[p], 1e-13);
        var sym = new double[n1 * n1];
        var symExpected = new double[n1 * n1];
        GramMatrix.Compute(x1, n1, null, n1, d, 0.5, sym, po);
        GramMatrix.ComputeManaged(x1, n1, null, n1, d, 0.5, symExpected, po);
        for (int j = 0; j < n1; j++)
            for (int i = 0; i <= j; i++) Assert.Equal(symExpected[i + j * n1], sym[i + j * n1], 1e-13);
    }
}
