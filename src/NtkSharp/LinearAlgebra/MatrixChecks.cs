using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.LinearAlgebra;

/// <summary>Argument checks shared by the factorisations and predictors; every message names the argument.</summary>
internal static class MatrixChecks
{
    /// <summary>The default relative tolerance for symmetry: |aᵢⱼ − aⱼᵢ| ≤ tol·max|a|.</summary>
    public const double SymmetryTolerance = 1e-8;

    public static void Finite(Matrix<double> a, string name)
    {
        ArgumentNullException.ThrowIfNull(a, name);
        var values = a.Storage.IsDense ? Dense(a) : a.ToColumnMajorArray();
        for (int p = 0; p < values.Length; p++)
        {
            if (!double.IsFinite(values[p]))
                throw new ArgumentException($"{name} contains a non-finite value ({values[p]}) at ({p % a.RowCount}, {p / a.RowCount}).", name);
        }
    }

    public static void Square(Matrix<double> a, string name)
    {
        ArgumentNullException.ThrowIfNull(a, name);
        if (a.RowCount != a.ColumnCount)
            throw new ArgumentException($"{name} must be square; it is {a.RowCount}×{a.ColumnCount}.", name);
    }

    /// <summary>Square, finite, and symmetric to <paramref name="tolerance"/> relative to its largest entry.</summary>
    public static void Symmetric(Matrix<double> a, string name, double tolerance = SymmetryTolerance)
    {
        Square(a, name);
        Finite(a, name);
        int n = a.RowCount;
        var v = Dense(a);
        double scale = 0;
        for (int p = 0; p < v.Length; p++) scale = Math.Max(scale, Math.Abs(v[p]));
        double worst = 0;
        int wi = 0, wj = 0;
        for (int j = 0; j < n; j++)
        {
            for (int i = j + 1; i < n; i++)
            {
                double d = Math.Abs(v[i + (long)j * n] - v[j + (long)i * n]);
                if (d > worst) { worst = d; wi = i; wj = j; }
            }
        }
        if (worst > tolerance * scale)
            throw new ArgumentException($"{name} is not symmetric: |a[{wi},{wj}] − a[{wj},{wi}]| = {worst:G3} exceeds {tolerance:G2} × max|a| = {tolerance * scale:G3}.", name);
    }

    public static void Rows(Matrix<double> a, int rows, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(a, name);
        if (a.RowCount != rows)
            throw new ArgumentException($"{name} has {a.RowCount} rows but {what} has {rows}.", name);
    }

    public static void Shape(Matrix<double> a, int rows, int columns, string name)
    {
        ArgumentNullException.ThrowIfNull(a, name);
        if (a.RowCount != rows || a.ColumnCount != columns)
            throw new ArgumentException($"{name} must be {rows}×{columns}; it is {a.RowCount}×{a.ColumnCount}.", name);
    }

    /// <summary>The column-major values of a dense matrix without copying (a copy for other storages).</summary>
    public static double[] Dense(Matrix<double> a) =>
        a is MathNet.Numerics.LinearAlgebra.Double.DenseMatrix d ? d.Values : a.ToColumnMajorArray();

    /// <summary>Training targets: finite, one row per training point of <paramref name="kernelName"/>, at least one column.</summary>
    public static void Targets(Matrix<double> yTrain, int rows, string yName, string kernelName)
    {
        Finite(yTrain, yName);
        Rows(yTrain, rows, yName, kernelName);
        if (yTrain.ColumnCount == 0) throw new ArgumentException($"{yName} has no output columns.", yName);
    }
}
