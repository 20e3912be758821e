using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>One run of a window tap along an axis: outputs OutStart … OutStart + Length − 1 read inputs
/// SrcStart, SrcStart + SrcStride, … (contiguous when SrcStride = 1).</summary>
internal readonly record struct TapSegment(int OutStart, int SrcStart, int Length, int SrcStride);

/// <summary>
/// The index map of a window (filter or pooling window) along one spatial axis: output x, tap d reads input
/// x·s + d − padBefore, dropped outside the input (Valid/Same) or wrapped around (Circular), exactly as XLA's
/// <c>padtype_to_pads</c> with neural-tangents' wrap padding. Each tap's outputs are grouped into contiguous runs
/// (<see cref="TapSegment"/>) so that the window sums become SIMD adds of shifted blocks.
/// </summary>
internal sealed class AxisWindow
{
    public AxisWindow(int length, int window, int stride, Padding padding)
    {
        InLength = length;
        Taps = window;
        OutLength = SpatialShape.OutputLength(length, window, stride, padding);
        if (OutLength < 1) throw new InvalidOperationException("A validated window must fit its input.");
        int lo = SpatialShape.PadBefore(length, window, stride, padding);
        Source = new int[OutLength * window];
        Segments = new TapSegment[window][];
        for (int d = 0; d < window; d++)
        {
            var segs = new List<TapSegment>();
            int start = -1, srcStart = 0, len = 0, prevSrc = 0;
            for (int x = 0; x < OutLength; x++)
            {
                int src = x * stride + d - lo;
                if (padding == Padding.Circular) src = ((src % length) + length) % length;
                else if (src < 0 || src >= length) src = -1;
                Source[x * window + d] = src;
                bool extends = src >= 0 && start >= 0 && src == prevSrc + stride;
                if (extends)
                {
                    len++;
                }
                else
                {
                    if (start >= 0) segs.Add(new TapSegment(start, srcStart, len, stride));
                    if (src >= 0)
                    {
                        start = x;
                        srcStart = src;
                        len = 1;
                    }
                    else
                    {
                        start = -1;
                    }
                }
                prevSrc = src;
            }
            if (start >= 0) segs.Add(new TapSegment(start, srcStart, len, stride));
            Segments[d] = [.. segs];
        }
    }

    /// <summary>The input length along the axis.</summary>
    public int InLength { get; }

    /// <summary>The output length along the axis.</summary>
    public int OutLength { get; }

    /// <summary>The window size f.</summary>
    public int Taps { get; }

    /// <summary>Source[x·f + d]: the input index read by output x and tap d, or −1 for a zero (padding).</summary>
    public int[] Source { get; }

    /// <summary>Per tap, the contiguous runs of outputs.</summary>
    public TapSegment[][] Segments { get; }
}
