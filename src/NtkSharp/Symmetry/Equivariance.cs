using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>
/// Measures the equivariance of any predictor — a finite network, an ensemble mean, or the analytic infinite-width
/// mean — on test inputs (training points, off-manifold noise, other data sets).
/// </summary>
/// <remarks>
/// The predictor is called once on the whole orbit {ρ_X(g)xᵢ} (|G|·N inputs, element-major, see
/// <see cref="SymmetryGroup.OrbitInputs(Tensor)"/>) and the metrics of <see cref="EquivarianceReport"/> are computed from
/// those predictions. Gerken &amp; Kessel (ICML 2024) show that for deep ensembles trained on fully augmented data the
/// infinite-width mean is exactly equivariant at every training time, on and off the data manifold.
/// </remarks>
public static class Equivariance
{
    /// <summary>Measures one predictor mapping an input batch (N examples) to outputs (N×K).</summary>
    /// <exception cref="ArgumentException">The inputs do not fit the group, or the predictor returns the wrong shape or
    /// non-finite values.</exception>
    public static EquivarianceReport Measure(Func<Tensor, Matrix<double>> predictor, SymmetryGroup group, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        return Measure(t => [predictor(t)], [double.NaN], group, x)[0];
    }

    /// <summary>Measures a predictor that returns outputs at several times (one N×K matrix per time, e.g.
    /// <see cref="AugmentedMean.AtTimes"/>); one report per time.</summary>
    /// <exception cref="ArgumentException">The inputs do not fit the group, or the predictor returns the wrong number of
    /// matrices, the wrong shape, or non-finite values.</exception>
    public static IReadOnlyList<EquivarianceReport> Measure(Func<Tensor, IReadOnlyList<Matrix<double>>> predictor,
        IReadOnlyList<double> times, SymmetryGroup group, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(x);
        x.EnsureFinite(nameof(x));
        group.CheckInputs(x, nameof(x));
        var orbit = group.OrbitInputs(x);
        var preds = predictor(orbit) ?? throw new ArgumentException("The predictor returned null.", nameof(predictor));
        if (preds.Count != times.Count) throw new ArgumentException($"The predictor returned {preds.Count} matrices for {times.Count} times.", nameof(predictor));
        return preds.Select((p, i) => FromOrbitPredictions(group, p, x.Count, times[i])).ToArray();
    }

    /// <summary>The metrics from predictions on the orbit (|G|·N rows, row g·N + i holding f(ρ_X(g)xᵢ)).</summary>
    /// <exception cref="ArgumentException">Wrong shape or non-finite values.</exception>
    public static EquivarianceReport FromOrbitPredictions(SymmetryGroup group, Matrix<double> orbitPredictions, int inputCount, double time = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(orbitPredictions);
        int order = group.Order, n = inputCount, k = orbitPredictions.ColumnCount;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "At least one input is needed.");
        if (orbitPredictions.RowCount != order * n)
            throw new ArgumentException($"Expected {order}·{n} = {order * n} orbit predictions; got {orbitPredictions.RowCount} rows.", nameof(orbitPredictions));
        if (orbitPredictions.Enumerate().Any(v => !double.IsFinite(v))) throw new ArgumentException("The predictions contain a non-finite value.", nameof(orbitPredictions));
        group.CheckOutputs(k, nameof(orbitPredictions));

        var rel = new double[n, order];
        var same = k >= 2 ? new int[n] : null;
        var spread = new double[n];
        var kl = k >= 2 ? new double[n, order] : null;
        double maxRel = 0, sumRel = 0, maxAbs = 0, maxKl = 0, sumKl = 0;
        var fx = new double[k];
        var rfx = new double[k];
        var a = new double[k];
        var z = new double[order, k];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++) fx[c] = orbitPredictions[group.Identity * n + i, c];
            double norm = Norm(fx);
            int count = 0;
            for (int g = 0; g < order; g++)
            {
                ApplyOutput(group, g, fx, rfx);
                for (int c = 0; c < k; c++) a[c] = orbitPredictions[g * n + i, c];
                double diff = 0;
                for (int c = 0; c < k; c++) diff += (a[c] - rfx[c]) * (a[c] - rfx[c]);
                diff = Math.Sqrt(diff);
                double r = diff == 0 ? 0 : norm == 0 ? double.PositiveInfinity : diff / norm;
                rel[i, g] = r;
                maxRel = Math.Max(maxRel, r);
                maxAbs = Math.Max(maxAbs, diff);
                if (g != group.Identity) sumRel += r;
                if (same is not null && ArgMax(a) == ArgMax(rfx)) count++;
                if (kl is not null)
                {
                    double dkl = SymmetrizedKl(rfx, a);
                    kl[i, g] = dkl;
                    maxKl = Math.Max(maxKl, dkl);
                    if (g != group.Identity) sumKl += dkl;
                }
                // z_g = ρ_Y(g⁻¹) f(ρ_X(g)x)
                ApplyOutput(group, group.Inverse(g), a, rfx);
                for (int c = 0; c < k; c++) z[g, c] = rfx[c];
            }
            if (same is not null) same[i] = count;
            var mean = new double[k];
            for (int g = 0; g < order; g++)
            {
                for (int c = 0; c < k; c++) mean[c] += z[g, c] / order;
            }
            double var_ = 0;
            for (int g = 0; g < order; g++)
            {
                for (int c = 0; c < k; c++) var_ += (z[g, c] - mean[c]) * (z[g, c] - mean[c]) / order;
            }
            double sd = Math.Sqrt(var_), mn = Norm(mean);
            spread[i] = sd == 0 ? 0 : mn == 0 ? double.PositiveInfinity : sd / mn;
        }
        return new EquivarianceReport
        {
            Time = time,
            GroupOrder = order,
            InputCount = n,
            MaxRelativeError = maxRel,
            MeanRelativeError = order > 1 ? sumRel / (n * (order - 1)) : 0,
            MaxAbsoluteError = maxAbs,
            RelativeErrors = rel,
            OrbitSameCounts = same,
            OrbitRelativeStd = spread,
            SymmetrizedKl = kl,
            MeanSymmetrizedKl = kl is null ? double.NaN : order > 1 ? sumKl / (n * (order - 1)) : 0,
            MaxSymmetrizedKl = kl is null ? double.NaN : maxKl,
        };
    }

    private static void ApplyOutput(SymmetryGroup group, int g, double[] x, double[] y)
    {
        if (group.OutputActions is null)
        {
            Array.Copy(x, y, x.Length);
            return;
        }
        group.OutputActions[g].ApplyCore(x, y);
    }

    /// <summary>KL(p‖q) + KL(q‖p) = Σ_c (p_c − q_c)(log p_c − log q_c) for p = softmax(u), q = softmax(v), with
    /// log-softmax computed stably (log p = u − max u − log Σ e^{u − max u}); exactly 0 when u = v.</summary>
    internal static double SymmetrizedKl(double[] u, double[] v)
    {
        var lp = LogSoftmax(u);
        var lq = LogSoftmax(v);
        double d = 0;
        for (int c = 0; c < u.Length; c++) d += (Math.Exp(lp[c]) - Math.Exp(lq[c])) * (lp[c] - lq[c]);
        return Math.Max(d, 0);
    }

    private static double[] LogSoftmax(double[] u)
    {
        double max = u.Max(), s = 0;
        foreach (double e in u) s += Math.Exp(e - max);
        double log = max + Math.Log(s);
        return u.Select(e => e - log).ToArray();
    }

    private static double Norm(double[] v)
    {
        double s = 0;
        foreach (double e in v) s += e * e;
        return Math.Sqrt(s);
    }

    private static int ArgMax(double[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best]) best = i;
        }
        return best;
    }
}
