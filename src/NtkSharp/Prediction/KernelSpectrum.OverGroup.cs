using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.Kernels;
using NtkSharp.LinearAlgebra;
using NtkSharp.Symmetry;
using NtkSharp.Symmetry.Irreps;

namespace NtkSharp.Prediction;

public sealed partial class KernelSpectrum
{
    /// <summary>The number of inputs used by the direct kernel-symmetry probe of <see cref="OverGroup"/>.</summary>
    public const int SymmetryProbeCount = 16;

    /// <summary>
    /// The spectrum of a kernel over the orbits of a finite group, one block per irreducible representation:
    /// K̂_ρ = Σ_a K(xᵢ, ρ_X(a)xⱼ) ⊗ ρ(a)* ((N·d)×(N·d), row i·d + α, column j·d + β), with its eigenvalues and eigenvectors.
    /// </summary>
    /// <remarks>
    /// <para>For a kernel invariant under the simultaneous action, K(gx, gx') = K(x, x'), the orbit Gram matrix
    /// K[(g, i), (h, j)] = K(ρ(g)xᵢ, ρ(h)xⱼ) = k_ij(g⁻¹h) is a convolution on G, and the group Fourier transform
    /// block-diagonalises it: its N|G| eigenvalues are those of the blocks K̂_ρ, each repeated d_ρ = dim ρ times
    /// (Σ d_ρ² = |G|). The trivial block is |G| times the group-averaged kernel Θᴳ(X, X); with invariant targets only it
    /// enters the augmented mean μ_t (Perin &amp; Deny, "On the ability of deep networks to learn symmetries from data: a
    /// neural kernel theory", JMLR 2025; Gerken &amp; Kessel, ICML 2024). Irreps come from
    /// <see cref="GroupIrreps.Compute"/>: closed forms for cyclic groups (C_k, and any group that is cyclic, e.g. a
    /// rotation group of polar inputs) and dihedral groups D_k (k ≥ 3), the regular-representation construction for the
    /// rest (S_n, <see cref="Groups.Generated"/>, …; |G| ≤ <see cref="GroupIrreps.MaxGeneralOrder"/>).</para>
    /// <para>Cost: one kernel call for the N × N|G| columns K(X, ρ(a)X) (never the (N|G|)² matrix), O(N²|G|·d²) to
    /// assemble each block and one eigendecomposition of order N·d per block (complex Hermitian blocks through a real
    /// embedding of order 2N·d; the block of a conjugate pair's second member is the complex conjugate of the first's and is
    /// not decomposed again).</para>
    /// <para>Before decomposing, the kernel's symmetry is checked on the data: by <see cref="KernelSymmetry.Check"/> on the
    /// first <see cref="SymmetryProbeCount"/> inputs (K(ρ(g)xᵢ, ρ(g)xⱼ) against K(xᵢ, xⱼ) for both kernels), and on all
    /// inputs by K(xᵢ, ρ(g)xⱼ) = K(xⱼ, ρ(g⁻¹)xᵢ), which a symmetric kernel satisfies and which makes every block
    /// Hermitian. A violation above <paramref name="symmetryTolerance"/> (relative to the largest |K|) is an error that
    /// states the measured value: the orbit Gram matrix is then not a group convolution and the blocks would not be its
    /// spectrum.</para>
    /// </remarks>
    /// <param name="kernelFunction">The architecture's kernel function.</param>
    /// <param name="group">An exact finite group acting on the inputs (only ρ_X is used).</param>
    /// <param name="x">The N inputs whose orbits span the Gram matrix.</param>
    /// <param name="which">Ntk or Nngp.</param>
    /// <param name="options">Kernel options.</param>
    /// <param name="symmetryTolerance">The largest accepted relative symmetry violation.</param>
    /// <param name="progress">Receives the fraction of blocks done (0 … 1).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ArgumentException">Shapes do not fit, non-finite inputs, an inexact (interpolated) group, or a
    /// kernel that is not symmetric under the group on <paramref name="x"/> (the message gives the measured violation).</exception>
    /// <exception cref="NotSupportedException">A group that is neither cyclic nor dihedral with more than
    /// <see cref="GroupIrreps.MaxGeneralOrder"/> elements.</exception>
    public static GroupSpectrum OverGroup(KernelFunction kernelFunction, SymmetryGroup group, Tensor x, KernelOutputs which = KernelOutputs.Ntk,
        KernelOptions? options = null, double symmetryTolerance = 1e-9, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernelFunction);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(x);
        if (which is not (KernelOutputs.Ntk or KernelOutputs.Nngp)) throw new ArgumentOutOfRangeException(nameof(which), which, "Ask for Nngp or Ntk.");
        if (!(symmetryTolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(symmetryTolerance), symmetryTolerance, "The tolerance must be non-negative.");
        x.EnsureFinite(nameof(x));
        group.CheckInputs(x, nameof(x));
        if (!group.IsExact)
            throw new ArgumentException($"{group.Name} is not an exact representation (interpolated rotations: ρ(g)ρ(h) ≠ ρ(gh)); the orbit Gram matrix is not a group convolution and has no irrep decomposition.", nameof(group));
        var irreps = GroupIrreps.Compute(group);
        int n = x.Count, order = group.Order;

        var probe = KernelSymmetry.Check(kernelFunction.Network, group, x.Slice(0, Math.Min(n, SymmetryProbeCount)), symmetryTolerance, cancellationToken);
        double probeViolation = which == KernelOutputs.Ntk ? probe.MaxNtkViolation : probe.MaxNngpViolation;
        if (probeViolation > symmetryTolerance)
            throw new ArgumentException($"The {KernelName(which)} is not {group.Name}-symmetric on the data: max |K(ρ(g)xᵢ, ρ(g)xⱼ) − K(xᵢ, xⱼ)| / max|K| = {probeViolation:E3} (worst element {probe.WorstElement}) exceeds {symmetryTolerance:E1}, so the orbit Gram matrix is not block-diagonalised by {group.Name}'s irreps.", nameof(group));

        var orbit = group.OrbitInputs(x);
        var columns = kernelFunction.Compute(x, orbit, which, options, null, cancellationToken).Get(which); // N × |G|N, column a·N + j
        var c = columns.Storage.IsDense ? ((DenseMatrix)columns).Values : columns.ToColumnMajorArray();
        double scale = 0;
        foreach (double v in c) scale = Math.Max(scale, Math.Abs(v));
        double violation = 0;
        for (int a = 0; a < order; a++)
        {
            int ai = group.Inverse(a);
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                    violation = Math.Max(violation, Math.Abs(c[i + (long)(a * n + j) * n] - c[j + (long)(ai * n + i) * n]));
            }
        }
        violation /= Math.Max(scale, double.Epsilon);
        if (violation > symmetryTolerance)
            throw new ArgumentException($"The {KernelName(which)} is not {group.Name}-symmetric on the data: max |K(xᵢ, ρ(g)xⱼ) − K(xⱼ, ρ(g⁻¹)xᵢ)| / max|K| = {violation:E3} exceeds {symmetryTolerance:E1}, so the orbit Gram matrix is not block-diagonalised by {group.Name}'s irreps.", nameof(group));

        double diagonal = 0;
        for (int i = 0; i < n; i++) diagonal += c[i + (long)i * n]; // K(xᵢ, xᵢ): element 0 is the identity
        double orbitTrace = order * diagonal;
        var blocks = new IrrepBlock[irreps.Count];
        for (int r = 0; r < irreps.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rho = irreps[r];
            if (rho.ConjugatePartner is int p && p < r)
            {
                // A real kernel: K̂_{ρ*} = conj(K̂_ρ), with the same eigenvalues and conjugate eigenvectors.
                var twin = blocks[p];
                blocks[r] = new IrrepBlock(rho, twin.Block.Conjugate(), twin.Eigenvalues.ToArray(), twin.Eigenvectors.Conjugate(), twin.TraceShare);
            }
            else
            {
                blocks[r] = Decompose(rho, group, c, n, orbitTrace);
            }
            progress?.Report((r + 1.0) / irreps.Count);
        }
        return new GroupSpectrum(group.Name, order, n, which, blocks, orbitTrace, Math.Max(violation, probeViolation));
    }

    private static string KernelName(KernelOutputs which) => which == KernelOutputs.Ntk ? "NTK" : "NNGP kernel";

    /// <summary>Assembles K̂_ρ from the columns and decomposes it (eigenvalues descending).</summary>
    private static IrrepBlock Decompose(Irrep rho, SymmetryGroup group, double[] c, int n, double orbitTrace)
    {
        int d = rho.Dimension, order = group.Order, m = n * d;
        double trace;
        double[] values;
        Matrix<Complex> block, vectors;
        if (rho.IsReal)
        {
            var b = LinearAlgebra.Native.LargeArrays.Allocate((long)m * m); // column-major
            for (int a = 0; a < order; a++)
            {
                var ra = rho.MatrixView(a);
                for (int al = 0; al < d; al++)
                {
                    for (int be = 0; be < d; be++)
                    {
                        double w = ra[al, be].Real;
                        if (w == 0) continue;
                        for (int j = 0; j < n; j++)
                        {
                            long src = (long)(a * n + j) * n, dst = (long)(j * d + be) * m + al;
                            for (int i = 0; i < n; i++) b[dst + (long)i * d] += w * c[src + i];
                        }
                    }
                }
            }
            for (int j = 0; j < m; j++)
            {
                for (int i = j + 1; i < m; i++)
                {
                    double s = 0.5 * (b[i + (long)j * m] + b[j + (long)i * m]);
                    b[i + (long)j * m] = b[j + (long)i * m] = s;
                }
            }
            trace = 0;
            for (int i = 0; i < m; i++) trace += b[i + (long)i * m];
            var real = new DenseMatrix(m, m, b);
            var eig = SymmetricEigen.Compute(real);
            values = new double[m];
            vectors = Matrix<Complex>.Build.Dense(m, m);
            for (int k = 0; k < m; k++)
            {
                int src = m - 1 - k;
                values[k] = eig.EigenValues[src];
                for (int i = 0; i < m; i++) vectors[i, k] = eig.EigenVectors[i, src];
            }
            block = real.Map(v => new Complex(v, 0));
        }
        else
        {
            var b = new Complex[(long)m * m];
            for (int a = 0; a < order; a++)
            {
                var ra = rho.MatrixView(a);
                for (int al = 0; al < d; al++)
                {
                    for (int be = 0; be < d; be++)
                    {
                        var w = Complex.Conjugate(ra[al, be]);
                        if (w == Complex.Zero) continue;
                        for (int j = 0; j < n; j++)
                        {
                            long src = (long)(a * n + j) * n, dst = (long)(j * d + be) * m + al;
                            for (int i = 0; i < n; i++) b[dst + (long)i * d] += w * c[src + i];
                        }
                    }
                }
            }
            for (int j = 0; j < m; j++)
            {
                b[j + (long)j * m] = new Complex(b[j + (long)j * m].Real, 0);
                for (int i = j + 1; i < m; i++)
                {
                    var s = 0.5 * (b[i + (long)j * m] + Complex.Conjugate(b[j + (long)i * m]));
                    b[i + (long)j * m] = s;
                    b[j + (long)i * m] = Complex.Conjugate(s);
                }
            }
            trace = 0;
            for (int i = 0; i < m; i++) trace += b[i + (long)i * m].Real;
            block = Matrix<Complex>.Build.Dense(m, m, b);
            var (asc, vecs) = HermitianEigen.Compute(block);
            values = new double[m];
            vectors = Matrix<Complex>.Build.Dense(m, m);
            for (int k = 0; k < m; k++)
            {
                int src = m - 1 - k;
                values[k] = asc[src];
                for (int i = 0; i < m; i++) vectors[i, k] = vecs[i, src];
            }
        }
        return new IrrepBlock(rho, block, values, vectors, orbitTrace == 0 ? 0 : d * trace / orbitTrace);
    }
}
