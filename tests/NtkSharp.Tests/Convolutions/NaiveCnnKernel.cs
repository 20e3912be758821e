using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Tests.Convolutions;

/// <summary>
/// A deliberately naive reference for the infinite-width kernels of serial CNNs: the full P×P covariances of one pair,
/// every layer written directly from its definition (Novak et al. 2019; neural-tangents' conventions) with explicit
/// loops over positions and window offsets, no separability, no layouts, no SIMD. Only for small images.
/// </summary>
internal static class NaiveCnnKernel
{
    private sealed class State
    {
        public required int H;
        public required int W;
        public required double C;
        public required double[,] K12;
        public required double[,] T12;
        public required double[,] K11;
        public required double[,] K22;
        public bool Spatial = true;
    }

    /// <summary>(K, Θ) of a <see cref="Serial"/> network for two examples of shape (H, W, C).</summary>
    public static (double Nngp, double Ntk) Pair(Serial net, double[] x1, double[] x2, int h, int w, int c)
    {
        int p = h * w;
        var s = new State
        {
            H = h, W = w, C = c,
            K12 = Input(x1, x2, p, c), T12 = new double[p, p], K11 = Input(x1, x1, p, c), K22 = Input(x2, x2, p, c),
        };
        foreach (var layer in net.Layers) Apply(layer, s);
        return (s.K12[0, 0], s.T12[0, 0]);
    }

    private static double[,] Input(double[] a, double[] b, int p, int c)
    {
        var k = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double acc = 0;
                for (int q = 0; q < c; q++) acc += a[i * c + q] * b[j * c + q];
                k[i, j] = acc / c;
            }
        }
        return k;
    }

    private static int Src(int o, int d, int n, int f, int s, Padding pad)
    {
        int lo = 0;
        if (pad != Padding.Valid)
        {
            int outLen = (n + s - 1) / s;
            lo = Math.Max(0, (outLen - 1) * s + f - n) / 2;
        }
        int i = o * s + d - lo;
        if (pad == Padding.Circular) return ((i % n) + n) % n;
        return i >= 0 && i < n ? i : -1;
    }

    private static int OutLen(int n, int f, int s, Padding pad) => pad == Padding.Valid ? (n - f) / s + 1 : (n + s - 1) / s;

    private static void Apply(Layer layer, State st)
    {
        switch (layer)
        {
            case Dense d:
            {
                double w2 = d.WStd * d.WStd, b2 = d.BStd * d.BStd;
                Map(st.T12, st.K12, (t, k) => d.Parameterization == Parameterization.Ntk ? w2 * t + w2 * k + b2 : w2 * t + st.C * k + (d.HasBias ? 1 : 0));
                foreach (var m in new[] { st.K12, st.K11, st.K22 }) Map(m, m, (k, _) => w2 * k + b2);
                st.C = d.Width;
                break;
            }
            case Conv cv:
            {
                var (fh, fw) = cv.Filter;
                var (sh, sw) = cv.Strides;
                int ho = OutLen(st.H, fh, sh, cv.Padding), wo = OutLen(st.W, fw, sw, cv.Padding);
                double w2 = cv.WStd * cv.WStd, b2 = cv.BStd * cv.BStd;
                double[,] Win(double[,] m)
                {
                    var o = new double[ho * wo, ho * wo];
                    for (int a = 0; a < ho; a++)
                    for (int u = 0; u < wo; u++)
                    for (int b = 0; b < ho; b++)
                    for (int v = 0; v < wo; v++)
                    {
                        double acc = 0;
                        for (int dh = 0; dh < fh; dh++)
                        for (int dw = 0; dw < fw; dw++)
                        {
                            int r1 = Src(a, dh, st.H, fh, sh, cv.Padding), c1 = Src(u, dw, st.W, fw, sw, cv.Padding);
                            int r2 = Src(b, dh, st.H, fh, sh, cv.Padding), c2 = Src(v, dw, st.W, fw, sw, cv.Padding);
                            if (r1 < 0 || c1 < 0 || r2 < 0 || c2 < 0) continue;
                            acc += m[r1 * st.W + c1, r2 * st.W + c2];
                        }
                        o[a * wo + u, b * wo + v] = acc / (fh * fw);
                    }
                    return o;
                }
                var ak = Win(st.K12);
                var at = Win(st.T12);
                double fanIn = st.C * fh * fw;
                var t = new double[ho * wo, ho * wo];
                Map(t, ak, (_, k) => 0);
                for (int i = 0; i < ho * wo; i++)
                for (int j = 0; j < ho * wo; j++)
                {
                    t[i, j] = cv.Parameterization == Parameterization.Ntk
                        ? w2 * at[i, j] + w2 * ak[i, j] + b2
                        : w2 * at[i, j] + fanIn * ak[i, j] + (cv.HasBias ? 1 : 0);
                    ak[i, j] = w2 * ak[i, j] + b2;
                }
                var k11 = Win(st.K11);
                var k22 = Win(st.K22);
                Map(k11, k11, (k, _) => w2 * k + b2);
                Map(k22, k22, (k, _) => w2 * k + b2);
                st.K12 = ak; st.T12 = t; st.K11 = k11; st.K22 = k22; st.H = ho; st.W = wo; st.C = cv.Channels;
                break;
            }
            case PoolingLayer pl:
            {
                var (fh, fw) = pl.Window;
                var (sh, sw) = pl.Strides;
                int ho = OutLen(st.H, fh, sh, pl.Padding), wo = OutLen(st.W, fw, sw, pl.Padding);
                double c = pl.IsAverage ? 1.0 / (fh * fw) : 1.0;
                double[,] Pool(double[,] m)
                {
                    var o = new double[ho * wo, ho * wo];
                    for (int a = 0; a < ho; a++)
                    for (int u = 0; u < wo; u++)
                    for (int b = 0; b < ho; b++)
                    for (int v = 0; v < wo; v++)
                    {
                        double acc = 0;
                        for (int dh = 0; dh < fh; dh++)
                        for (int dw = 0; dw < fw; dw++)
                        for (int eh = 0; eh < fh; eh++)
                        for (int ew = 0; ew < fw; ew++)
                        {
                            int r1 = Src(a, dh, st.H, fh, sh, pl.Padding), c1 = Src(u, dw, st.W, fw, sw, pl.Padding);
                            int r2 = Src(b, eh, st.H, fh, sh, pl.Padding), c2 = Src(v, ew, st.W, fw, sw, pl.Padding);
                            if (r1 < 0 || c1 < 0 || r2 < 0 || c2 < 0) continue;
                            acc += m[r1 * st.W + c1, r2 * st.W + c2];
                        }
                        o[a * wo + u, b * wo + v] = c * c * acc;
                    }
                    return o;
                }
                st.K12 = Pool(st.K12); st.T12 = Pool(st.T12); st.K11 = Pool(st.K11); st.K22 = Pool(st.K22);
                st.H = ho; st.W = wo;
                break;
            }
            case GlobalPoolingLayer g:
            {
                int p = st.H * st.W;
                double c = g.IsAverage ? 1.0 / p : 1.0;
                double All(double[,] m)
                {
                    double acc = 0;
                    foreach (double v in m) acc += v;
                    return c * c * acc;
                }
                st.K12 = new[,] { { All(st.K12) } }; st.T12 = new[,] { { All(st.T12) } };
                st.K11 = new[,] { { All(st.K11) } }; st.K22 = new[,] { { All(st.K22) } };
                st.H = st.W = 1;
                st.Spatial = false;
                break;
            }
            case Flatten:
            {
                int p = st.H * st.W;
                double Tr(double[,] m)
                {
                    double acc = 0;
                    for (int i = 0; i < p; i++) acc += m[i, i];
                    return acc / p;
                }
                st.K12 = new[,] { { Tr(st.K12) } }; st.T12 = new[,] { { Tr(st.T12) } };
                st.K11 = new[,] { { Tr(st.K11) } }; st.K22 = new[,] { { Tr(st.K22) } };
                st.C *= p;
                st.H = st.W = 1;
                st.Spatial = false;
                break;
            }
            case Activation act:
            {
                int p = st.H * st.W;
                var k12 = new double[p, p];
                var t12 = new double[p, p];
                var k11 = new double[p, p];
                var k22 = new double[p, p];
                for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++)
                {
                    DualActivations.Evaluate(act.Kind, act.A, act.B, st.K11[i, i], st.K12[i, j], st.K22[j, j], out double tv, out double td);
                    k12[i, j] = tv;
                    t12[i, j] = td * st.T12[i, j];
                    DualActivations.Evaluate(act.Kind, act.A, act.B, st.K11[i, i], st.K11[i, j], st.K11[j, j], out k11[i, j], out _);
                    DualActivations.Evaluate(act.Kind, act.A, act.B, st.K22[i, i], st.K22[i, j], st.K22[j, j], out k22[i, j], out _);
                }
                st.K12 = k12; st.T12 = t12; st.K11 = k11; st.K22 = k22;
                break;
            }
            default:
                throw new NotSupportedException(layer.Name);
        }
    }

    private static void Map(double[,] target, double[,] other, Func<double, double, double> f)
    {
        for (int i = 0; i < target.GetLength(0); i++)
        {
            for (int j = 0; j < target.GetLength(1); j++) target[i, j] = f(target[i, j], other[i, j]);
        }
    }
}
