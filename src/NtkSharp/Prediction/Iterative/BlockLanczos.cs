using MathNet.Numerics.LinearAlgebra.Double;
using NtkSharp.LinearAlgebra;
using NtkSharp.LinearAlgebra.Native;

namespace NtkSharp.Prediction.Iterative;

/// <summary>
/// f(K)·R for several spectral functions f at once from one block Lanczos process with full reorthogonalisation
/// (the Krylov subspace approximation of matrix functions, e.g. Golub &amp; Meurant, "Matrices, Moments and
/// Quadrature with Applications", 2010; Gallopoulos &amp; Saad 1992): with R = Q₁B₀ and the block tridiagonal
/// T_m = Q_mᵀ K Q_m = S diag(θ) Sᵀ, f(K)·R ≈ Q_m S f(θ) Sᵀ E₁ B₀.
/// </summary>
/// <remarks>
/// <para>For f = 1/λ (t = ∞) this is block conjugate gradients; for the discrete-step functions (a polynomial of
/// degree k − 1) it is exact after k iterations; for finite t the entire function (1 − e^{−cλ})/λ converges like
/// the polynomial approximation of e^{−cλ} on [0, λ_max].</para>
/// <para>Ritz values |θ| ≤ ε_λ·max|θ| are set to 0 exactly as the eigen route clamps eigenvalues (pseudo-inverse at
/// t = ∞); θ &lt; −ε_λ·max|θ| means an indefinite kernel (error). Deflation: a new block column whose norm after
/// reorthogonalisation is below 10·ε·√N·‖K‖ is set to zero (its Krylov sequence is invariant); when all are, the
/// space is invariant and the result exact.</para>
/// <para>Error estimate at geometrically spaced checkpoints m (×1.25): the coefficient blocks c_t(m) in the Krylov
/// basis against those of the previous checkpoint, in the T_m-norm (= the K-norm of the difference of α_t, since
/// Q_m is orthonormal and T_m = Q_mᵀKQ_m), relative to ‖c_t(m)‖_T. By Cauchy–Schwarz in the kernel's RKHS a test
/// mean changes by at most √K(x,x) times that norm.</para>
/// </remarks>
internal static unsafe class BlockLanczos
{
    public sealed record Result(double[] Alphas, int Iterations, int Dimension, double Estimate, double MaxRitz, bool Exact);

    /// <summary>Computes α_s = f_s(K)·R (N×b, column-major) for every schedule s, concatenated (N×(S·b)).</summary>
    public static Result Solve(IKernelOperator op, double[] r, int b, Schedule[] schedules, double h,
        double relativeEigenTolerance, double tolerance, int maxDimension, string kernelName,
        IProgress<IterativeProgress>? progress, CancellationToken cancellationToken)
    {
        int n = op.Order, ns = schedules.Length;
        int maxBlocks = Math.Max(1, Math.Min(maxDimension, n) / b);
        if (maxBlocks * b < Math.Min(maxDimension, n) || maxBlocks == 0) maxBlocks++;
        int dimCap = maxBlocks * b;
        long nl = n;
        var q = LargeArrays.Allocate(nl * (dimCap + b));
        var t = new double[(long)dimCap * dimCap];
        var w = LargeArrays.Allocate(nl * b);
        var a = new double[b * b];
        var bPrev = new double[b * b];
        var b0 = new double[b * b];
        var coefficients = new double[(long)ns * dimCap * b];
        var previous = new double[ns][];
        var provider = Backend.Provider;
        double deflation = 10 * Math.Pow(2, -52) * Math.Sqrt(n);
        int iterations = 0, dimension = 0, nextCheck = 1;
        double estimate = double.PositiveInfinity, maxRitz = 0;
        bool exact = false, converged = false;

        fixed (double* pq = q, pw = w, pr = r, pa = a, pbPrev = bPrev)
        {
            double rScale = 0;
            for (int c = 0; c < b; c++) rScale = Math.Max(rScale, Norm(pr + c * nl, n));
            if (rScale == 0) return new Result(new double[nl * b * ns], 0, 0, 0, 0, true);
            Buffer.MemoryCopy(pr, pq, nl * b * 8, nl * b * 8);
            Orthonormalize(pq, pq, n, b, b0, deflation * rScale);
            double kScale = 0;
            for (int j = 0; j < maxBlocks; j++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double* qj = pq + j * nl * b;
                op.Multiply(qj, b, pw, cancellationToken);
                for (int c = 0; c < b; c++) kScale = Math.Max(kScale, Norm(pw + c * nl, n));
                if (j > 0) provider.Gemm(false, true, n, b, b, -1.0, qj - nl * b, n, pbPrev, b, 1.0, pw, n);
                provider.Gemm(true, false, b, b, n, 1.0, qj, n, pw, n, 0.0, pa, b);
                for (int c = 0; c < b; c++)
                {
                    for (int i = c + 1; i < b; i++) a[i + c * b] = a[c + i * b] = 0.5 * (a[i + c * b] + a[c + i * b]);
                }
                provider.Gemm(false, false, n, b, b, -1.0, qj, n, pa, b, 1.0, pw, n);
                int m = j + 1, d = m * b;
                for (int c = 0; c < b; c++)
                {
                    for (int i = 0; i < b; i++) t[(long)(j * b + i) + (long)(j * b + c) * dimCap] = a[i + c * b];
                }
                // Full reorthogonalisation against every basis block, twice ("twice is enough", Parlett).
                var proj = new double[(long)d * b];
                fixed (double* pp = proj)
                {
                    for (int pass = 0; pass < 2; pass++)
                    {
                        provider.Gemm(true, false, d, b, n, 1.0, pq, n, pw, n, 0.0, pp, d);
                        provider.Gemm(false, false, n, b, d, -1.0, pq, n, pp, d, 1.0, pw, n);
                    }
                }
                bool invariant = Orthonormalize(pw, pq + (long)m * nl * b, n, b, bPrev, deflation * kScale);
                if (m < maxBlocks)
                {
                    for (int c = 0; c < b; c++)
                    {
                        for (int i = 0; i < b; i++)
                        {
                            double v = bPrev[i + c * b];
                            t[(long)(m * b + i) + (long)(j * b + c) * dimCap] = v;
                            t[(long)(j * b + c) + (long)(m * b + i) * dimCap] = v;
                        }
                    }
                }
                iterations = m;
                dimension = d;
                exact = invariant;
                bool last = m == maxBlocks;
                if (exact || last || m >= nextCheck)
                {
                    estimate = Checkpoint(provider, t, dimCap, d, b, b0, schedules, h, relativeEigenTolerance, n,
                        kernelName, coefficients, previous, out maxRitz);
                    nextCheck = Math.Max(m + 1, (int)Math.Ceiling(m * 1.25));
                    if (exact) estimate = 0;
                    converged = exact || estimate <= tolerance;
                }
                progress?.Report(new IterativeProgress(m, d, estimate));
                if (converged) break;
                if (last)
                    throw new IterativeConvergenceException(
                        $"The iterative predictor did not converge: after {m} block Lanczos iterations (Krylov dimension {d}, the limit) the estimated relative error is {estimate:G3} > tolerance {tolerance:G3}. The kernel is too ill-conditioned for the requested times; add a diagonal regularisation, raise the iteration limit or the tolerance, or use the eigen solver.",
                        m, estimate);
            }

            var alphas = LargeArrays.Allocate(nl * b * ns);
            fixed (double* pc = coefficients, pal = alphas)
            {
                for (int s = 0; s < ns; s++)
                    provider.Gemm(false, false, n, b, dimension, 1.0, pq, n, pc + (long)s * dimCap * b, dimension, 0.0, pal + s * nl * b, n);
            }
            return new Result(alphas, iterations, CountNonzeroColumns(q, n, dimension), estimate, maxRitz, exact);
        }
    }

    /// <summary>Eigen-decomposes T_d, forms each schedule's coefficient block c_s = S f_s(θ) Sᵀ E₁B₀ (d×b, stored
    /// with leading dimension d at s·dimCap·b in <paramref name="coefficients"/>) and returns the largest relative
    /// T-norm change against <paramref name="previous"/> (then updated).</summary>
    private static double Checkpoint(DenseProvider provider, double[] t, int dimCap, int d, int b, double[] b0,
        Schedule[] schedules, double h, double relativeEigenTolerance, int n, string kernelName, double[] coefficients,
        double[]?[] previous, out double maxRitz)
    {
        var td = new double[(long)d * d];
        for (int c = 0; c < d; c++) Array.Copy(t, (long)c * dimCap, td, (long)c * d, d);
        var eig = SymmetricEigen.ComputeTrusted(provider, new DenseMatrix(d, d, td));
        var theta = eig.EigenValues.ToArray();
        var s = MatrixChecks.Dense(eig.EigenVectors);
        double max = 0;
        foreach (double v in theta) max = Math.Max(max, Math.Abs(v));
        maxRitz = max;
        double tau = relativeEigenTolerance * max;
        for (int i = 0; i < d; i++)
        {
            if (theta[i] < -tau)
                throw new ArgumentException($"{kernelName} is not positive semi-definite: the iterative predictor found a Ritz value {theta[i]:G6} (largest {max:G6}; tolerance {tau:G3}). Add a diagonal regularisation or raise the eigenvalue tolerance.", kernelName);
            if (theta[i] <= tau) theta[i] = 0;
        }
        // g = Sᵀ E₁ B₀ (d×b): only the first b rows of E₁B₀ are non-zero.
        var g = new double[(long)d * b];
        for (int c = 0; c < b; c++)
        {
            for (int i = 0; i < d; i++)
            {
                double sum = 0;
                for (int r = 0; r <= c; r++) sum += s[r + (long)i * d] * b0[r + c * b];
                g[i + (long)c * d] = sum;
            }
        }
        double worst = 0;
        var scaled = new double[(long)d * b];
        var diff = new double[(long)d * b];
        var diffEig = new double[(long)d * b];
        for (int k = 0; k < schedules.Length; k++)
        {
            double norm2 = 0;
            for (int i = 0; i < d; i++)
            {
                double phi = schedules[k].Phi(theta[i], h);
                for (int c = 0; c < b; c++)
                {
                    double v = phi * g[i + (long)c * d];
                    scaled[i + (long)c * d] = v;
                    norm2 += theta[i] * v * v;
                }
            }
            var coef = new double[(long)d * b];
            fixed (double* ps = s, psc = scaled, pc = coef) provider.Gemm(false, false, d, b, d, 1.0, ps, d, psc, d, 0.0, pc, d);
            Array.Copy(coef, 0, coefficients, (long)k * dimCap * b, coef.Length);
            var prev = previous[k];
            previous[k] = coef;
            if (prev is null)
            {
                worst = double.PositiveInfinity;
                continue;
            }
            int dp = prev.Length / b;
            double euclid = 0, euclidDiff = 0;
            for (int c = 0; c < b; c++)
            {
                for (int i = 0; i < d; i++)
                {
                    double v = coef[i + (long)c * d] - (i < dp ? prev[i + (long)c * dp] : 0);
                    diff[i + (long)c * d] = v;
                    euclidDiff += v * v;
                    euclid += coef[i + (long)c * d] * coef[i + (long)c * d];
                }
            }
            fixed (double* ps = s, pd = diff, pde = diffEig) provider.Gemm(true, false, d, b, d, 1.0, ps, d, pd, d, 0.0, pde, d);
            double diff2 = 0;
            for (int c = 0; c < b; c++)
            {
                for (int i = 0; i < d; i++) diff2 += theta[i] * diffEig[i + (long)c * d] * diffEig[i + (long)c * d];
            }
            double rel = norm2 > 0 ? Math.Sqrt(Math.Max(diff2, 0) / norm2)
                : euclid > 0 ? Math.Sqrt(euclidDiff / euclid) : Math.Sqrt(euclidDiff);
            worst = Math.Max(worst, rel);
        }
        return worst;
    }

    /// <summary>Modified Gram–Schmidt (two passes) of the n×b block <paramref name="src"/> into
    /// <paramref name="dst"/> (may alias) with R in <paramref name="r"/> (b×b, upper); a column whose remaining norm
    /// is at most <paramref name="threshold"/> becomes zero (deflated). Returns true when every column deflated.</summary>
    private static bool Orthonormalize(double* src, double* dst, int n, int b, double[] r, double threshold)
    {
        Array.Clear(r);
        long nl = n;
        bool all = true;
        for (int c = 0; c < b; c++)
        {
            double* v = dst + c * nl;
            if (src != dst) Buffer.MemoryCopy(src + c * nl, v, nl * 8, nl * 8);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int c2 = 0; c2 < c; c2++)
                {
                    double* u = dst + c2 * nl;
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += u[i] * v[i];
                    if (dot == 0) continue;
                    for (int i = 0; i < n; i++) v[i] -= dot * u[i];
                    r[c2 + c * b] += dot;
                }
            }
            double norm = Norm(v, n);
            if (norm <= threshold || norm == 0)
            {
                for (int i = 0; i < n; i++) v[i] = 0;
                continue;
            }
            all = false;
            r[c + c * b] = norm;
            double inv = 1 / norm;
            for (int i = 0; i < n; i++) v[i] *= inv;
        }
        return all;
    }

    private static double Norm(double* v, int n)
    {
        double scale = 0, sum = 1;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Abs(v[i]);
            if (x == 0) continue;
            if (x > scale)
            {
                sum = 1 + sum * (scale / x) * (scale / x);
                scale = x;
            }
            else sum += (x / scale) * (x / scale);
        }
        return scale * Math.Sqrt(sum);
    }

    private static int CountNonzeroColumns(double[] q, int n, int d)
    {
        int count = 0;
        for (int c = 0; c < d; c++)
        {
            long o = (long)c * n;
            for (int i = 0; i < n; i++)
            {
                if (q[o + i] != 0)
                {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    /// <summary>λ_max of the operator: single-vector Lanczos with full reorthogonalisation from a fixed
    /// pseudo-random start, until the top Ritz value changes by at most 1e-14 relative twice in a row (or the space
    /// is invariant, or 300 steps).</summary>
    public static double LargestEigenvalue(IKernelOperator op, CancellationToken cancellationToken)
    {
        int n = op.Order, cap = Math.Min(n, 300);
        var q = new double[(long)n * (cap + 1)];
        var w = new double[n];
        var alpha = new List<double>();
        var beta = new List<double>();
        var rng = new Random(12345);
        for (int i = 0; i < n; i++) q[i] = 1 + 0.5 * rng.NextDouble();
        double nrm = 0;
        for (int i = 0; i < n; i++) nrm += q[i] * q[i];
        nrm = Math.Sqrt(nrm);
        for (int i = 0; i < n; i++) q[i] /= nrm;
        double last = double.NaN;
        int stable = 0;
        fixed (double* pq = q, pw = w)
        {
            for (int j = 0; j < cap; j++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                op.Multiply(pq + (long)j * n, 1, pw, cancellationToken);
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int c = 0; c <= j; c++)
                    {
                        double* u = pq + (long)c * n;
                        double dot = 0;
                        for (int i = 0; i < n; i++) dot += u[i] * pw[i];
                        for (int i = 0; i < n; i++) pw[i] -= dot * u[i];
                        if (pass == 0 && c == j) alpha.Add(dot);
                        else if (pass == 1 && c == j) alpha[j] += dot;
                    }
                }
                double b = Norm(pw, n);
                int d = j + 1;
                var tri = new double[d * d];
                for (int i = 0; i < d; i++)
                {
                    tri[i + i * d] = alpha[i];
                    if (i + 1 < d) tri[i + 1 + i * d] = tri[i + (i + 1) * d] = beta[i];
                }
                double top = SymmetricEigen.ComputeTrusted(Backend.Provider, new DenseMatrix(d, d, tri)).EigenValues[d - 1];
                stable = Math.Abs(top - last) <= 1e-14 * Math.Abs(top) ? stable + 1 : 0;
                last = top;
                if (stable >= 2 || b <= 10 * Math.Pow(2, -52) * Math.Sqrt(n) * Math.Abs(top) || j + 1 == cap) return top;
                beta.Add(b);
                double* next = pq + (long)(j + 1) * n;
                for (int i = 0; i < n; i++) next[i] = pw[i] / b;
            }
        }
        return last;
    }
}
