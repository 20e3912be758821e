using NtkSharp.Tests.Kernels.Duals;

namespace NtkSharp.Tests.Layers.LayerNormTests;

/// <summary>
/// An independent reference for the kernels of a fully-connected network on two inputs: the 2×2 NNGP and NTK and the
/// feature means, propagated layer by layer with the textbook formulas (Dense: Lee et al. 2018, Jacot et al. 2018,
/// Sohl-Dickstein et al. 2020; nonlinearities by two-dimensional quadrature, <see cref="DualReference"/>; LayerNorm by
/// the mean-subtracted normalisation written out). Shares no code with the engines.
/// </summary>
internal sealed record VectorReference(double K11, double K12, double K22, double T11, double T12, double T22, double M1, double M2)
{
    public static VectorReference Input(double[] x1, double[] x2)
    {
        int d = x1.Length;
        double Dot(double[] a, double[] b) => a.Zip(b, (u, v) => u * v).Sum() / d;
        return new(Dot(x1, x1), Dot(x1, x2), Dot(x2, x2), 0, 0, 0, x1.Average(), x2.Average());
    }

    /// <summary>K′ = σ_w²K + σ_b²; Θ′ = K′ + σ_w²Θ (NTK) or n·K + [σ_b &gt; 0] + σ_w²Θ (standard, fan-in n); mean 0.</summary>
    public VectorReference Dense(double wStd, double bStd = 0, bool standard = false, int fanIn = 0)
    {
        double w2 = wStd * wStd, b2 = bStd * bStd, bias = bStd > 0 ? 1 : 0;
        double K(double k) => w2 * k + b2;
        double T(double k, double t) => standard ? fanIn * k + bias + w2 * t : K(k) + w2 * t;
        return new(K(K11), K(K12), K(K22), T(K11, T11), T(K12, T12), T(K22, T22), 0, 0);
    }

    /// <summary>T = E[φ(u)φ(v)], Ṫ = E[φ′(u)φ′(v)] by quadrature (the polar rule for degree-1 homogeneous φ such as
    /// ReLU); mean E[φ(u)].</summary>
    public VectorReference Phi(Func<double, double> f, Func<double, double> df, int? degree = null)
    {
        double P(Func<double, double> g, int n, double a, double b, double c) =>
            degree is not null ? DualReference.Homogeneous(g, g, n, a, b, c) : DualReference.Pair(g, g, a, b, c);
        int nf = degree ?? 0, nd = Math.Max(0, nf - 1);
        return new(P(f, nf, K11, K11, K11), P(f, nf, K11, K12, K22), P(f, nf, K22, K22, K22),
            T11 * P(df, nd, K11, K11, K11), T12 * P(df, nd, K11, K12, K22), T22 * P(df, nd, K22, K22, K22),
            DualReference.Mean(f, K11), DualReference.Mean(f, K22));
    }

    /// <summary>LayerNorm: (K − μμ′)/(ss′), Θ/(ss′), s² = K(x, x) − μ² + ε; mean 0.</summary>
    public VectorReference LayerNorm(double eps = 1e-12)
    {
        double s1 = Math.Sqrt(K11 - M1 * M1 + eps), s2 = Math.Sqrt(K22 - M2 * M2 + eps);
        return new((K11 - M1 * M1) / (s1 * s1), (K12 - M1 * M2) / (s1 * s2), (K22 - M2 * M2) / (s2 * s2),
            T11 / (s1 * s1), T12 / (s1 * s2), T22 / (s2 * s2), 0, 0);
    }

    /// <summary>Dropout in neural-tangents' train mode (keep probability <paramref name="rate"/>): the same example's
    /// K and Θ times 1/rate, two different examples unchanged; means unchanged.</summary>
    public VectorReference Dropout(double rate) => this with { K11 = K11 / rate, K22 = K22 / rate, T11 = T11 / rate, T22 = T22 / rate };

    /// <summary>FanInSum of two uncorrelated branches.</summary>
    public VectorReference Plus(VectorReference o) =>
        new(K11 + o.K11, K12 + o.K12, K22 + o.K22, T11 + o.T11, T12 + o.T12, T22 + o.T22, M1 + o.M1, M2 + o.M2);
}
