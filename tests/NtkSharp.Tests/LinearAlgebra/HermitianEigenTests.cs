using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.LinearAlgebra;
using Xunit;

namespace NtkSharp.Tests.LinearAlgebra;

/// <summary>The complex Hermitian eigensolver (LAPACK zheevd and the real-embedding fallback) on matrices with a known
/// spectrum, including repeated eigenvalues.</summary>
public class HermitianEigenTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compute_KnownSpectrumWithRepeats_EigenvaluesAndOrthonormalEigenvectors(bool allowNative)
    {
        var rng = new Random(4);
        int n = 30;
        var g = Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var u = g.QR().Q; // unitary
        var lambda = Enumerable.Range(0, n).Select(i => i < 6 ? 2.5 : i < 9 ? 0.0 : -1.0 + 0.1 * i).ToArray();
        var h = u * Matrix<Complex>.Build.DenseOfDiagonalArray(lambda.Select(l => new Complex(l, 0)).ToArray()) * u.ConjugateTranspose();
        h = (h + h.ConjugateTranspose()) * 0.5;
        var (values, vectors) = HermitianEigen.Compute(h, allowNative);
        var expected = lambda.Order().ToArray();
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(values[i] - expected[i]) < 1e-12, $"λ{i} = {values[i]:R}, expected {expected[i]}");
        double orth = (vectors.ConjugateTranspose() * vectors - Matrix<Complex>.Build.DenseIdentity(n)).Enumerate().Max(z => z.Magnitude);
        Assert.True(orth < 1e-12, $"V†V − I = {orth:E2}");
        var res = h * vectors - vectors * Matrix<Complex>.Build.DenseOfDiagonalArray(values.Select(l => new Complex(l, 0)).ToArray());
        double r = res.Enumerate().Max(z => z.Magnitude);
        Assert.True(r < 1e-12, $"HV − VΛ = {r:E2}");
    }
}
