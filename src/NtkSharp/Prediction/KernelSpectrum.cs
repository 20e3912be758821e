using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.LinearAlgebra;

namespace NtkSharp.Prediction;

/// <summary>
/// Kernel spectra. Publicly: <see cref="OverGroup"/>, the spectrum of a kernel over the orbits of a finite group,
/// block-diagonalised by irreps. Internally (an instance): a train-train kernel with its diagonal regulariser applied,
/// and its eigendecomposition and Cholesky factor, each computed once on first need and cached (thread-safe).
/// </summary>
public sealed partial class KernelSpectrum
{
    private readonly Lazy<(SymmetricEigen Eigen, double[] Clamped, double Tolerance)> _eigen;
    private readonly Lazy<CholeskyFactor?> _cholesky;
    private readonly string _name;
    private readonly double? _relativeTolerance;

    internal KernelSpectrum(Matrix<double> kernel, string name, GradientDescentOptions options)
    {
        MatrixChecks.Square(kernel, name);
        int n = kernel.RowCount;
        if (n == 0) throw new ArgumentException($"{name} is empty.", name);
        var k = MatrixChecks.Dense(kernel);
        var copy = LinearAlgebra.Native.LargeArrays.Allocate(k.Length);
        // Symmetrise exactly (both triangles from the lower one) so every route sees the same matrix; one blocked
        // pass also checks finiteness and symmetry.
        Regularization = RegularizationOf(k, n, options);
        SymmetricMirror.Require(SymmetricMirror.Build(k, copy, n, false, Regularization, name), name);
        Kernel = new DenseMatrix(n, n, copy);
        _name = name;
        _relativeTolerance = options.EigenvalueTolerance;
        _eigen = new Lazy<(SymmetricEigen, double[], double)>(Decompose, LazyThreadSafetyMode.ExecutionAndPublication);
        _cholesky = new Lazy<CholeskyFactor?>(Factorise, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Takes ownership of <paramref name="data"/> (n×n column-major), symmetrised in place from its upper
    /// (<paramref name="fromUpper"/>) or lower triangle — no copy. A row-major (C-order) kernel read from a file is
    /// the column-major transpose, whose upper triangle is the file's lower one.</summary>
    public KernelSpectrum(double[] data, int n, bool fromUpper, string name, GradientDescentOptions options)
    {
        if (n == 0) throw new ArgumentException($"{name} is empty.", name);
        if (data.LongLength != (long)n * n) throw new ArgumentException($"{name} must hold {n}×{n} values.", name);
        Regularization = RegularizationOf(data, n, options);
        SymmetricMirror.Require(SymmetricMirror.Build(data, data, n, fromUpper, Regularization, name), name);
        Kernel = new DenseMatrix(n, n, data);
        _name = name;
        _relativeTolerance = options.EigenvalueTolerance;
        _eigen = new Lazy<(SymmetricEigen, double[], double)>(Decompose, LazyThreadSafetyMode.ExecutionAndPublication);
        _cholesky = new Lazy<CholeskyFactor?>(Factorise, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private static double RegularizationOf(double[] k, int n, GradientDescentOptions options)
    {
        if (options.RegularizationIsAbsolute) return options.DiagonalRegularization;
        if (options.DiagonalRegularization == 0) return 0;
        double trace = 0;
        for (int i = 0; i < n; i++) trace += k[i + (long)i * n];
        return options.DiagonalRegularization * trace / n;
    }

    /// <summary>Whether the eigendecomposition has been computed.</summary>
    public bool HasEigen => _eigen.IsValueCreated;

    /// <summary>The regularised kernel K + r·I.</summary>
    internal Matrix<double> Kernel { get; }

    /// <summary>The absolute amount r added to the diagonal.</summary>
    internal double Regularization { get; }

    internal int Order => Kernel.RowCount;

    internal SymmetricEigen Eigen => _eigen.Value.Eigen;

    /// <summary>The eigenvalues with |λ| ≤ τ set to exactly 0 (τ = <see cref="Tolerance"/>).</summary>
    internal double[] Clamped => _eigen.Value.Clamped;

    /// <summary>The absolute eigenvalue tolerance τ = ε_λ·λ_max.</summary>
    internal double Tolerance => _eigen.Value.Tolerance;

    /// <summary>The Cholesky factor, or null when the regularised kernel is not numerically positive definite.</summary>
    internal CholeskyFactor? Cholesky => _cholesky.Value;

    /// <summary>The largest eigenvalue λ_max.</summary>
    internal double MaxEigenvalue => Eigen.EigenValues[Order - 1];

    /// <summary>Cholesky, rejected (null) when it fails or a pivot Lᵢᵢ² falls below N·2⁻⁵²·max Aᵢᵢ, i.e. when the
    /// kernel is singular to working precision and the pseudo-inverse (eigen) route must be used.</summary>
    private CholeskyFactor? Factorise()
    {
        if (!CholeskyFactor.TryComputeTrusted(Backend.Provider, Kernel, out var f, out _)) return null;
        var k = MatrixChecks.Dense(Kernel);
        double maxDiag = 0;
        for (int i = 0; i < Order; i++) maxDiag = Math.Max(maxDiag, k[i + (long)i * Order]);
        return f!.MinPivotSquared > Order * Math.Pow(2, -52) * maxDiag ? f : null;
    }

    private (SymmetricEigen, double[], double) Decompose()
    {
        var e = SymmetricEigen.ComputeTrusted(Backend.Provider, Kernel);
        int n = e.Order;
        double max = Math.Max(Math.Abs(e.EigenValues[n - 1]), Math.Abs(e.EigenValues[0]));
        double tol = (_relativeTolerance ?? n * Math.Pow(2, -52)) * max;
        var clamped = new double[n];
        for (int i = 0; i < n; i++)
        {
            double l = e.EigenValues[i];
            if (l < -tol)
                throw new ArgumentException($"{_name} is not positive semi-definite: its smallest eigenvalue is {e.EigenValues[0]:G6} (largest {e.EigenValues[n - 1]:G6}; tolerance {tol:G3}). Add a diagonal regularisation or raise the eigenvalue tolerance.", _name);
            clamped[i] = l <= tol ? 0 : l;
        }
        return (e, clamped, tol);
    }
}
