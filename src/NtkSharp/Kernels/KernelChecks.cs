using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>
/// Checks around a kernel computation: the result matrices' size against what one array and the process's memory can
/// hold (in 64-bit arithmetic, before allocating), and the results for non-finite entries after computing, with the
/// cause (overflowing inputs or weights) and the scale at which they overflow.
/// </summary>
internal static class KernelChecks
{
    /// <summary>The largest finite double, ≈ 1.8e308: kernel entries above it overflow to ∞ (then NaN).</summary>
    private const double Overflow = double.MaxValue;

    /// <summary>Fails fast when the <paramref name="count"/> result matrices of n1 × n2 entries cannot be allocated.</summary>
    /// <exception cref="ArgumentException">Too many entries for one array, or more bytes than the memory available.</exception>
    public static void ResultSize(long n1, long? n2, int count)
    {
        long m = n2 ?? n1, entries = n1 * m; // both below 2^31: no overflow
        string inputs = n2 is null ? $"x1 ({n1} examples)" : $"x1 ({n1} examples) and x2 ({m} examples)";
        if (entries > Array.MaxLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{inputs} give {n1}×{m} = {entries} kernel entries per matrix ({8.0 * entries * count:G3} bytes for {count} matrix(es)), more than one array holds ({Array.MaxLength}); compute the kernel in blocks of rows (slices of x1{(n2 is null ? " against x1" : "")})."), "x1");
        ResultBytes(8.0 * entries * count, $"the {n1}×{m} kernel matrix(es) of {inputs}", "x1");
    }

    /// <summary>Fails fast when <paramref name="bytes"/> exceed the memory this process can use.</summary>
    /// <exception cref="ArgumentException">Over the available memory; names <paramref name="paramName"/>.</exception>
    public static void ResultBytes(double bytes, string what, string paramName)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && bytes > available)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{what} need {bytes:G4} bytes ({bytes / (1L << 30):G3} GiB) but this process has {available} bytes ({available / (double)(1L << 30):G3} GiB) of memory; use fewer or smaller inputs."), paramName);
    }

    /// <summary>Throws when a result matrix holds a NaN or ±∞, naming the overflowing scale of the inputs and weights.
    /// The scan runs on the threads of <paramref name="po"/> (a memory-bound pass over the results).</summary>
    /// <exception cref="ArithmeticException">A non-finite kernel entry.</exception>
    public static void Finite(KernelResult result, Layer network, Tensor x1, Tensor? x2, ParallelOptions? po = null)
    {
        foreach (var (name, m) in new[] { ("NNGP", result.HasNngp ? result.Nngp : null), ("NTK", result.HasNtk ? result.Ntk : null) })
        {
            if (m is null || FirstNonFinite(m, po ?? new ParallelOptions()) is not { } at) continue;
            throw NonFinite(name, at.I, at.J, m[at.I, at.J], network, x1, x2);
        }
    }

    /// <summary>The error for a non-finite <paramref name="name"/> entry (<paramref name="i"/>, <paramref name="j"/>),
    /// naming the overflowing scale of the inputs and weights.</summary>
    public static ArithmeticException NonFinite(string name, int i, int j, double value, Layer network, Tensor x1, Tensor? x2)
    {
        double a1 = MaxAbs(x1.Data), a2 = x2 is null ? a1 : MaxAbs(x2.Data);
        double w = MaxWStd(network);
        return new ArithmeticException(string.Create(CultureInfo.InvariantCulture,
            $"the {name} entry between x1[{i}] and {(x2 is null ? "x1" : "x2")}[{j}] is {value}: the kernel overflows double precision ({Overflow:G3}). " +
            $"The largest |entry| of x1 is {a1:G3}{(x2 is null ? "" : $" and of x2 {a2:G3}")}, the largest wStd {w:G3}; kernel values grow like (input entry)² and by wStd² per layer, " +
            $"so inputs above about {Math.Sqrt(Overflow) / Math.Max(1.0, w):G3} (less in deep networks) overflow: rescale the inputs (e.g. standardise them) or lower wStd."));
    }

    private static (int I, int J)? FirstNonFinite(Matrix<double> m, ParallelOptions po)
    {
        var data = m.AsColumnMajorArray();
        if (data is not null)
        {
            long k = FirstNonFinite(data, po);
            return k < 0 ? null : ((int)(k % m.RowCount), (int)(k / m.RowCount));
        }
        foreach (var (i, j, v) in m.EnumerateIndexed())
        {
            if (!double.IsFinite(v)) return (i, j);
        }
        return null;
    }

    /// <summary>The index of the first NaN or ±∞ of <paramref name="data"/>, or −1: chunks in parallel, each first summed
    /// as x·0 in SIMD lanes (0 for every finite x, NaN for ±∞ and NaN), and only a chunk whose sum is not 0 scanned for
    /// its first such entry.</summary>
    internal static long FirstNonFinite(double[] data, ParallelOptions po)
    {
        const int Chunk = 1 << 16;
        int chunks = (int)((data.LongLength + Chunk - 1) / Chunk);
        long first = long.MaxValue;
        Parallel.For(0, chunks, po, c =>
        {
            int start = c * Chunk, end = (int)Math.Min(data.LongLength, (long)start + Chunk);
            if (AllFinite(data.AsSpan(start, end - start))) return;
            for (int k = start; k < end; k++)
            {
                if (double.IsFinite(data[k])) continue;
                long seen;
                do seen = Interlocked.Read(ref first);
                while (k < seen && Interlocked.CompareExchange(ref first, k, seen) != seen);
                break;
            }
        });
        return first == long.MaxValue ? -1 : first;
    }

    private static bool AllFinite(ReadOnlySpan<double> x)
    {
        int width = System.Numerics.Vector<double>.Count, i = 0;
        var acc = System.Numerics.Vector<double>.Zero;
        for (; i <= x.Length - width; i += width) acc += new System.Numerics.Vector<double>(x.Slice(i, width)) * System.Numerics.Vector<double>.Zero;
        double sum = System.Numerics.Vector.Sum(acc);
        for (; i < x.Length; i++) sum += x[i] * 0.0;
        return sum == 0.0;
    }

    private static double MaxAbs(double[] data)
    {
        double max = 0;
        foreach (double v in data) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    /// <summary>The largest weight standard deviation of the network's Dense and Conv layers (1 when it has none).</summary>
    internal static double MaxWStd(Layer layer) => layer switch
    {
        Dense d => d.WStd,
        Conv c => c.WStd,
        Serial s => s.Layers.Select(MaxWStd).DefaultIfEmpty(1.0).Max(),
        ParallelLayer p => p.Branches.Select(MaxWStd).DefaultIfEmpty(1.0).Max(),
        _ => 0.0,
    };
}
