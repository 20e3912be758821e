namespace NtkSharp.Symmetry;

/// <summary>
/// Resamples square images (N, H, H, C) onto a polar grid (N, R, A, C) about the image centre, so that rotations by
/// 2π/k for every k dividing A become exact cyclic shifts of the angle axis (<see cref="Groups.Polar"/>).
/// </summary>
/// <remarks>
/// <para>Geometry (the same as <see cref="Groups.C4"/> and <see cref="Groups.Cn"/>): pixel (i, j) sits at
/// x = j − c, y = c − i with c = (H − 1)/2 (y up, rotations counter-clockwise). Polar sample (a, b) is the image at
/// radius r_a = (a + ½)·r_max/R and angle φ_b = 2πb/A, with r_max = c, the radius of the circle through the centres of
/// the outermost pixels on the axes: every sample lies inside the pixel grid and no corner pixel is used.</para>
/// <para>Values come from bilinear interpolation of the four surrounding pixels. For a twice differentiable image f the
/// error of a sample is at most (‖∂²f/∂x²‖ + ‖∂²f/∂y²‖)/8 over the pixel cell containing it (the tensor-product
/// linear interpolation bound with unit pixel spacing).</para>
/// <para>Rotating the image counter-clockwise by α maps f(r, φ) to f(r, φ − α), so for α = 2πm/k with k | A the
/// polar image is shifted by m·A/k along the angle axis: y[a, b] = x[a, b − mA/k]. This is exact on the polar grid,
/// whereas on the square grid only multiples of 90° permute pixels.</para>
/// </remarks>
public sealed class PolarGrid
{
    /// <summary>Creates the grid for square images of side <paramref name="size"/>.</summary>
    /// <param name="size">H = W, the side of the square images (≥ 2).</param>
    /// <param name="radii">R, the number of radii (≥ 1).</param>
    /// <param name="angles">A, the number of angles (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below its minimum, or R·A above 2²⁴ samples.</exception>
    public PolarGrid(int size, int radii, int angles)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "the images must be at least 2×2 pixels.");
        if (radii < 1) throw new ArgumentOutOfRangeException(nameof(radii), radii, "the number of radii must be at least 1.");
        if (angles < 1) throw new ArgumentOutOfRangeException(nameof(angles), angles, "the number of angles must be at least 1.");
        if ((long)radii * angles > MaxSamples)
            throw new ArgumentOutOfRangeException(nameof(angles), angles, $"R·A = {(long)radii * angles} polar samples per channel; at most {MaxSamples} are supported.");
        Size = size;
        Radii = radii;
        Angles = angles;
    }

    /// <summary>The largest R·A supported (2²⁴).</summary>
    public const int MaxSamples = 1 << 24;

    /// <summary>H = W, the side of the square images.</summary>
    public int Size { get; }

    /// <summary>R, the number of radii.</summary>
    public int Radii { get; }

    /// <summary>A, the number of angles.</summary>
    public int Angles { get; }

    /// <summary>The centre c = (H − 1)/2 in pixel coordinates, and r_max.</summary>
    public double Centre => (Size - 1) / 2.0;

    /// <summary>r_a = (a + ½)·r_max/R, in pixels.</summary>
    public double Radius(int a) => (a + 0.5) * Centre / Radii;

    /// <summary>φ_b = 2πb/A, counter-clockwise from the +x axis (the row through the centre, pointing right).</summary>
    public double Angle(int b) => 2.0 * Math.PI * b / Angles;

    /// <summary>The pixel coordinates (row i, column j), possibly fractional, of polar sample (a, b).</summary>
    public (double Row, double Column) PixelOf(int a, int b)
    {
        double r = Radius(a), phi = Angle(b);
        return (Centre - r * Math.Sin(phi), Centre + r * Math.Cos(phi));
    }

    /// <summary>Resamples a batch of images (N, H, H, C) to polar images (N, R, A, C).</summary>
    /// <exception cref="ArgumentException">The tensor is not (N, H, H, C) with H = <see cref="Size"/>.</exception>
    public Tensor ToPolar(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Shape.Length != 4 || images.Shape[1] != Size || images.Shape[2] != Size)
            throw new ArgumentException($"images must have shape (N, {Size}, {Size}, C); got ({string.Join(", ", images.Shape)}).", nameof(images));
        int n = images.Shape[0], ch = images.Shape[3];
        var taps = BuildForwardTaps();
        int inSize = Size * Size * ch, outSize = Radii * Angles * ch;
        var data = new double[CheckedLength(n, outSize, nameof(images))];
        Parallel.For(0, n, e =>
        {
            var src = images.Data.AsSpan(e * inSize, inSize);
            var dst = data.AsSpan(e * outSize, outSize);
            Interpolate(taps, src, dst, ch);
        });
        return new Tensor(data, n, Radii, Angles, ch);
    }

    /// <summary>
    /// Maps polar images (N, R, A, C) back to square images (N, H, H, C) for plots: bilinear in (r, φ), periodic in φ,
    /// the innermost ring held constant inside r_0 and zero outside r_max + ½·r_max/R.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not (N, R, A, C) with this grid's R and A.</exception>
    public Tensor ToCartesian(Tensor polar)
    {
        ArgumentNullException.ThrowIfNull(polar);
        if (polar.Shape.Length != 4 || polar.Shape[1] != Radii || polar.Shape[2] != Angles)
            throw new ArgumentException($"polar must have shape (N, {Radii}, {Angles}, C); got ({string.Join(", ", polar.Shape)}).", nameof(polar));
        int n = polar.Shape[0], ch = polar.Shape[3];
        var taps = BuildInverseTaps();
        int inSize = Radii * Angles * ch, outSize = Size * Size * ch;
        var data = new double[CheckedLength(n, outSize, nameof(polar))];
        Parallel.For(0, n, e => Interpolate(taps, polar.Data.AsSpan(e * inSize, inSize), data.AsSpan(e * outSize, outSize), ch));
        return new Tensor(data, n, Size, Size, ch);
    }

    /// <summary>Four (cell, weight) taps per output cell, cells indexed without channels.</summary>
    private (int[] Cells, double[] Weights) BuildForwardTaps()
    {
        int outCells = Radii * Angles;
        var cells = new int[outCells * 4];
        var weights = new double[outCells * 4];
        for (int a = 0; a < Radii; a++)
        {
            for (int b = 0; b < Angles; b++)
            {
                var (row, col) = PixelOf(a, b);
                int i0 = Math.Clamp((int)Math.Floor(row), 0, Size - 2), j0 = Math.Clamp((int)Math.Floor(col), 0, Size - 2);
                double fi = row - i0, fj = col - j0;
                int o = (a * Angles + b) * 4;
                Tap(cells, weights, o, i0 * Size + j0, (1 - fi) * (1 - fj));
                Tap(cells, weights, o + 1, i0 * Size + j0 + 1, (1 - fi) * fj);
                Tap(cells, weights, o + 2, (i0 + 1) * Size + j0, fi * (1 - fj));
                Tap(cells, weights, o + 3, (i0 + 1) * Size + j0 + 1, fi * fj);
            }
        }
        return (cells, weights);
    }

    private (int[] Cells, double[] Weights) BuildInverseTaps()
    {
        int outCells = Size * Size;
        var cells = new int[outCells * 4];
        var weights = new double[outCells * 4];
        double dr = Centre / Radii, dphi = 2.0 * Math.PI / Angles;
        for (int i = 0; i < Size; i++)
        {
            for (int j = 0; j < Size; j++)
            {
                double x = j - Centre, y = Centre - i, r = Math.Sqrt(x * x + y * y);
                int o = (i * Size + j) * 4;
                double u = r / dr - 0.5; // fractional ring index
                if (u > Radii - 0.5) continue; // outside the sampled disc: zero
                double phi = Math.Atan2(y, x);
                if (phi < 0) phi += 2.0 * Math.PI;
                double v = phi / dphi;
                int b0 = (int)Math.Floor(v) % Angles, b1 = (b0 + 1) % Angles;
                double fb = v - Math.Floor(v);
                int a0 = Math.Clamp((int)Math.Floor(u), 0, Radii - 1), a1 = Math.Min(a0 + 1, Radii - 1);
                double fa = Math.Clamp(u - a0, 0.0, 1.0);
                if (u < 0) fa = 0;
                Tap(cells, weights, o, a0 * Angles + b0, (1 - fa) * (1 - fb));
                Tap(cells, weights, o + 1, a0 * Angles + b1, (1 - fa) * fb);
                Tap(cells, weights, o + 2, a1 * Angles + b0, fa * (1 - fb));
                Tap(cells, weights, o + 3, a1 * Angles + b1, fa * fb);
            }
        }
        return (cells, weights);
    }

    private static int CheckedLength(int n, int perExample, string parameter)
    {
        long len = (long)n * perExample;
        return len <= Array.MaxLength ? (int)len
            : throw new ArgumentException($"the result would hold {len} values, more than one array can ({Array.MaxLength}); pass fewer images at a time.", parameter);
    }

    private static void Tap(int[] cells, double[] weights, int o, int cell, double w)
    {
        cells[o] = cell;
        weights[o] = w;
    }

    private static void Interpolate((int[] Cells, double[] Weights) taps, ReadOnlySpan<double> src, Span<double> dst, int ch)
    {
        int outCells = dst.Length / ch;
        for (int o = 0; o < outCells; o++)
        {
            for (int c = 0; c < ch; c++)
            {
                double s = 0;
                for (int t = 0; t < 4; t++)
                {
                    double w = taps.Weights[o * 4 + t];
                    if (w != 0) s += w * src[taps.Cells[o * 4 + t] * ch + c];
                }
                dst[o * ch + c] = s;
            }
        }
    }
}
