using MathNet.Numerics.LinearAlgebra;
using NtkSharp.LinearAlgebra;
using Xunit;
using static NtkSharp.Tests.LinearAlgebra.LinearAlgebraTestData;

namespace NtkSharp.Tests.LinearAlgebra;

public class MatrixExponentialTests
{
    [Theory]
    [InlineData(0.001)]
    [InlineData(0.2)]
    [InlineData(1.5)]
    [InlineData(40.0)]
    public void Expm_Rotation_EqualsCosSin(double theta)
    {
        // exp([[0, −θ], [θ, 0]]) = [[cos θ, −sin θ], [sin θ, cos θ]] (non-symmetric; every Padé degree by norm).
        var a = Matrix<double>.Build.DenseOfArray(new[,] { { 0, -theta }, { theta, 0 } });
        var e = MatrixExponential.Expm(a);
        var expected = Matrix<double>.Build.DenseOfArray(new[,] { { Math.Cos(theta), -Math.Sin(theta) }, { Math.Sin(theta), Math.Cos(theta) } });
        Assert.True((e - expected).InfinityNorm() < 1e-13 * Math.Max(1, theta));
    }

    [Fact]
    public void Expm_NilpotentJordanBlock_EqualsTruncatedSeries()
    {
        // N strictly upper triangular with ones on the superdiagonal: e^{sN} has entries s^k/k! on the k-th diagonal.
        int n = 5;
        double s = 3.0;
        var a = Matrix<double>.Build.Dense(n, n, (i, j) => j == i + 1 ? s : 0);
        var e = MatrixExponential.Expm(a);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = j >= i ? Math.Pow(s, j - i) / Factorial(j - i) : 0;
                Assert.Equal(expected, e[i, j], 1e-12 * Math.Max(1, expected));
            }
        }
    }

    [Fact]
    public void Expm_SymmetricMatrix_EqualsSpectralFormulaAndInverseProperty()
    {
        var a = RandomSpd(12, 3) * 4 - Matrix<double>.Build.DenseIdentity(12);
        var viaEigen = SymmetricEigen.Compute(a).Apply(Math.Exp);
        var e = MatrixExponential.Expm(a);
        Assert.True(RelativeError(e, viaEigen) < 1e-12);
        var product = e * MatrixExponential.Expm(-a);
        Assert.True((product - Matrix<double>.Build.DenseIdentity(12)).InfinityNorm() < 1e-11);
    }

    [Fact]
    public void Expm_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => MatrixExponential.Expm(Matrix<double>.Build.Dense(2, 3)));
        var nan = Matrix<double>.Build.Dense(2, 2);
        nan[0, 1] = double.PositiveInfinity;
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => MatrixExponential.Expm(nan)).ParamName);
    }

    private static double Factorial(int k) => k <= 1 ? 1 : k * Factorial(k - 1);
}
