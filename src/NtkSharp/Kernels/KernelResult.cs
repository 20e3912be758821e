using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace NtkSharp.Kernels;

/// <summary>
/// The Gram matrices of an architecture's infinite-width kernels for inputs x1 (N1 examples) and x2 (N2 examples;
/// x2 = x1 when it was not given), with the per-input variances. Plain managed objects.
/// </summary>
public sealed class KernelResult
{
    internal KernelResult(Matrix<double>? nngp, Matrix<double>? ntk, Vector<double> nngpDiag1, Vector<double> ntkDiag1,
        Vector<double> nngpDiag2, Vector<double> ntkDiag2, bool isSymmetric)
    {
        _nngp = nngp;
        _ntk = ntk;
        NngpVariances1 = nngpDiag1;
        NtkVariances1 = ntkDiag1;
        NngpVariances2 = nngpDiag2;
        NtkVariances2 = ntkDiag2;
        IsSymmetric = isSymmetric;
    }

    /// <summary>Wraps the engines' column-major result arrays (not copied) as MathNet matrices.</summary>
    internal static KernelResult FromColumnMajor(int n1, int n2, double[] nngp, double[]? ntk, KernelOutputs outputs,
        Vector<double> nngpDiag1, Vector<double> ntkDiag1, Vector<double> nngpDiag2, Vector<double> ntkDiag2, bool isSymmetric)
        => new((outputs & KernelOutputs.Nngp) != 0 ? new DenseMatrix(n1, n2, nngp) : null,
            ntk is null ? null : new DenseMatrix(n1, n2, ntk),
            nngpDiag1, ntkDiag1, nngpDiag2, ntkDiag2, isSymmetric);

    private readonly Matrix<double>? _nngp;
    private readonly Matrix<double>? _ntk;

    /// <summary>The N1×N2 NNGP Gram matrix K(x1ᵢ, x2ⱼ).</summary>
    /// <exception cref="InvalidOperationException">It was not computed (the outputs asked for were
    /// <see cref="KernelOutputs.Ntk"/> only; see <see cref="HasNngp"/>).</exception>
    public Matrix<double> Nngp => _nngp ?? throw new InvalidOperationException(
        "The NNGP kernel was not computed: the kernels were requested with outputs = KernelOutputs.Ntk; request KernelOutputs.Nngp or KernelOutputs.Both (check HasNngp).");

    /// <summary>The N1×N2 NTK Gram matrix Θ(x1ᵢ, x2ⱼ).</summary>
    /// <exception cref="InvalidOperationException">It was not computed (the outputs asked for were
    /// <see cref="KernelOutputs.Nngp"/> only; see <see cref="HasNtk"/>).</exception>
    public Matrix<double> Ntk => _ntk ?? throw new InvalidOperationException(
        "The NTK was not computed: the kernels were requested with outputs = KernelOutputs.Nngp; request KernelOutputs.Ntk or KernelOutputs.Both (check HasNtk).");

    /// <summary>Whether the NNGP Gram matrix was computed (<see cref="Nngp"/> throws otherwise).</summary>
    public bool HasNngp => _nngp is not null;

    /// <summary>Whether the NTK Gram matrix was computed (<see cref="Ntk"/> throws otherwise).</summary>
    public bool HasNtk => _ntk is not null;

    /// <summary>K(x1ᵢ, x1ᵢ) for every input of x1.</summary>
    public Vector<double> NngpVariances1 { get; }

    /// <summary>Θ(x1ᵢ, x1ᵢ) for every input of x1.</summary>
    public Vector<double> NtkVariances1 { get; }

    /// <summary>K(x2ⱼ, x2ⱼ) for every input of x2 (equal to <see cref="NngpVariances1"/> when x2 was not given).</summary>
    public Vector<double> NngpVariances2 { get; }

    /// <summary>Θ(x2ⱼ, x2ⱼ) for every input of x2.</summary>
    public Vector<double> NtkVariances2 { get; }

    /// <summary>True when x2 was not given (the matrices are symmetric).</summary>
    public bool IsSymmetric { get; }

    /// <summary>The requested kernel, or an exception naming what was not computed.</summary>
    public Matrix<double> Get(KernelOutputs which) => which switch
    {
        KernelOutputs.Nngp => Nngp,
        KernelOutputs.Ntk => Ntk,
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, "Ask for Nngp or Ntk."),
    };
}
