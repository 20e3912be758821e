using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace NtkSharp.LinearAlgebra;

/// <summary>
/// The Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix (LAPACK <c>dpotrf</c>/<c>dpotrs</c>
/// on the native backend, MathNet otherwise), reusable for many right-hand sides.
/// </summary>
public sealed class CholeskyFactor
{
    private readonly double[] _lower;
    private readonly DenseProvider _provider;

    private CholeskyFactor(DenseProvider provider, int order, double[] lower)
    {
        _provider = provider;
        Order = order;
        _lower = lower;
    }

    /// <summary>The order n.</summary>
    public int Order { get; }

    /// <summary>L (lower triangular, positive diagonal), a copy.</summary>
    public Matrix<double> Lower => new DenseMatrix(Order, Order, (double[])_lower.Clone());

    /// <summary>min Lᵢᵢ² without copying L.</summary>
    internal double MinPivotSquared
    {
        get
        {
            double m = double.PositiveInfinity;
            for (int i = 0; i < Order; i++)
            {
                double d = _lower[i + (long)i * Order];
                m = Math.Min(m, d * d);
            }
            return m;
        }
    }

    /// <summary>log det A = 2 Σ log Lᵢᵢ.</summary>
    public double LogDeterminant
    {
        get
        {
            double s = 0;
            for (int i = 0; i < Order; i++) s += Math.Log(_lower[i + (long)i * Order]);
            return 2 * s;
        }
    }

    /// <summary>Factorises <paramref name="a"/> (its lower triangle is read).</summary>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, finite and symmetric, or not
    /// positive definite (the message gives the first failing leading minor).</exception>
    public static CholeskyFactor Compute(Matrix<double> a) =>
        TryCompute(Backend.Provider, a, out var f, out int minor) ? f!
            : throw new ArgumentException($"The matrix is not positive definite (its leading {minor}×{minor} minor is not); add a diagonal regularisation.", nameof(a));

    /// <summary>Factorises <paramref name="a"/>, returning false when it is not positive definite.</summary>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, finite and symmetric.</exception>
    public static bool TryCompute(Matrix<double> a, out CholeskyFactor? factor) =>
        TryCompute(Backend.Provider, a, out factor, out _);

    internal static bool TryCompute(DenseProvider provider, Matrix<double> a, out CholeskyFactor? factor, out int failedMinor)
    {
        MatrixChecks.Symmetric(a, nameof(a));
        return TryComputeTrusted(provider, a, out factor, out failedMinor);
    }

    /// <summary>Factorises a matrix already checked to be square, finite and symmetric (no second scan).</summary>
    internal static bool TryComputeTrusted(DenseProvider provider, Matrix<double> a, out CholeskyFactor? factor, out int failedMinor)
    {
        int n = a.RowCount;
        var l = Native.LargeArrays.Copy(MatrixChecks.Dense(a));
        failedMinor = provider.CholeskyFactor(n, l);
        factor = failedMinor == 0 ? new CholeskyFactor(provider, n, l) : null;
        return factor is not null;
    }

    /// <summary>X = A⁻¹·B.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have <see cref="Order"/> rows or is not finite.</exception>
    public Matrix<double> Solve(Matrix<double> b)
    {
        MatrixChecks.Rows(b, Order, nameof(b), "the factorised matrix");
        MatrixChecks.Finite(b, nameof(b));
        var x = Native.LargeArrays.Copy(MatrixChecks.Dense(b));
        _provider.CholeskySolve(Order, _lower, b.ColumnCount, x);
        return new DenseMatrix(Order, b.ColumnCount, x);
    }

    /// <summary>x = A⁻¹·b.</summary>
    public Vector<double> Solve(Vector<double> b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return Solve(b.ToColumnMatrix()).Column(0);
    }
}
