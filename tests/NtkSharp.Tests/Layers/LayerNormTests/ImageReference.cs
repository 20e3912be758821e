using NtkSharp.Tests.Kernels.Duals;

namespace NtkSharp.Tests.Layers.LayerNormTests;

/// <summary>
/// An independent reference for the kernels of 1×1-convolutional networks on two images: the covariances between all
/// pairs of positions (K₁₁, K₁₂, K₂₂ and Θ as P×P arrays) and the feature means of each position, propagated with the
/// textbook formulas (a 1×1 convolution is a Dense layer at every position; nonlinearities by quadrature; pooling as
/// window averages over both positions of a pair; LayerNorm per pair of positions), and the readouts (Flatten, global
/// average pooling) handing over to <see cref="VectorReference"/>. Shares no code with the engines.
/// </summary>
internal sealed class ImageReference
{
    private ImageReference(int h, int w, double[][,] k, double[][,] t, double[][] m)
    {
        H = h;
        W = w;
        K = k;
        T = t;
        M = m;
    }

    public int H { get; }

    public int W { get; }

    private int P => H * W;

    /// <summary>K[0] = K(x1, x1), K[1] = K(x1, x2), K[2] = K(x2, x2), each [p, p′].</summary>
    private double[][,] K { get; }

    private double[][,] T { get; }

    /// <summary>M[a][p]: the feature mean of example a at position p.</summary>
    private double[][] M { get; }

    private static (int A, int B) Pair(int which) => which switch { 0 => (0, 0), 1 => (0, 1), _ => (1, 1) };

    /// <summary>Row-major (H, W, C) images.</summary>
    public static ImageReference Input(double[] x1, double[] x2, int h, int w, int c)
    {
        var xs = new[] { x1, x2 };
        int p = h * w;
        var k = new double[3][,];
        for (int which = 0; which < 3; which++)
        {
            var (a, b) = Pair(which);
            k[which] = new double[p, p];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    double s = 0;
                    for (int ch = 0; ch < c; ch++) s += xs[a][i * c + ch] * xs[b][j * c + ch];
                    k[which][i, j] = s / c;
                }
            }
        }
        var m = xs.Select(x => Enumerable.Range(0, p).Select(i => Enumerable.Range(0, c).Average(ch => x[i * c + ch])).ToArray()).ToArray();
        return new(h, w, k, [new double[p, p], new double[p, p], new double[p, p]], m);
    }

    private ImageReference Map(Func<int, int, int, double> k, Func<int, int, int, double> t, Func<int, int, double> m) =>
        new(H, W,
            [.. Enumerable.Range(0, 3).Select(which => Grid((i, j) => k(which, i, j)))],
            [.. Enumerable.Range(0, 3).Select(which => Grid((i, j) => t(which, i, j)))],
            [.. Enumerable.Range(0, 2).Select(a => Enumerable.Range(0, P).Select(i => m(a, i)).ToArray())]);

    private double[,] Grid(Func<int, int, double> f)
    {
        var g = new double[P, P];
        for (int i = 0; i < P; i++)
        {
            for (int j = 0; j < P; j++) g[i, j] = f(i, j);
        }
        return g;
    }

    /// <summary>A 1×1 convolution: Dense at every position (fan-in C for the standard parameterisation).</summary>
    public ImageReference Conv1x1(double wStd, double bStd = 0, bool standard = false, int fanIn = 0)
    {
        double w2 = wStd * wStd, b2 = bStd * bStd, bias = bStd > 0 ? 1 : 0;
        return Map((q, i, j) => w2 * K[q][i, j] + b2,
            (q, i, j) => standard ? fanIn * K[q][i, j] + bias + w2 * T[q][i, j] : w2 * K[q][i, j] + b2 + w2 * T[q][i, j],
            (_, _) => 0);
    }

    /// <summary>The nonlinearity's dual per pair of positions (quadrature; the polar rule for homogeneous φ).</summary>
    public ImageReference Phi(Func<double, double> f, Func<double, double> df, int? degree = null)
    {
        double E(Func<double, double> g, int n, double c11, double c12, double c22) =>
            degree is not null ? DualReference.Homogeneous(g, g, n, c11, c12, c22) : DualReference.Pair(g, g, c11, c12, c22);
        int nf = degree ?? 0, nd = Math.Max(0, nf - 1);
        double V(int a, int i) => K[a == 0 ? 0 : 2][i, i];
        return Map((q, i, j) => E(f, nf, V(Pair(q).A, i), K[q][i, j], V(Pair(q).B, j)),
            (q, i, j) => T[q][i, j] * E(df, nd, V(Pair(q).A, i), K[q][i, j], V(Pair(q).B, j)),
            (a, i) => DualReference.Mean(f, V(a, i)));
    }

    /// <summary>A nonlinearity given by its dual T(c₁₁, c₁₂, c₂₂), Ṫ and mean E[φ(u)] (a closed form the test states).</summary>
    public ImageReference Phi(Func<double, double, double, double> t, Func<double, double, double, double> tDot, Func<double, double> mean)
    {
        double V(int a, int i) => K[a == 0 ? 0 : 2][i, i];
        return Map((q, i, j) => t(V(Pair(q).A, i), K[q][i, j], V(Pair(q).B, j)),
            (q, i, j) => T[q][i, j] * tDot(V(Pair(q).A, i), K[q][i, j], V(Pair(q).B, j)),
            (a, i) => mean(V(a, i)));
    }

    /// <summary>LayerNorm over the channels at each position.</summary>
    public ImageReference LayerNorm(double eps = 1e-12)
    {
        double S(int a, int i) => Math.Sqrt(K[a == 0 ? 0 : 2][i, i] - M[a][i] * M[a][i] + eps);
        return Map((q, i, j) => (K[q][i, j] - M[Pair(q).A][i] * M[Pair(q).B][j]) / (S(Pair(q).A, i) * S(Pair(q).B, j)),
            (q, i, j) => T[q][i, j] / (S(Pair(q).A, i) * S(Pair(q).B, j)),
            (_, _) => 0);
    }

    /// <summary>AvgPool with a (wh, ww) window, stride 1, no padding.</summary>
    public ImageReference AvgPool(int wh, int ww)
    {
        int ho = H - wh + 1, wo = W - ww + 1, po = ho * wo;
        IEnumerable<int> Window(int o)
        {
            int a = o / wo, b = o % wo;
            for (int da = 0; da < wh; da++)
            {
                for (int db = 0; db < ww; db++) yield return (a + da) * W + b + db;
            }
        }
        double Pool(double[,] x, int o1, int o2) => Window(o1).Sum(i => Window(o2).Sum(j => x[i, j])) / (wh * ww * wh * ww);
        var k = new double[3][,];
        var t = new double[3][,];
        for (int q = 0; q < 3; q++)
        {
            k[q] = new double[po, po];
            t[q] = new double[po, po];
            for (int o1 = 0; o1 < po; o1++)
            {
                for (int o2 = 0; o2 < po; o2++)
                {
                    k[q][o1, o2] = Pool(K[q], o1, o2);
                    t[q][o1, o2] = Pool(T[q], o1, o2);
                }
            }
        }
        var m = M.Select(ma => Enumerable.Range(0, po).Select(o => Window(o).Average(i => ma[i])).ToArray()).ToArray();
        return new(ho, wo, k, t, m);
    }

    /// <summary>Flatten: the vector of all P·C features; K the mean over the spatial diagonal, the mean over positions.</summary>
    public VectorReference Flatten()
    {
        double D(double[,] x) => Enumerable.Range(0, P).Average(i => x[i, i]);
        return new(D(K[0]), D(K[1]), D(K[2]), D(T[0]), D(T[1]), D(T[2]), M[0].Average(), M[1].Average());
    }

    /// <summary>GlobalAvgPool: the mean over all pairs of positions.</summary>
    public VectorReference GlobalAvgPool()
    {
        double G(double[,] x) => x.Cast<double>().Average();
        return new(G(K[0]), G(K[1]), G(K[2]), G(T[0]), G(T[1]), G(T[2]), M[0].Average(), M[1].Average());
    }
}
