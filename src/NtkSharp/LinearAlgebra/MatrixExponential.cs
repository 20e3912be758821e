using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.LinearAlgebra;

/// <summary>The exponential e^A of a general real square matrix.</summary>
/// <remarks>
/// Scaling and squaring with [m/m] Padé approximants, m ∈ {3, 5, 7, 9, 13} chosen from ‖A‖₁ with the backward-error
/// bounds θₘ of N. J. Higham, "The scaling and squaring method for the matrix exponential revisited",
/// SIAM J. Matrix Anal. Appl. 26(4), 2005 (Algorithm 2.3): for ‖A‖₁ ≤ θₘ use rₘ(A) = qₘ(A)⁻¹pₘ(A); otherwise
/// r₁₃(A/2ˢ)^(2ˢ) with s = ⌈log₂(‖A‖₁/θ₁₃)⌉. The result has backward error below the unit roundoff. Independent of
/// any eigendecomposition, so it serves as a cross-check of the spectral formulas of the predictors, and it
/// applies to non-symmetric matrices.
/// </remarks>
public static class MatrixExponential
{
    private static readonly double[] Theta = [1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1, 2.097847961257068e0];
    private const double Theta13 = 5.371920351148152;

    private static readonly double[][] Coefficients =
    [
        [120, 60, 12, 1],
        [30240, 15120, 3360, 420, 30, 1],
        [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
        [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
    ];

    private static readonly double[] B13 =
    [
        64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
        10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
    ];

    /// <summary>e^<paramref name="a"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square or not finite.</exception>
    public static Matrix<double> Expm(Matrix<double> a)
    {
        MatrixChecks.Square(a, nameof(a));
        MatrixChecks.Finite(a, nameof(a));
        int n = a.RowCount;
        var identity = Matrix<double>.Build.DenseIdentity(n);
        if (n == 0) return identity;
        double norm = a.L1Norm();
        for (int i = 0; i < Theta.Length; i++)
        {
            if (norm <= Theta[i]) return PadeLow(a, identity, Coefficients[i]);
        }
        int s = norm > Theta13 ? (int)Math.Ceiling(Math.Log2(norm / Theta13)) : 0;
        var scaled = s > 0 ? a / Math.Pow(2, s) : a;
        var r = Pade13(scaled, identity);
        for (int i = 0; i < s; i++) r = DenseOps.Multiply(r, r);
        return r;
    }

    private static Matrix<double> PadeLow(Matrix<double> a, Matrix<double> identity, double[] b)
    {
        var a2 = DenseOps.Multiply(a, a);
        var u = identity * b[1];
        var v = identity * b[0];
        var power = identity;
        for (int j = 2; j < b.Length; j += 2)
        {
            power = DenseOps.Multiply(power, a2);
            u += power * b[j + 1];
            v += power * b[j];
        }
        u = DenseOps.Multiply(a, u);
        return Finish(u, v);
    }

    private static Matrix<double> Pade13(Matrix<double> a, Matrix<double> identity)
    {
        var a2 = DenseOps.Multiply(a, a);
        var a4 = DenseOps.Multiply(a2, a2);
        var a6 = DenseOps.Multiply(a4, a2);
        var u = DenseOps.Multiply(a6, B13[13] * a6 + B13[11] * a4 + B13[9] * a2)
                + B13[7] * a6 + B13[5] * a4 + B13[3] * a2 + B13[1] * identity;
        u = DenseOps.Multiply(a, u);
        var v = DenseOps.Multiply(a6, B13[12] * a6 + B13[10] * a4 + B13[8] * a2)
                + B13[6] * a6 + B13[4] * a4 + B13[2] * a2 + B13[0] * identity;
        return Finish(u, v);
    }

    /// <summary>Solves (V − U)·R = (V + U) by LU with partial pivoting.</summary>
    private static Matrix<double> Finish(Matrix<double> u, Matrix<double> v) => (v - u).LU().Solve(v + u);
}
