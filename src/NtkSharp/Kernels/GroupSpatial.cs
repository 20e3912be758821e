using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

/// <summary>
/// The window sum of a group convolution on one block of the full layout [h][h′][w][w′]:
/// dst(a, a′, b, b′) = s·Σ_{dh, dw} src(a + dh, a′ + (u·d)_h, b + dw, b′ + (u·d)_w), with the padding of the axis
/// windows (zeros for Same, wrap-around for Circular). For u = e this is the CNN window. Because u is a signed
/// permutation matrix, (u·d)_h and (u·d)_w each depend on one of dh, dw only, so the sum separates into two passes of
/// k taps (2k row additions per entry instead of k²): the dh pass shifts a and the second-position axis u moves dh to
/// (a′ if u₀₀ ≠ 0, else b′), the dw pass shifts b and the axis of u·(0, dw) (a′ if u₀₁ ≠ 0, else b′). Rows along w′
/// are added as shifted contiguous runs (SIMD).
/// </summary>
internal static class GroupSpatial
{
    /// <summary>dst ← s·(window of src) for the element with matrix <paramref name="u"/> = [u₀₀, u₁₀, u₀₁, u₁₁] (the images
    /// of (1, 0) and (0, 1)); <paramref name="mid"/> holds the first pass and overlaps neither; dst may be src (the
    /// first pass has read src before the second writes).</summary>
    public static void Window(ReadOnlySpan<double> src, Span<double> mid, Span<double> dst, AxisWindow ah, AxisWindow aw, int[] u, double scale)
    {
        // dh: image of (1, 0) is (u00, u10); dw: image of (0, 1) is (u01, u11).
        Pass(src, mid, ah, aw, firstOnH: true, secondOnH: u[0] != 0, sign: u[0] != 0 ? u[0] : u[1], 1.0);
        Pass(mid, dst, ah, aw, firstOnH: false, secondOnH: u[2] != 0, sign: u[2] != 0 ? u[2] : u[3], scale);
    }

    /// <summary>One pass of k taps: the first position moves along h (or w) by the tap offset, the second position
    /// along h′ (or w′) by ±the same offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pass(ReadOnlySpan<double> src, Span<double> dst, AxisWindow ah, AxisWindow aw, bool firstOnH, bool secondOnH,
        int sign, double scale)
    {
        int h = ah.InLength, w = aw.InLength, k = ah.Taps;
        var sh = ah.Source;
        var sw = aw.Source;
        if (firstOnH && secondOnH)
        {
            // Both shifts on the h axes: whole [w][w′] planes move (the CNN's paired pass when sign > 0).
            int plane = w * w;
            for (int a = 0; a < h; a++)
            {
                for (int a2 = 0; a2 < h; a2++)
                {
                    var dPlane = dst.Slice((a * h + a2) * plane, plane);
                    dPlane.Clear();
                    for (int s = 0; s < k; s++)
                    {
                        int ra = sh[a * k + s], ra2 = sh[a2 * k + (sign > 0 ? s : k - 1 - s)];
                        if (ra >= 0 && ra2 >= 0) SpatialOps.AddTo(dPlane, src.Slice((ra * h + ra2) * plane, plane));
                    }
                    if (scale != 1.0) SpatialOps.Affine(dPlane, scale, 0.0);
                }
            }
            return;
        }
        for (int a = 0; a < h; a++)
        {
            for (int a2 = 0; a2 < h; a2++)
            {
                for (int b = 0; b < w; b++)
                {
                    var dRow = dst.Slice(((a * h + a2) * w + b) * w, w);
                    dRow.Clear();
                    for (int s = 0; s < k; s++)
                    {
                        int s2 = sign > 0 ? s : k - 1 - s;
                        int ra = firstOnH ? sh[a * k + s] : a;
                        int rb = firstOnH ? b : sw[b * k + s];
                        int ra2 = secondOnH ? sh[a2 * k + s2] : a2;
                        if (ra < 0 || rb < 0 || ra2 < 0) continue;
                        var sRow = src.Slice(((ra * h + ra2) * w + rb) * w, w);
                        if (secondOnH)
                        {
                            SpatialOps.AddTo(dRow, sRow);
                        }
                        else
                        {
                            foreach (var seg in aw.Segments[s2]) SpatialOps.AddTo(dRow.Slice(seg.OutStart, seg.Length), sRow.Slice(seg.SrcStart, seg.Length));
                        }
                    }
                    if (scale != 1.0) SpatialOps.Affine(dRow, scale, 0.0);
                }
            }
        }
    }
}
