using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>
/// A general linear map y = A·x on an example's values: an orthogonal matrix (rotations and reflections of ℝᵈ), or an
/// interpolation operator (rotations of images by angles that do not map pixels onto pixels). Stored row-sparse.
/// </summary>
public sealed class MatrixAction : GroupAction
{
    private readonly int[][] _columns;
    private readonly double[][] _values;

    /// <summary>Creates the map x ↦ A·x for a square matrix A (copied).</summary>
    /// <exception cref="ArgumentException">A is not square or has non-finite entries.</exception>
    public MatrixAction(Matrix<double> matrix)
        : base(matrix?.RowCount ?? throw new ArgumentNullException(nameof(matrix)))
    {
        if (matrix.ColumnCount != matrix.RowCount)
            throw new ArgumentException($"The matrix must be square; got {matrix.RowCount}×{matrix.ColumnCount}.", nameof(matrix));
        int n = Dimension;
        _columns = new int[n][];
        _values = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var cols = new List<int>();
            var vals = new List<double>();
            for (int j = 0; j < n; j++)
            {
                double v = matrix[i, j];
                if (!double.IsFinite(v)) throw new ArgumentException($"matrix[{i}, {j}] is not finite ({v}).", nameof(matrix));
                if (v != 0)
                {
                    cols.Add(j);
                    vals.Add(v);
                }
            }
            _columns[i] = cols.ToArray();
            _values[i] = vals.ToArray();
        }
    }

    /// <summary>Creates the map from sparse rows (not validated beyond shapes; for the library's own operators).</summary>
    internal MatrixAction(int dimension, int[][] columns, double[][] values)
        : base(dimension)
    {
        if (columns.Length != dimension || values.Length != dimension) throw new ArgumentException("One sparse row per dimension is needed.", nameof(columns));
        _columns = columns;
        _values = values;
    }

    /// <inheritdoc />
    public override bool IsPermutation => false;

    /// <summary>The largest |AᵀA − I| entry: 0 for an orthogonal map.</summary>
    public double OrthogonalityDefect
    {
        get
        {
            var a = ToMatrix();
            return (a.TransposeThisAndMultiply(a) - Matrix<double>.Build.DenseIdentity(Dimension)).Enumerate().Max(Math.Abs);
        }
    }

    /// <inheritdoc />
    public override Matrix<double> ToMatrix()
    {
        var m = Matrix<double>.Build.Dense(Dimension, Dimension);
        for (int i = 0; i < Dimension; i++)
        {
            for (int k = 0; k < _columns[i].Length; k++) m[i, _columns[i][k]] = _values[i][k];
        }
        return m;
    }

    /// <inheritdoc />
    public override GroupAction After(GroupAction first)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (first.Dimension != Dimension) throw new ArgumentException($"Dimensions differ ({first.Dimension} vs {Dimension}).", nameof(first));
        return new MatrixAction(ToMatrix() * first.ToMatrix());
    }

    /// <inheritdoc />
    public override double Distance(GroupAction other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension) return double.PositiveInfinity;
        return (ToMatrix() - other.ToMatrix()).Enumerate().Max(Math.Abs);
    }

    internal override void ApplyCore(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < Dimension; i++)
        {
            double s = 0;
            var cols = _columns[i];
            var vals = _values[i];
            for (int k = 0; k < cols.Length; k++) s += vals[k] * x[cols[k]];
            y[i] = s;
        }
    }
}
