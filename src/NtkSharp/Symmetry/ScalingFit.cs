namespace NtkSharp.Symmetry;

/// <summary>A power law y ≈ c·x^p fitted by ordinary least squares on (log x, log y).</summary>
/// <param name="Exponent">p.</param>
/// <param name="Prefactor">c.</param>
/// <param name="ExponentStandardError">The standard error of p from the regression residuals (NaN for two points).</param>
/// <param name="RSquared">The coefficient of determination of the log-log regression.</param>
public sealed record PowerLawFit(double Exponent, double Prefactor, double ExponentStandardError, double RSquared);

/// <summary>The two-term law e² ≈ a/M + b·W^(−q) of a finite ensemble's squared error (M members of width W).</summary>
/// <param name="MonteCarloCoefficient">a ≥ 0: the per-member variance (the Monte Carlo part, e ∝ M^(−1/2)).</param>
/// <param name="WidthCoefficient">b ≥ 0: the squared finite-width bias at W = 1.</param>
/// <param name="WidthExponent">q: the squared bias falls as W^(−q) (q = 2 for a bias ∝ 1/W).</param>
/// <param name="RelativeRms">The root mean square of the relative residuals (fit − e²)/e².</param>
public sealed record MonteCarloWidthFit(double MonteCarloCoefficient, double WidthCoefficient, double WidthExponent, double RelativeRms);

/// <summary>
/// Fits of how finite ensembles approach the infinite-width mean: the ensemble mean of M members of width W differs from
/// μ_t by a Monte Carlo part (independent members: variance σ²/M) and a width part (the mean over initialisations at
/// width W differs from the infinite-width mean by O(1/W) for the NTK parameterisation), so
/// E‖f̄_{M,W} − μ_t‖² ≈ σ²/M + b·W^(−q) with q ≈ 2 (Gerken &amp; Kessel, ICML 2024, §5; the 1/width correction of the
/// trained network's mean, e.g. Dyer &amp; Gur-Ari, ICLR 2020).
/// </summary>
public static class ScalingFit
{
    /// <summary>Fits y ≈ c·x^p by least squares on logarithms.</summary>
    /// <exception cref="ArgumentException">Fewer than two points, lengths differ, or a value that is not positive and finite.</exception>
    public static PowerLawFit PowerLaw(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} values but y has {y.Count}.", nameof(y));
        if (x.Count < 2) throw new ArgumentException("At least two points are needed.", nameof(x));
        for (int i = 0; i < x.Count; i++)
        {
            if (!(x[i] > 0) || !double.IsFinite(x[i])) throw new ArgumentException($"x[{i}] = {x[i]} is not positive and finite.", nameof(x));
            if (!(y[i] > 0) || !double.IsFinite(y[i])) throw new ArgumentException($"y[{i}] = {y[i]} is not positive and finite.", nameof(y));
        }
        int n = x.Count;
        var lx = x.Select(v => Math.Log(v)).ToArray();
        var ly = y.Select(v => Math.Log(v)).ToArray();
        double mx = lx.Average(), my = ly.Average(), sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            sxx += (lx[i] - mx) * (lx[i] - mx);
            sxy += (lx[i] - mx) * (ly[i] - my);
            syy += (ly[i] - my) * (ly[i] - my);
        }
        if (sxx == 0) throw new ArgumentException("All x values are equal.", nameof(x));
        double p = sxy / sxx, c = my - p * mx, ss = 0;
        for (int i = 0; i < n; i++) ss += Math.Pow(ly[i] - c - p * lx[i], 2);
        double se = n > 2 ? Math.Sqrt(ss / (n - 2) / sxx) : double.NaN;
        return new PowerLawFit(p, Math.Exp(c), se, syy == 0 ? 1 : 1 - ss / syy);
    }

    /// <summary>
    /// Fits e² ≈ a/M + b·W^(−q) with a, b ≥ 0: for every q on a grid from 0.25 to 4 in steps of 0.005, (a, b) solve the
    /// relative least-squares problem min Σ ((a/Mᵢ + b·Wᵢ^(−q)) / eᵢ² − 1)² (clamped to the non-negative quadrant by
    /// one-term fits), and the q with the smallest residual is kept.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, fewer than three points, or values that are not positive and finite.</exception>
    public static MonteCarloWidthFit MonteCarloPlusWidth(IReadOnlyList<int> members, IReadOnlyList<int> widths, IReadOnlyList<double> squaredError)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(squaredError);
        int n = squaredError.Count;
        if (members.Count != n || widths.Count != n) throw new ArgumentException("members, widths and squaredError must have the same length.", nameof(squaredError));
        if (n < 3) throw new ArgumentException("At least three points are needed.", nameof(squaredError));
        for (int i = 0; i < n; i++)
        {
            if (members[i] < 1) throw new ArgumentException($"members[{i}] = {members[i]} must be at least 1.", nameof(members));
            if (widths[i] < 1) throw new ArgumentException($"widths[{i}] = {widths[i]} must be at least 1.", nameof(widths));
            if (!(squaredError[i] > 0) || !double.IsFinite(squaredError[i])) throw new ArgumentException($"squaredError[{i}] = {squaredError[i]} is not positive and finite.", nameof(squaredError));
        }
        MonteCarloWidthFit? best = null;
        for (double q = 0.25; q <= 4.0 + 1e-12; q += 0.005)
        {
            // Columns u = 1/(M e²), v = W^(−q)/e²; target 1.
            double uu = 0, uv = 0, vv = 0, u1 = 0, v1 = 0;
            for (int i = 0; i < n; i++)
            {
                double u = 1.0 / (members[i] * squaredError[i]), v = Math.Pow(widths[i], -q) / squaredError[i];
                uu += u * u; uv += u * v; vv += v * v; u1 += u; v1 += v;
            }
            double det = uu * vv - uv * uv, a, b;
            if (det > 1e-300 * Math.Max(1, uu * vv)) { a = (u1 * vv - v1 * uv) / det; b = (v1 * uu - u1 * uv) / det; }
            else { a = double.NaN; b = double.NaN; }
            var candidates = new List<(double A, double B)>();
            if (a >= 0 && b >= 0) candidates.Add((a, b));
            candidates.Add((Math.Max(0, u1 / uu), 0));
            candidates.Add((0, Math.Max(0, v1 / vv)));
            foreach (var (ca, cb) in candidates)
            {
                double ss = 0;
                for (int i = 0; i < n; i++)
                {
                    double r = (ca / members[i] + cb * Math.Pow(widths[i], -q)) / squaredError[i] - 1;
                    ss += r * r;
                }
                double rms = Math.Sqrt(ss / n);
                if (best is null || rms < best.RelativeRms) best = new MonteCarloWidthFit(ca, cb, q, rms);
            }
        }
        return best!;
    }
}
