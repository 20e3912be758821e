using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.LinearAlgebra;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.Prediction;

/// <summary>Small helpers of the spectral formulas: diagonal scalings and argument checks.</summary>
internal static class Spectral
{
    /// <summary>M·diag(s).</summary>
    public static Matrix<double> ScaleColumns(Matrix<double> m, IReadOnlyList<double> s)
    {
        int rows = m.RowCount, cols = m.ColumnCount;
        var v = MatrixChecks.Dense(m);
        var r = LargeArrays.Allocate(v.Length);
        for (int j = 0; j < cols; j++)
        {
            double f = s[j];
            long o = (long)j * rows;
            for (int i = 0; i < rows; i++) r[o + i] = f * v[o + i];
        }
        return new DenseMatrix(rows, cols, r);
    }

    /// <summary>diag(s)·M.</summary>
    public static Matrix<double> ScaleRows(IReadOnlyList<double> s, Matrix<double> m)
    {
        int rows = m.RowCount, cols = m.ColumnCount;
        var v = MatrixChecks.Dense(m);
        var r = LargeArrays.Allocate(v.Length);
        for (int j = 0; j < cols; j++)
        {
            long o = (long)j * rows;
            for (int i = 0; i < rows; i++) r[o + i] = s[i] * v[o + i];
        }
        return new DenseMatrix(rows, cols, r);
    }

    /// <summary>(C + Cᵀ)/2, in place.</summary>
    public static Matrix<double> Symmetrize(Matrix<double> c)
    {
        int n = c.RowCount;
        var v = MatrixChecks.Dense(c);
        for (int j = 0; j < n; j++)
        {
            for (int i = j + 1; i < n; i++)
            {
                double m = 0.5 * (v[i + (long)j * n] + v[j + (long)i * n]);
                v[i + (long)j * n] = v[j + (long)i * n] = m;
            }
        }
        return c;
    }

    public static double[] Map(double[] lambdas, Func<double, double> f)
    {
        var r = new double[lambdas.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(lambdas[i]);
        return r;
    }

    public static Schedule[] Times(IReadOnlyList<double> times, string name)
    {
        ArgumentNullException.ThrowIfNull(times, name);
        var s = new Schedule[times.Count];
        for (int i = 0; i < s.Length; i++)
        {
            double t = times[i];
            if (double.IsNaN(t) || t < 0)
                throw new ArgumentOutOfRangeException(name, t, $"{name}[{i}] = {t}: times must be non-negative (use +∞ for the converged network).");
            s[i] = Schedule.Continuous(t);
        }
        return s;
    }

    public static Schedule[] Steps(IReadOnlyList<int> steps, string name)
    {
        ArgumentNullException.ThrowIfNull(steps, name);
        var s = new Schedule[steps.Count];
        for (int i = 0; i < s.Length; i++)
        {
            if (steps[i] < 0) throw new ArgumentOutOfRangeException(name, steps[i], $"{name}[{i}] = {steps[i]}: step counts must be non-negative.");
            s[i] = Schedule.Steps(steps[i]);
        }
        return s;
    }
}
