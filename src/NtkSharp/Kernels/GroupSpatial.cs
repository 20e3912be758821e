using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

/// <summary>
/// The window sum of a group convolution on one block of the full layout [h][h′][w][w′]:
/// dst(a, a′, b, b′) = s·Σ_t src(a + d_t, a′ + (u·d_t)_h, b + d_t, b′ + (u·d_t)_w), with the padding of the axis
/// windows (zeros for Same, wrap-around for Circular). The tap u·d of the second position comes from the group
/// element u; for u = e this is the CNN window. Rows along w′ are added as shifted contiguous runs (SIMD), one
/// [w][w′] plane of the output at a time so that it stays in cache while the k² source planes stream.
/// </summary>
internal static class GroupSpatial
{
    /// <summary>dst ← s·Σ_t src(… taps t and taps2[t] …) on one block (src and dst must not overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Window(ReadOnlySpan<double> src, Span<double> dst, AxisWindow ah, AxisWindow aw, int[] taps2, double scale)
    {
        int h = ah.InLength, w = aw.InLength, k = ah.Taps, plane = w * w;
        var sh = ah.Source;
        var sw = aw.Source;
        for (int a = 0; a < h; a++)
        {
            for (int a2 = 0; a2 < h; a2++)
            {
                var dPlane = dst.Slice((a * h + a2) * plane, plane);
                dPlane.Clear();
                for (int t = 0; t < taps2.Length; t++)
                {
                    int th = t / k, tw = t % k, t2 = taps2[t];
                    int ra = sh[a * k + th], ra2 = sh[a2 * k + t2 / k];
                    if (ra < 0 || ra2 < 0) continue;
                    var sPlane = src.Slice((ra * h + ra2) * plane, plane);
                    var segs = aw.Segments[t2 % k];
                    for (int b = 0; b < w; b++)
                    {
                        int rb = sw[b * k + tw];
                        if (rb < 0) continue;
                        var sRow = sPlane.Slice(rb * w, w);
                        var dRow = dPlane.Slice(b * w, w);
                        foreach (var seg in segs) SpatialOps.AddTo(dRow.Slice(seg.OutStart, seg.Length), sRow.Slice(seg.SrcStart, seg.Length));
                    }
                }
                SpatialOps.Affine(dPlane, scale, 0.0);
            }
        }
    }
}
