using MathNet.Numerics.LinearAlgebra;
using NtkSharp.IO;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Cli;

public class KernelCommandTests
{
    private const string Arch = "Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(64, wStd: 1.3), Erf(), Dense(1, wStd: 1.5, parameterization: Standard))";

    /// <summary>A float32 (N, d) file with the header numpy 1.24 writes for dtype '&lt;f4' (Npy writes float64 only).</summary>
    private static void WriteFloat32(string path, float[] data, int n, int d)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({n}, {d}), }}";
        string header = dict.PadRight(117) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
        f.Write(System.Text.Encoding.ASCII.GetBytes(header));
        foreach (var v in data) f.Write(BitConverter.GetBytes(v));
    }

    private static double[] RandomData(int seed, int count)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    private static void AssertMatrixFile(string path, Matrix<double> expected)
    {
        var a = Npy.Read(path);
        Assert.Equal("<f8", a.SourceDType);
        Assert.Equal(new[] { expected.RowCount, expected.ColumnCount }, a.Shape);
        // The CLI writes through the out-of-core tile writer (input Gram by dgemm bands), the library call through the
        // in-memory engine (dsyrk): the same per-entry math, a different summation order of the input Gram, so the
        // files agree to rounding relative to the largest entry, not to the last bit.
        double scale = expected.Enumerate().Max(Math.Abs);
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                double diff = Math.Abs(expected[i, j] - a.Data[i * expected.ColumnCount + j]);
                Assert.True(diff <= 1e-14 * scale, $"[{i},{j}]: file {a.Data[i * expected.ColumnCount + j]:R}, library {expected[i, j]:R}, relative difference {diff / scale:G3}");
            }
        }
    }

    [Fact]
    public void Kernel_TwoBatchesFloat64AndFloat32_FilesEqualKernelFunctionRowMajor()
    {
        using var tmp = new TempFolder();
        var x1 = new Tensor(RandomData(1, 7 * 3), 7, 3);
        var f2 = RandomData(2, 4 * 3).Select(v => (float)v).ToArray();
        Npy.Write(tmp.File("x1.npy"), x1);
        WriteFloat32(tmp.File("x2.npy"), f2, 4, 3);
        string outDir = Path.Combine(tmp.Path, "out", "nested");

        var run = CliRun.Of("kernel", "--arch", Arch, "--x1", tmp.File("x1.npy"), "--x2", tmp.File("x2.npy"), "--out", outDir, "--threads", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var expected = new KernelFunction(Layer.Parse(Arch)).Compute(x1, new Tensor(f2.Select(v => (double)v).ToArray(), 4, 3));
        AssertMatrixFile(Path.Combine(outDir, "nngp.npy"), expected.Nngp!);
        AssertMatrixFile(Path.Combine(outDir, "ntk.npy"), expected.Ntk!);
        string summary = Assert.Single(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("x1 (7, 3), x2 (4, 3)", summary);
        Assert.Contains("(7, 4)", summary);
    }

    [Fact]
    public void Kernel_NhwcImages_FilesEqualKernelFunction()
    {
        using var tmp = new TempFolder();
        const string conv = "Serial(Conv(16, filter: (3, 3), padding: Same, wStd: 1.4, bStd: 0.1), Relu(), AvgPool((2, 2), strides: (2, 2)), Conv(8, (2, 2), padding: Circular), Erf(), GlobalAvgPool(), Dense(1))";
        var x1 = new Tensor(RandomData(11, 3 * 4 * 4 * 2), 3, 4, 4, 2);
        var x2 = new Tensor(RandomData(12, 2 * 4 * 4 * 2), 2, 4, 4, 2);
        Npy.Write(tmp.File("a.npy"), x1);
        Npy.Write(tmp.File("b.npy"), x2);

        var run = CliRun.Of("kernel", "--arch", conv, "--x1", tmp.File("a.npy"), "--x2", tmp.File("b.npy"), "--out", tmp.Path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var expected = new KernelFunction(Layer.Parse(conv)).Compute(x1, x2);
        AssertMatrixFile(tmp.File("nngp.npy"), expected.Nngp!);
        AssertMatrixFile(tmp.File("ntk.npy"), expected.Ntk!);
        Assert.Contains("x1 (3, 4, 4, 2), x2 (2, 4, 4, 2)", run.Stdout);
    }

    [Fact]
    public void Kernel_NoX2_SymmetricMatricesMatchingKernelFunction()
    {
        using var tmp = new TempFolder();
        var x1 = new Tensor(RandomData(3, 5 * 4), 5, 4);
        Npy.Write(tmp.File("x.npy"), x1);

        var run = CliRun.Of("kernel", "--arch", Arch, "--x1", tmp.File("x.npy"), "--out", tmp.Path);

        Assert.Equal(0, run.ExitCode);
        var expected = new KernelFunction(Layer.Parse(Arch)).Compute(x1);
        AssertMatrixFile(tmp.File("nngp.npy"), expected.Nngp!);
        AssertMatrixFile(tmp.File("ntk.npy"), expected.Ntk!);
        var ntk = Npy.Read(tmp.File("ntk.npy"));
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++) Assert.Equal(ntk.Data[i * 5 + j], ntk.Data[j * 5 + i]);
        }
        Assert.Contains("x2 = x1", run.Stdout);
    }

    [Theory]
    [InlineData("float64", 1e-12)]
    [InlineData("float32", 1e-5)]
    public void Kernel_IlgpuCpuDevice_MatchesCpuEngineWithinPrecision(string precision, double tolerance)
    {
        using var tmp = new TempFolder();
        var x1 = new Tensor(RandomData(11, 6 * 4), 6, 4);
        var x2 = new Tensor(RandomData(12, 3 * 4), 3, 4);
        Npy.Write(tmp.File("x1.npy"), x1);
        Npy.Write(tmp.File("x2.npy"), x2);

        var run = CliRun.Of("kernel", "--arch", Arch, "--x1", tmp.File("x1.npy"), "--x2", tmp.File("x2.npy"),
            "--device", "ilgpu-cpu", "--precision", precision, "--out", tmp.Path, "--no-progress");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var expected = new KernelFunction(Layer.Parse(Arch)).Compute(x1, x2);
        foreach (var (file, m) in new[] { ("nngp.npy", expected.Nngp!), ("ntk.npy", expected.Ntk!) })
        {
            var a = Npy.Read(tmp.File(file));
            double scale = m.Enumerate().Max(Math.Abs), worst = 0;
            for (int i = 0; i < 6; i++)
            {
                for (int j = 0; j < 3; j++) worst = Math.Max(worst, Math.Abs(a.Data[i * 3 + j] - m[i, j]));
            }
            Assert.True(worst <= tolerance * scale, $"{file} {precision}: max |Δ| = {worst:G3}, scale {scale:G3}");
        }
    }

    [Theory]
    [InlineData("ntk", false, true)]
    [InlineData("nngp", true, false)]
    [InlineData("NTK,nngp", true, true)]
    public void Kernel_Get_WritesOnlyRequestedKernels(string get, bool nngp, bool ntk)
    {
        using var tmp = new TempFolder();
        Npy.Write(tmp.File("x.npy"), new Tensor(RandomData(4, 6), 3, 2));

        var run = CliRun.Of("kernel", "--arch", "Serial(Dense(8), Relu(), Dense(1))", "--x1", tmp.File("x.npy"), "--get", get, "--out", tmp.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(nngp, File.Exists(tmp.File("nngp.npy")));
        Assert.Equal(ntk, File.Exists(tmp.File("ntk.npy")));
    }

    [Fact]
    public void Kernel_ArchFile_SameAsArchText()
    {
        using var tmp = new TempFolder();
        var x = new Tensor(RandomData(5, 8), 4, 2);
        Npy.Write(tmp.File("x.npy"), x);
        File.WriteAllText(tmp.File("net.txt"), "Serial(\n  Dense(16, wStd: 2, bStd: 0.1),\n  Abs(),\n  Dense(1)\n)\n");

        var run = CliRun.Of("kernel", "--arch-file", tmp.File("net.txt"), "--x1", tmp.File("x.npy"), "--get", "nngp", "--out", tmp.Path, "--no-progress");

        Assert.Equal(0, run.ExitCode);
        var expected = new KernelFunction(Stax.Serial(Stax.Dense(16, 2, 0.1), Stax.Abs(), Stax.Dense(1))).Compute(x, outputs: KernelOutputs.Nngp);
        AssertMatrixFile(tmp.File("nngp.npy"), expected.Nngp!);
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "missing x1 file", ["--arch", "Dense(1)", "--x1", "{dir}/nope.npy", "--out", "{dir}/o"], "--x1: file '{dir}/nope.npy' not found" },
        { "x1 is a folder", ["--arch", "Dense(1)", "--x1", "{dir}", "--out", "{dir}/o"], "is a folder" },
        { "not npy", ["--arch", "Dense(1)", "--x1", "{dir}/text.npy", "--out", "{dir}/o"], "magic string" },
        { "truncated", ["--arch", "Dense(1)", "--x1", "{dir}/truncated.npy", "--out", "{dir}/o"], "Truncated .npy data" },
        { "int dtype", ["--arch", "Dense(1)", "--x1", "{dir}/int.npy", "--out", "{dir}/o"], "dtype '<i4'; inputs must be float32 or float64" },
        { "rank 1", ["--arch", "Dense(1)", "--x1", "{dir}/rank1.npy", "--out", "{dir}/o"], "has shape (6,); inputs need a batch axis first" },
        { "NaN", ["--arch", "Dense(1)", "--x1", "{dir}/nan.npy", "--out", "{dir}/o"], "non-finite value (nan) at index (1, 0)" },
        { "infinity in x2", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--x2", "{dir}/inf.npy", "--out", "{dir}/o"], "--x2: {dir}/inf.npy has a non-finite value (-inf) at index (2, 1)" },
        { "mismatched d", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--x2", "{dir}/x3.npy", "--out", "{dir}/o"], "--x2 examples have shape (3,) but --x1 examples have (2,)" },
        { "syntax error", ["--arch", "Serial(Dense(512 x", "--x1", "{dir}/x.npy", "--out", "{dir}/o"], "--arch: position 17: expected ',' or ')' but found 'x'" },
        { "unknown layer", ["--arch", "Serial(Dense(4), Rellu(), Dense(1))", "--x1", "{dir}/x.npy", "--out", "{dir}/o"], "unknown layer 'Rellu'" },
        { "bad composition", ["--arch", "Serial(Relu(), Dense(1))", "--x1", "{dir}/x.npy", "--out", "{dir}/o"], "--arch: Layer [0]: Relu needs an affine layer" },
        { "bad value", ["--arch", "Dense(-3)", "--x1", "{dir}/x.npy", "--out", "{dir}/o"], "--arch: position 0: Dense: Dense width must be positive" },
        { "missing arch", ["--x1", "{dir}/x.npy", "--out", "{dir}/o"], "missing required option --arch" },
        { "both arch options", ["--arch", "Dense(1)", "--arch-file", "{dir}/x.npy", "--x1", "{dir}/x.npy", "--out", "{dir}/o"], "either --arch or --arch-file" },
        { "missing arch file", ["--arch-file", "{dir}/none.txt", "--x1", "{dir}/x.npy", "--out", "{dir}/o"], "--arch-file: file '{dir}/none.txt' not found" },
        { "missing x1", ["--arch", "Dense(1)", "--out", "{dir}/o"], "missing required option --x1" },
        { "missing out", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy"], "missing required option --out" },
        { "out is a file", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--out", "{dir}/x.npy"], "--out: '{dir}/x.npy' is a file" },
        { "bad get", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--get", "nngp,foo", "--out", "{dir}/o"], "--get: unknown kernel 'foo'" },
        { "zero threads", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--threads", "0", "--out", "{dir}/o"], "--threads: must be positive" },
        { "threads not int", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--threads", "two", "--out", "{dir}/o"], "--threads: 'two' is not an integer" },
        { "unknown option", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--out", "{dir}/o", "--x3", "a"], "unknown option --x3" },
        { "stray argument", ["extra", "--arch", "Dense(1)"], "unexpected argument 'extra'" },
        { "unknown device", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--device", "tpu", "--out", "{dir}/o"], "--device: unknown device 'tpu'" },
        { "absent GPU", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--device", "cuda:99", "--out", "{dir}/o"], "--device: cuda:99:" },
        { "bad GPU number", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--device", "cuda:x", "--out", "{dir}/o"], "no device number after 'cuda:'" },
        { "unknown precision", ["--arch", "Dense(1)", "--x1", "{dir}/x.npy", "--precision", "float16", "--out", "{dir}/o"], "--precision: unknown precision 'float16'" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Kernel_BadInput_ExitCode2AndOneLineError(string what, string[] args, string expected)
    {
        using var tmp = new TempFolder();
        Npy.Write(tmp.File("x.npy"), new Tensor(RandomData(6, 6), 3, 2));
        Npy.Write(tmp.File("x3.npy"), new Tensor(RandomData(7, 6), 2, 3));
        Npy.Write(tmp.File("rank1.npy"), RandomData(8, 6), 6);
        Npy.Write(tmp.File("nan.npy"), [1, 2, double.NaN, 4], 2, 2);
        Npy.Write(tmp.File("inf.npy"), [1, 2, 3, 4, 5, double.NegativeInfinity], 3, 2);
        File.WriteAllText(tmp.File("text.npy"), "1,2\n3,4\n");
        var full = File.ReadAllBytes(tmp.File("x.npy"));
        File.WriteAllBytes(tmp.File("truncated.npy"), full[..^5]);
        WriteInt32(tmp.File("int.npy"));

        var run = CliRun.Of(["kernel", .. args.Select(a => a.Replace("{dir}", tmp.Path))]);

        Assert.True(run.ExitCode == 2, $"{what}: exit code {run.ExitCode}, stderr: {run.Stderr}");
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("ntksharp kernel: error: ", line);
        Assert.Contains(expected.Replace("{dir}", tmp.Path), line);
        Assert.Equal("", run.Stdout);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "o")) && Directory.EnumerateFiles(Path.Combine(tmp.Path, "o")).Any(), $"{what}: output written");
    }

    private static void WriteInt32(string path)
    {
        string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }".PadRight(117) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
        f.Write(System.Text.Encoding.ASCII.GetBytes(header));
        for (int i = 0; i < 4; i++) f.Write(BitConverter.GetBytes(i));
    }

    [Fact]
    public void Kernel_Cancelled_Exit130AndNoOutput()
    {
        using var tmp = new TempFolder();
        Npy.Write(tmp.File("x.npy"), new Tensor(RandomData(9, 40), 20, 2));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var run = CliRun.Of(cts.Token, "kernel", "--arch", "Serial(Dense(8), Relu(), Dense(1))", "--x1", tmp.File("x.npy"), "--out", tmp.File("o"));

        Assert.Equal(130, run.ExitCode);
        Assert.Equal("ntksharp kernel: cancelled", Assert.Single(run.ErrorLines));
        Assert.False(Directory.Exists(tmp.File("o")), "the output folder created by the cancelled run was left behind");
    }

    [Fact]
    public void Help_ToolAndVerb_DocumentKernelAndEveryOption()
    {
        var top = CliRun.Of("--help");
        Assert.Equal(0, top.ExitCode);
        Assert.Contains("kernel", top.Stdout);

        var verb = CliRun.Of("kernel", "--help");
        Assert.Equal(0, verb.ExitCode);
        foreach (var option in new[] { "--arch ", "--arch-file", "--x1", "--x2", "--get", "--threads", "--out", "--no-progress", "nngp.npy", "ntk.npy", "Dense", "Serial" })
            Assert.Contains(option, verb.Stdout);
    }
}
