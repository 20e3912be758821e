using System.Text;
using NtkSharp.IO;

namespace NtkSharp.Tests.Cli.Corpus;

/// <summary>
/// The files of the bad-input corpus, written once per test class into a temporary folder: valid inputs, kernels and
/// targets, and broken ones (integer and bool dtypes, NaN and ∞, wrong ranks and widths, empty, corrupt and truncated
/// files, huge values, a 512×512 image, 300000 examples). <see cref="Expand"/> replaces "@name" by the file's path.
/// </summary>
public sealed class BadInputData : IDisposable
{
    private readonly TempFolder _dir = new();

    public BadInputData()
    {
        var rng = new Random(14);
        double[] R(int n, double scale = 1) => [.. Enumerable.Range(0, n).Select(_ => scale * (rng.NextDouble() * 2 - 1))];
        Npy.Write(File("x"), R(8 * 3), 8, 3);
        Npy.Write(File("xt"), R(4 * 3), 4, 3);
        Npy.Write(File("x4"), R(4 * 4), 4, 4);
        Npy.Write(File("y"), R(8), 8, 1);
        Npy.Write(File("y1d"), R(8), 8);
        Npy.Write(File("y3"), R(8 * 3), 8, 3);
        Npy.Write(File("y5"), R(5), 5, 1);
        Npy.Write(File("yrank3"), R(8), 8, 1, 1);
        Npy.Write(File("x1d"), R(3), 3);
        Npy.Write(File("img"), R(3 * 8 * 8), 3, 8, 8, 1);
        Npy.Write(File("img512"), R(512 * 512), 1, 512, 512, 1);
        Npy.Write(File("big"), R(300000 * 2), 300000, 2);
        Npy.Write(File("xhuge"), R(8 * 3, 1e200), 8, 3);
        Npy.Write(File("x150"), R(8 * 3, 1e150), 8, 3);
        Npy.Write(File("xmax"), [.. Enumerable.Repeat(double.MaxValue, 8 * 3)], 8, 3);
        var nan = R(8 * 3);
        nan[5] = double.NaN;
        Npy.Write(File("xnan"), nan, 8, 3);
        var inf = R(8 * 3);
        inf[7] = double.NegativeInfinity;
        Npy.Write(File("xinf"), inf, 8, 3);
        var ynan = R(8);
        ynan[2] = double.NaN;
        Npy.Write(File("ynan"), ynan, 8, 1);
        WriteRaw(File("xint"), "<i8", [8, 3], [.. Enumerable.Range(0, 24).SelectMany(i => BitConverter.GetBytes((long)i))]);
        WriteRaw(File("yint"), "<i8", [8, 1], [.. Enumerable.Range(0, 8).SelectMany(i => BitConverter.GetBytes((long)i))]);
        WriteRaw(File("y6int"), "<i4", [6], [.. Enumerable.Range(0, 6).SelectMany(BitConverter.GetBytes)]);
        WriteRaw(File("xbool"), "|b1", [8, 3], [.. Enumerable.Range(0, 24).Select(i => (byte)(i % 2))]);
        WriteRaw(File("ybool"), "|b1", [8, 1], [.. Enumerable.Range(0, 8).Select(i => (byte)(i % 2))]);
        WriteRaw(File("xempty"), "<f8", [0, 3], []);
        System.IO.File.WriteAllBytes(File("corrupt"), Encoding.ASCII.GetBytes("this is not a numpy file at all, just text\n"));
        var full = System.IO.File.ReadAllBytes(File("x"));
        System.IO.File.WriteAllBytes(File("truncated"), full[..(full.Length - 40)]);
        Directory.CreateDirectory(File("folder"));

        // Kernels for predict: an SPD train NTK (Gram matrix of random features plus the identity), test rows.
        var f = R(8 * 12);
        var ntk = new double[64];
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < 12; k++) s += f[i * 12 + k] * f[j * 12 + k] / 12;
                ntk[i * 8 + j] = s;
            }
        }
        Npy.Write(File("ntk"), ntk, 8, 8);
        Npy.Write(File("ntkt"), R(4 * 8), 4, 8);
        Npy.Write(File("ntkt7"), R(4 * 7), 4, 7);
        Npy.Write(File("ntk87"), R(8 * 7), 8, 7);
        Npy.Write(File("ntkneg"), [.. ntk.Select(v => -v)], 8, 8);
        Npy.Write(File("ntkthuge"), R(4 * 8, 1e306), 4, 8);
        Npy.Write(File("yhuge"), R(8, 1e5), 8, 1);
        var asym = (double[])ntk.Clone();
        asym[1] += 0.5;
        Npy.Write(File("ntkasym"), asym, 8, 8);
        var ntkNan = (double[])ntk.Clone();
        ntkNan[9] = double.NaN;
        Npy.Write(File("ntknan"), ntkNan, 8, 8);
        Npy.Write(File("tt"), [.. Enumerable.Range(0, 16).Select(i => i % 5 == 0 ? 2.0 : 0.0)], 4, 4);
        Npy.Write(File("tt3"), [.. Enumerable.Range(0, 9).Select(i => i % 4 == 0 ? 2.0 : 0.0)], 3, 3);
        WriteRaw(File("ntkint"), "<i8", [8, 8], [.. Enumerable.Range(0, 64).SelectMany(i => BitConverter.GetBytes((long)(i % 9 == 0 ? 1 : 0)))]);

        // Equivariance: 2-vectors, 3-vectors and sets.
        Npy.Write(File("v2"), R(6 * 2), 6, 2);
        Npy.Write(File("v2t"), R(3 * 2), 3, 2);
        Npy.Write(File("v2huge"), R(6 * 2, 1e200), 6, 2);
        Npy.Write(File("y6"), R(6), 6);
        Npy.Write(File("y6x2"), R(6 * 2), 6, 2);
        Npy.Write(File("y6x3"), R(6 * 3), 6, 3);
        Npy.Write(File("sets9"), R(6 * 9), 6, 9, 1);
        System.IO.File.WriteAllText(File("arch-bad.txt"), "Serial(\n  Dense(4),\n  Rellu()\n)");
        System.IO.File.WriteAllText(File("arch-ok.txt"), "Serial(\n  Dense(16), Relu(),\n  Dense(1)\n)");
    }

    /// <summary>The corpus folder.</summary>
    public string Folder => _dir.Path;

    /// <summary>The path of corpus file <paramref name="name"/> (".npy" appended unless it has an extension).</summary>
    public string File(string name) => _dir.File(Path.HasExtension(name) ? name : name + ".npy");

    /// <summary>Replaces "@name" arguments by the corpus path, "@out" by <paramref name="outDir"/>.</summary>
    public string Expand(string arg, string outDir) => arg switch
    {
        "@out" => outDir,
        ['@', .. var name] => File(name),
        _ => arg,
    };

    public void Dispose() => _dir.Dispose();

    /// <summary>A .npy v1.0 file of any dtype from raw little-endian bytes.</summary>
    private static void WriteRaw(string path, string descr, int[] shape, byte[] data)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        string header = dict.PadRight(117) + "\n";
        using var s = System.IO.File.Create(path);
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
        s.Write(Encoding.ASCII.GetBytes(header));
        s.Write(data);
    }
}
