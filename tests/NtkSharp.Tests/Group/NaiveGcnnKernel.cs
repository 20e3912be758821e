using NtkSharp.Layers;

namespace NtkSharp.Tests.Group;

/// <summary>
/// An independent naive reference for GCNN kernels: the full covariance over (g, p, g′, p′) (|G|² times a CNN's, no
/// stationarity used), built by enumerating every pair of filter taps (a, d), (a′, d′) and keeping those with
/// E[ψ_g(a, d)·ψ_g′(a′, d′)] = 1, i.e. g⁻¹a = g′⁻¹a′ and g⁻¹d = g′⁻¹d′, with the group as rotation matrices generated
/// from cos/sin of multiples of 90° (and a mirror). Supports LiftingConv, GroupConv, ReLU (arc-cosine closed form),
/// GroupPool, GlobalAvgPool and Dense, NTK parameterisation.
/// </summary>
internal sealed class NaiveGcnnKernel(bool reflections, int h, int w, int k, Padding padding)
{
    private readonly int[][,] _elements = Elements(reflections);

    private static int[][,] Elements(bool reflections)
    {
        var list = new List<int[,]>();
        for (int m = 0; m < (reflections ? 2 : 1); m++)
        {
            for (int i = 0; i < 4; i++)
            {
                double th = i * Math.PI / 2;
                int c = (int)Math.Round(Math.Cos(th)), s = (int)Math.Round(Math.Sin(th));
                int f = m == 0 ? 1 : -1;
                list.Add(new[,] { { c, -s * f }, { s, c * f } });
            }
        }
        return [.. list];
    }

    private int G => _elements.Length;

    private int P => h * w;

    private int InverseApply(int g, int dh, int dw)
    {
        // g⁻¹ = gᵀ for these orthogonal matrices
        var m = _elements[g];
        int ah = m[0, 0] * dh + m[1, 0] * dw, aw = m[0, 1] * dh + m[1, 1] * dw;
        return (ah + k / 2) * k + aw + k / 2;
    }

    private int InverseGroup(int g, int a)
    {
        var m = _elements[g];
        var x = _elements[a];
        var prod = new int[2, 2];
        for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            prod[i, j] = m[0, i] * x[0, j] + m[1, i] * x[1, j];
        for (int q = 0; q < G; q++)
        {
            if (_elements[q][0, 0] == prod[0, 0] && _elements[q][0, 1] == prod[0, 1] && _elements[q][1, 0] == prod[1, 0] && _elements[q][1, 1] == prod[1, 1])
                return q;
        }
        throw new InvalidOperationException("not closed");
    }

    private int Source(int p, int dh, int dw)
    {
        int a = p / w + dh, b = p % w + dw;
        if (padding == Padding.Circular) return ((a % h + h) % h) * w + (b % w + w) % w;
        return a < 0 || a >= h || b < 0 || b >= w ? -1 : a * w + b;
    }

    /// <summary>(K, Θ) of the network on the pair (x, x′) given as (H·W, C) arrays; layers as in the class summary.</summary>
    public (double K, double T) Pair(double[] x, double[] x2, int c, Layer[] layers)
    {
        // three covariance states: (x, x), (x′, x′), (x, x′); each over (g, p) × (g′, p′) once lifted
        var states = new[] { Input(x, x, c), Input(x2, x2, c), Input(x, x2, c) };
        var thetas = states.Select(s => new double[s.GetLength(0), s.GetLength(1)]).ToArray();
        foreach (var layer in layers)
        {
            for (int i = 0; i < 3; i++)
            {
                switch (layer)
                {
                    case LiftingConv lc:
                        (states[i], thetas[i]) = Affine(Window(states[i], lifted: false, full: false), null, lc.WStd, lc.BStd);
                        break;
                    case GroupConv gc:
                        bool full = gc.Support == GroupSupport.Full;
                        (states[i], thetas[i]) = Affine(Window(states[i], true, full), Window(thetas[i], true, full), gc.WStd, gc.BStd);
                        break;
                    case Dense d:
                        (states[i], thetas[i]) = Affine(states[i], thetas[i], d.WStd, d.BStd);
                        break;
                    case GroupPool:
                        (states[i], thetas[i]) = (Mean(states[i], G), Mean(thetas[i], G));
                        break;
                    case GlobalAvgPool:
                        (states[i], thetas[i]) = (Mean(states[i], states[i].GetLength(0)), Mean(thetas[i], thetas[i].GetLength(0)));
                        break;
                }
            }
            if (layer is Relu) Relu(states, thetas);
        }
        return (states[2][0, 0], thetas[2][0, 0]);
    }

    private double[,] Input(double[] x, double[] y, int c)
    {
        var k0 = new double[P, P];
        for (int p = 0; p < P; p++)
        for (int q = 0; q < P; q++)
        {
            double s = 0;
            for (int i = 0; i < c; i++) s += x[p * c + i] * y[q * c + i];
            k0[p, q] = s / c;
        }
        return k0;
    }

    /// <summary>(1/fan)·Σ over tap pairs with g⁻¹(a, d) = g′⁻¹(a′, d′) of K((a, p + d), (a′, p′ + d′)).</summary>
    private double[,] Window(double[,] src, bool lifted, bool full)
    {
        var dst = new double[G * P, G * P];
        int taps = k * k;
        for (int g = 0; g < G; g++)
        for (int g2 = 0; g2 < G; g2++)
        for (int p = 0; p < P; p++)
        for (int p2 = 0; p2 < P; p2++)
        {
            double s = 0;
            int count = 0;
            for (int a = 0; a < (lifted ? G : 1); a++)
            for (int a2 = 0; a2 < (lifted ? G : 1); a2++)
            {
                if (lifted && full && InverseGroup(g, a) != InverseGroup(g2, a2)) continue;
                if (lifted && !full && (a != g || a2 != g2)) continue;
                for (int t = 0; t < taps; t++)
                for (int t2 = 0; t2 < taps; t2++)
                {
                    int dh = t / k - k / 2, dw = t % k - k / 2, dh2 = t2 / k - k / 2, dw2 = t2 % k - k / 2;
                    if (InverseApply(g, dh, dw) != InverseApply(g2, dh2, dw2)) continue;
                    count++;
                    int sp = Source(p, dh, dw), sp2 = Source(p2, dh2, dw2);
                    if (sp < 0 || sp2 < 0) continue;
                    s += lifted ? src[a * P + sp, a2 * P + sp2] : src[sp, sp2];
                }
            }
            // every filter weight pairs once: count = fan-in / C (k² for lifting and Identity, |G|·k² for Full)
            dst[g * P + p, g2 * P + p2] = s / count;
        }
        return dst;
    }

    private static (double[,], double[,]) Affine(double[,] k, double[,]? t, double wStd, double bStd)
    {
        int r = k.GetLength(0), c = k.GetLength(1);
        var kk = new double[r, c];
        var tt = new double[r, c];
        for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++)
        {
            kk[i, j] = wStd * wStd * k[i, j] + bStd * bStd;
            tt[i, j] = (t is null ? 0.0 : wStd * wStd * t[i, j]) + kk[i, j];
        }
        return (kk, tt);
    }

    private static double[,] Mean(double[,] x, int groups)
    {
        int r = x.GetLength(0) / groups, c = x.GetLength(1) / groups;
        var y = new double[r, c];
        for (int i = 0; i < x.GetLength(0); i++)
        for (int j = 0; j < x.GetLength(1); j++)
            y[i % r, j % c] += x[i, j] / ((double)groups * groups);
        return y;
    }

    private static void Relu(double[][,] k, double[][,] t)
    {
        int m = k[2].GetLength(0);
        var nk = new double[3][,];
        for (int s = 0; s < 3; s++)
        {
            nk[s] = new double[m, m];
            for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double v1 = s == 1 ? k[1][i, i] : k[0][i, i], v2 = s == 0 ? k[0][j, j] : k[1][j, j];
                double norm = Math.Sqrt(v1 * v2), cos = Math.Clamp(k[s][i, j] / norm, -1, 1), th = Math.Acos(cos);
                nk[s][i, j] = norm / (2 * Math.PI) * (Math.Sin(th) + (Math.PI - th) * cos);
                t[s][i, j] *= (Math.PI - th) / (2 * Math.PI);
            }
        }
        for (int s = 0; s < 3; s++) k[s] = nk[s];
    }
}
