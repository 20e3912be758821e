using System.Numerics;
using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Symmetry;

/// <summary>Orbit errors and angular spectra for the SO(2) experiment.</summary>
internal static class So2
{
    /// <summary>
    /// max over probes x_j and angles β = 2πm/angles of |μ_t(R_β x_j) − μ_t(x_j)|, divided by the root mean square of
    /// μ_t(x_j) over the probes (so that probes where μ_t is near zero do not blow the ratio up), for every time.
    /// </summary>
    public static double[] OrbitError(AugmentedMean mean, Tensor probes, int angles, double[] times)
    {
        int n = probes.Count;
        var rotated = new double[n * angles * 2];
        for (int j = 0; j < n; j++)
        {
            double x = probes.Data[2 * j], y = probes.Data[2 * j + 1];
            for (int m = 0; m < angles; m++)
            {
                double b = 2 * Math.PI * m / angles, c = Math.Cos(b), s = Math.Sin(b);
                int o = 2 * (j * angles + m);
                rotated[o] = c * x - s * y;
                rotated[o + 1] = s * x + c * y;
            }
        }
        var preds = mean.Predict(new Tensor(rotated, n * angles, 2), times);
        return preds.Select(p => Ratio(n, angles, (j, m) => p[j * angles + m, 0])).ToArray();
    }

    /// <summary>The same error over the orbit of a finite group acting exactly (e.g. Polar:K).</summary>
    public static double[] GroupOrbitError(AugmentedMean mean, Tensor probes, SymmetryGroup group, double[] times)
    {
        int n = probes.Count, order = group.Order, size = probes.ExampleSize;
        var all = new double[n * order * size];
        for (int g = 0; g < order; g++)
        {
            var moved = group.ActOnInputs(g, probes);
            for (int j = 0; j < n; j++) Array.Copy(moved.Data, j * size, all, (j * order + g) * size, size);
        }
        var preds = mean.Predict(new Tensor(all, [n * order, .. probes.ExampleShape]), times);
        return preds.Select(p => Ratio(n, order, (j, g) => p[j * order + g, 0])).ToArray();
    }

    private static double Ratio(int n, int orbit, Func<int, int, double> value)
    {
        double worst = 0, squares = 0;
        for (int j = 0; j < n; j++)
        {
            double at0 = value(j, 0);
            squares += at0 * at0;
            for (int m = 1; m < orbit; m++) worst = Math.Max(worst, Math.Abs(value(j, m) - at0));
        }
        return worst / Math.Sqrt(squares / n);
    }

    /// <summary>
    /// |c_n| / c_0 for n = 0 … maxN − 1, averaged over all pairs of probes, where
    /// c_n(x, x') = (1/2π)∮ K(x, R_β x') e^{−inβ} dβ (a discrete Fourier transform over <paramref name="samples"/> angles).
    /// Averaging K over C_k keeps exactly the harmonics n ≡ 0 (mod k), so the residual SO(2)-invariance error of the
    /// C_k-augmented mean is governed by |c_k|, |c_2k|, ….
    /// </summary>
    public static double[] AngularSpectrum(KernelFunction kf, KernelOutputs which, Tensor probes, int samples, int maxN)
    {
        int n = probes.Count;
        var rotated = new double[n * samples * 2];
        for (int j = 0; j < n; j++)
        {
            for (int m = 0; m < samples; m++)
            {
                double b = 2 * Math.PI * m / samples, c = Math.Cos(b), s = Math.Sin(b);
                double x = probes.Data[2 * j], y = probes.Data[2 * j + 1];
                rotated[2 * (j * samples + m)] = c * x - s * y;
                rotated[2 * (j * samples + m) + 1] = s * x + c * y;
            }
        }
        var k = kf.Compute(probes, new Tensor(rotated, n * samples, 2), which);
        var gram = which == KernelOutputs.Ntk ? k.Ntk! : k.Nngp!;
        var spectrum = new double[maxN];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double c0 = 0;
                var coefficients = new double[maxN];
                for (int h = 0; h < maxN; h++)
                {
                    Complex sum = Complex.Zero;
                    for (int m = 0; m < samples; m++) sum += gram[i, j * samples + m] * Complex.FromPolarCoordinates(1, -2 * Math.PI * h * m / samples);
                    coefficients[h] = sum.Magnitude / samples;
                    if (h == 0) c0 = coefficients[0];
                }
                for (int h = 0; h < maxN; h++) spectrum[h] += coefficients[h] / c0 / (n * n);
            }
        }
        return spectrum;
    }

    /// <summary>Random smooth square images: a few Gaussian blobs of random sign, width and place.</summary>
    public static Tensor SmoothImages(int count, int size, Random rng)
    {
        var data = new double[count * size * size];
        double c = (size - 1) / 2.0;
        for (int e = 0; e < count; e++)
        {
            for (int b = 0; b < 4; b++)
            {
                double cx = (rng.NextDouble() - 0.5) * c, cy = (rng.NextDouble() - 0.5) * c, w = 1.5 + 2 * rng.NextDouble(), a = rng.NextDouble() * 2 - 1;
                for (int i = 0; i < size; i++)
                {
                    for (int j = 0; j < size; j++)
                    {
                        double dx = j - c - cx, dy = c - i - cy;
                        data[(e * size + i) * size + j] += a * Math.Exp(-(dx * dx + dy * dy) / (2 * w * w));
                    }
                }
            }
        }
        return new Tensor(data, count, size, size, 1);
    }
}
