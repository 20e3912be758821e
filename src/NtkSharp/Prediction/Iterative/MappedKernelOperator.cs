using NtkSharp.IO;
using NtkSharp.LinearAlgebra;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.Prediction.Iterative;

/// <summary>
/// A memory-mapped train kernel streamed in row panels: (K + r·I)·X panel by panel, dgemm straight on the mapped
/// float64 rows, or on a float64 copy of one panel of float32 rows. The kernel is never loaded as a whole.
/// </summary>
internal sealed unsafe class MappedKernelOperator : IKernelOperator
{
    private const long PanelBytes = 32L << 20;
    private readonly MappedNpyMatrix _matrix;
    private readonly double _shift;
    private readonly int _panelRows;

    public MappedKernelOperator(MappedNpyMatrix matrix, double shift)
    {
        _matrix = matrix;
        _shift = shift;
        _panelRows = (int)Math.Clamp(PanelBytes / (8L * matrix.Columns), 16, Math.Max(16, matrix.Rows));
    }

    public int Order => _matrix.Rows;

    public void Multiply(double* x, int columns, double* y, CancellationToken cancellationToken)
    {
        _matrix.ThrowIfDisposed();
        int n = Order;
        var provider = Backend.Provider;
        AlignedBuffer? converted = _matrix.IsFloat32 ? new AlignedBuffer((long)_panelRows * n) : null;
        try
        {
            for (int i0 = 0; i0 < n; i0 += _panelRows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(_panelRows, n - i0);
                double* panel;
                if (converted is null) panel = _matrix.RowPointer64(i0);
                else
                {
                    panel = converted.Pointer;
                    float* src = _matrix.RowPointer32(i0);
                    long count = (long)rows * n;
                    for (long p = 0; p < count; p++) panel[p] = src[p];
                }
                // Rows i0..i0+rows of K, stored row-major, are the columns of an N×rows column-major block: Kᵀ = K.
                provider.Gemm(true, false, rows, columns, n, 1.0, panel, n, x, n, 0.0, y + i0, n);
            }
        }
        finally
        {
            converted?.Dispose();
        }
        if (_shift != 0)
        {
            long count = (long)n * columns;
            for (long p = 0; p < count; p++) y[p] += _shift * x[p];
        }
    }

    /// <summary>One cache-blocked pass over the mapped matrix: square, finite, symmetric to
    /// <see cref="MatrixChecks.SymmetryTolerance"/>·max|k|; returns the trace.</summary>
    public static double CheckAndTrace(MappedNpyMatrix m, string name, CancellationToken cancellationToken)
    {
        if (m.Rows != m.Columns) throw new ArgumentException($"{name} must be square; it is {m.Rows}×{m.Columns}.", name);
        int n = m.Rows;
        if (n == 0) throw new ArgumentException($"{name} is empty.", name);
        const int tile = 256;
        int tiles = (n + tile - 1) / tile;
        var scale = new double[tiles];
        var worst = new (double D, int I, int J)[tiles];
        var bad = new (int I, int J, double V)?[tiles];
        Parallel.For(0, tiles, new ParallelOptions { CancellationToken = cancellationToken }, tb =>
        {
            int j0 = tb * tile, j1 = Math.Min(n, j0 + tile);
            double s = 0, w = 0;
            int wi = 0, wj = 0;
            for (int i0 = j0; i0 < n && bad[tb] is null; i0 += tile)
            {
                int i1 = Math.Min(n, i0 + tile);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < Math.Min(j1, i + 1); j++)
                    {
                        double l = m.At(i, j), u = m.At(j, i);
                        if (!double.IsFinite(l) || !double.IsFinite(u))
                        {
                            bad[tb] = double.IsFinite(l) ? (j, i, u) : (i, j, l);
                            break;
                        }
                        s = Math.Max(s, Math.Max(Math.Abs(l), Math.Abs(u)));
                        double d = Math.Abs(l - u);
                        if (d > w) { w = d; wi = i; wj = j; }
                    }
                }
            }
            scale[tb] = s;
            worst[tb] = (w, wi, wj);
        });
        foreach (var b in bad)
        {
            if (b is { } v) throw new ArgumentException($"{name} contains a non-finite value ({v.V}) at ({v.I}, {v.J}).", name);
        }
        var worstAll = worst.MaxBy(x => x.D);
        SymmetricMirror.Require(new SymmetricMirror.Scan(scale.Max(), worstAll.D, worstAll.I, worstAll.J), name);
        double trace = 0;
        for (int i = 0; i < n; i++) trace += m.At(i, i);
        return trace;
    }
}
