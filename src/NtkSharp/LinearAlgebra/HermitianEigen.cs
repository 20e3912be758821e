using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace NtkSharp.LinearAlgebra;

/// <summary>
/// The eigendecomposition H = U·diag(λ)·U† of a complex Hermitian matrix H = A + iB through the real symmetric
/// embedding E = [[A, −B], [B, A]] (2n × 2n, decomposed by <see cref="SymmetricEigen"/>): every eigenvalue λ of H is a
/// double eigenvalue of E, with real eigenvectors (u, v) and (−v, u) for the eigenvector u + iv of H.
/// </summary>
/// <remarks>With a native backend that exports LAPACK <c>zheevd</c> (MKL, OpenBLAS, reference LAPACK) that routine is used
/// instead (about half the cost of the order-2n embedding). Eigenvalues are returned ascending, each once. Within a cluster of (numerically) equal eigenvalues the
/// complex vectors u + iv of the cluster's 2m real eigenvectors span the m-dimensional complex eigenspace; an
/// orthonormal basis of it is extracted by modified Gram–Schmidt.</remarks>
internal static class HermitianEigen
{
    /// <summary>Decomposes <paramref name="h"/> (Hermitian; only checked to 1e-8 relative by the real embedding).</summary>
    public static (double[] Values, Matrix<Complex> Vectors) Compute(Matrix<Complex> h, bool allowNative = true)
    {
        int n = h.RowCount;
        if (allowNative && Backend.Provider is Native.NativeProvider { HasHermitianEigen: true } native)
        {
            var buf = new double[2L * n * n];
            for (int j = 0; j < n; j++)
            {
                for (int i = j; i < n; i++)
                {
                    var z = h[i, j];
                    buf[2 * (i + (long)j * n)] = z.Real;
                    buf[2 * (i + (long)j * n) + 1] = z.Imaginary;
                }
            }
            var w = new double[n];
            native.HermitianEigen(n, buf, w);
            var vec = Matrix<Complex>.Build.Dense(n, n);
            var store = ((MathNet.Numerics.LinearAlgebra.Complex.DenseMatrix)vec).Values;
            for (long p = 0; p < (long)n * n; p++) store[p] = new Complex(buf[2 * p], buf[2 * p + 1]);
            return (w, vec);
        }
        var e = new double[(long)4 * n * n];
        int m = 2 * n;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                var z = h[i, j];
                e[i + (long)j * m] = z.Real;
                e[(i + n) + (long)(j + n) * m] = z.Real;
                e[(i + n) + (long)j * m] = z.Imaginary;
                e[i + (long)(j + n) * m] = -z.Imaginary;
            }
        }
        var eig = SymmetricEigen.Compute(new DenseMatrix(m, m, e));
        var lambda = eig.EigenValues;
        var vecs = eig.EigenVectors;
        double scale = Math.Max(Math.Abs(lambda[0]), Math.Abs(lambda[m - 1]));
        double tol = Math.Max(1e-9 * scale, double.Epsilon);
        var values = new double[n];
        var vectors = Matrix<Complex>.Build.Dense(n, n);
        int found = 0, start = 0;
        while (start < m)
        {
            int end = start + 1;
            while (end < m && lambda[end] - lambda[end - 1] <= tol) end++;
            int size = end - start;
            // Candidates u + iv from each real eigenvector of the cluster; keep an orthonormal basis of their span.
            var basis = new List<Complex[]>();
            for (int c = start; c < end && basis.Count < size / 2 + size % 2; c++)
            {
                var w = new Complex[n];
                for (int i = 0; i < n; i++) w[i] = new Complex(vecs[i, c], vecs[i + n, c]);
                foreach (var b in basis)
                {
                    Complex dot = Complex.Zero;
                    for (int i = 0; i < n; i++) dot += Complex.Conjugate(b[i]) * w[i];
                    for (int i = 0; i < n; i++) w[i] -= dot * b[i];
                }
                double norm = 0;
                for (int i = 0; i < n; i++) norm += w[i].Real * w[i].Real + w[i].Imaginary * w[i].Imaginary;
                norm = Math.Sqrt(norm);
                if (norm < 0.5) continue;
                for (int i = 0; i < n; i++) w[i] /= norm;
                basis.Add(w);
            }
            if (size % 2 != 0 || basis.Count != size / 2)
                throw new ArithmeticException($"The Hermitian eigensolver found a cluster of {size} real eigenvalues near {lambda[start]:G6} that does not pair up (matrix not Hermitian to working precision?).");
            for (int b = 0; b < basis.Count; b++)
            {
                values[found] = lambda[start + 2 * b];
                for (int i = 0; i < n; i++) vectors[i, found] = basis[b][i];
                found++;
            }
            start = end;
        }
        return (values, vectors);
    }
}
