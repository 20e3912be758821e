using NtkSharp.Compute;
using System.Globalization;
using NtkSharp.IO;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Cli;

/// <summary>
/// Reading the options that several verbs share: architecture text, .npy inputs, kernel selection, threads and the
/// output folder. Every failure becomes a one-line <see cref="CliException"/> naming the option.
/// </summary>
internal static class CliInputs
{
    /// <summary>The exit-code lines of every verb's help (the same codes for every verb; docs/cli.md, "Exit codes").</summary>
    public const string ExitCodesHelp =
        "Exit codes (every verb): 0 success; 2 bad input (an option, a missing or malformed input file, integer or NaN\n" +
        "data, architecture text, sizes beyond the memory, results that overflow, divergence); 1 I/O failure (an output\n" +
        "that cannot be written, an input that cannot be read); 130 cancelled by Ctrl+C/SIGINT (within a second; no\n" +
        "output or temporary file is left); 3 internal error. Errors are one line on stderr naming the option.";

    /// <summary>The help lines for <c>--arch</c> and <c>--arch-file</c>.</summary>
    public static string ArchitectureHelp =>
        "  --arch TEXT       the architecture in C#-call syntax (docs/architecture-text.md), e.g.\n" +
        "                    \"Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1))\"\n" +
        $"                    layers: {string.Join(", ", Layer.KnownLayerNames)}\n" +
        "  --arch-file FILE  read the architecture text from FILE instead of --arch";

    /// <summary>Parses <c>--arch TEXT</c> or <c>--arch-file FILE</c> (exactly one) and validates it as a whole network.</summary>
    public static Layer Architecture(CliArguments args)
    {
        string? text = args.Optional("arch");
        string? file = args.Optional("arch-file");
        string option = "--arch";
        if (text is not null && file is not null) throw new CliException("give either --arch or --arch-file, not both");
        if (file is not null)
        {
            option = "--arch-file";
            if (Directory.Exists(file)) throw new CliException($"--arch-file: '{file}' is a folder, not a text file");
            if (!File.Exists(file)) throw new CliException($"--arch-file: file '{file}' not found");
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--arch-file: cannot read {file}: {CliErrors.IoReason(e)}", CliException.IoFailure);
            }
        }
        if (text is null) throw new CliException("missing required option --arch (or --arch-file)");
        try
        {
            var net = Layer.Parse(text);
            net.ValidateNetwork();
            return net;
        }
        catch (ArchitectureParseException e)
        {
            throw new CliException($"{option}: {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (ArchitectureException e)
        {
            throw new CliException($"{option}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>Reads the required floating-point .npy batch (rank ≥ 2, finite values) of option <c>--name</c>.</summary>
    public static Tensor Batch(CliArguments args, string name) => ReadBatch(args.Required(name), name);

    /// <summary>Reads the floating-point .npy batch of option <c>--name</c> when given.</summary>
    public static Tensor? OptionalBatch(CliArguments args, string name) => args.Optional(name) is { } path ? ReadBatch(path, name) : null;

    /// <summary>Reads a floating-point .npy batch of rank ≥ 2 with finite values; <paramref name="name"/> is the option.</summary>
    public static Tensor ReadBatch(string path, string name)
    {
        var a = ReadArray(path, name, "inputs");
        if (a.Rank < 2)
            throw new CliException($"--{name}: {path} has shape {a.ShapeText}; inputs need a batch axis first: (N, d), (N, L, C) or (N, H, W, C) (use x.reshape(1, -1) for one example)");
        return a.ToTensor();
    }

    /// <summary>
    /// Reads the .npy file <paramref name="path"/> of option <c>--name</c>: float32 or float64, not empty, every value
    /// finite. A missing file, a folder, a malformed file, an integer or bool dtype and NaN/∞ are bad input (exit 2);
    /// a file that exists but cannot be read is an I/O failure (exit 1). <paramref name="what"/> names the contents in
    /// messages ("inputs", "targets", "kernel matrices").
    /// </summary>
    public static NpyArray ReadArray(string path, string name, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException($"--{name}: the file name is empty");
        if (Directory.Exists(path)) throw new CliException($"--{name}: '{path}' is a folder, not a .npy file");
        if (!File.Exists(path)) throw new CliException($"--{name}: file '{path}' not found");
        NpyArray a;
        try
        {
            a = Npy.Read(path);
        }
        catch (NpyFormatException e)
        {
            throw new CliException($"--{name}: {CliErrors.OneLine(e.Message)}");
        }
        catch (EndOfStreamException)
        {
            throw new CliException($"--{name}: {path} is truncated (shorter than its header says)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--{name}: cannot read {path}: {CliErrors.IoReason(e)}", CliException.IoFailure);
        }
        if (a.SourceDType.Length < 2 || a.SourceDType[^2] != 'f')
            throw new CliException($"--{name}: {path} has dtype '{a.SourceDType}'; {what} must be float32 or float64 (integer and bool arrays are rejected: save a.astype(np.float64))");
        if (a.Shape.Contains(0)) throw new CliException($"--{name}: {path} has shape {a.ShapeText}, which is empty");
        for (long i = 0; i < a.Data.LongLength; i++)
        {
            if (!double.IsFinite(a.Data[i]))
                throw new CliException($"--{name}: {path} has a non-finite value ({Format(a.Data[i])}) at index {MultiIndex(i, a.Shape)}");
        }
        return a;
    }

    /// <summary>Checks that the architecture takes examples of <paramref name="x"/>'s shape (option <c>--name</c>).</summary>
    public static void ArchitectureTakes(Layer network, Tensor x, string name)
    {
        try
        {
            network.ValidateNetwork(x.ExampleShape);
        }
        catch (ArchitectureException e)
        {
            throw new CliException($"--arch does not take the --{name} examples of shape {Shape(x.ExampleShape)}: {CliErrors.OneLine(e.Message)}");
        }
    }

    /// <summary>Checks that the examples of x2 have x1's shape.</summary>
    public static void SameExampleShape(Tensor x1, Tensor x2, string name1 = "x1", string name2 = "x2")
    {
        if (!x1.ExampleShape.SequenceEqual(x2.ExampleShape))
            throw new CliException($"--{name2} examples have shape {Shape(x2.ExampleShape)} but --{name1} examples have {Shape(x1.ExampleShape)}");
    }

    /// <summary>Parses <c>--get</c>: "nngp", "ntk" or both, comma-separated (default both).</summary>
    public static KernelOutputs Outputs(CliArguments args, string name = "get")
    {
        string? s = args.Optional(name);
        if (s is null) return KernelOutputs.Both;
        KernelOutputs result = 0;
        foreach (var part in s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            result |= part.ToLowerInvariant() switch
            {
                "nngp" => KernelOutputs.Nngp,
                "ntk" => KernelOutputs.Ntk,
                _ => throw new CliException($"--{name}: unknown kernel '{part}'; choose nngp, ntk or nngp,ntk"),
            };
        }
        if (result == 0) throw new CliException($"--{name}: give nngp, ntk or nngp,ntk");
        return result;
    }

    /// <summary>Kernel options from <c>--threads K</c>.</summary>
    public static KernelOptions KernelOptions(CliArguments args)
    {
        int? threads = args.OptionalInt("threads");
        if (threads is <= 0) throw new CliException($"--threads: must be positive (got {threads})");
        return threads is null ? Kernels.KernelOptions.Default : new KernelOptions { MaxDegreeOfParallelism = threads };
    }

    /// <summary>Help lines of <c>--device</c>.</summary>
    public const string DeviceHelp =
        "  --device D        cpu (default), cuda or cuda:N (the N-th NVIDIA GPU), ilgpu-cpu (the GPU kernels on ILGPU's\n" +
        "                    software accelerator: slow, for testing)";

    /// <summary>Parses <c>--device cpu|cuda|cuda:N|ilgpu-cpu</c> (default cpu) and returns the factory of its compute
    /// context: call it after the other arguments are validated (opening a GPU takes time); the caller disposes the
    /// context.</summary>
    public static Func<ComputeContext> Device(CliArguments args)
    {
        string text = (args.Optional("device") ?? "cpu").Trim().ToLowerInvariant();
        if (text == "cpu") return ComputeContext.Cpu;
        if (text == "ilgpu-cpu") return ComputeContext.IlgpuCpu;
        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (text.Length > 4 && !int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out index))
                throw new CliException($"--device: '{text}' has no device number after 'cuda:'");
            return () =>
            {
                try
                {
                    return ComputeContext.Cuda(index);
                }
                catch (ArgumentOutOfRangeException e)
                {
                    throw new CliException($"--device: {text}: {CliErrors.Clean(e)}");
                }
            };
        }
        throw new CliException($"--device: unknown device '{text}'; choose cpu, cuda, cuda:N or ilgpu-cpu");
    }

    /// <summary>The <c>--precision float64|float32</c> of the GPU engine (default float64).</summary>
    public static KernelPrecision Precision(CliArguments args) => (args.Optional("precision") ?? "float64").Trim().ToLowerInvariant() switch
    {
        "float64" or "f64" or "double" => KernelPrecision.Float64,
        "float32" or "f32" or "single" => KernelPrecision.Float32,
        var other => throw new CliException($"--precision: unknown precision '{other}'; choose float64 or float32"),
    };

    /// <summary>"(3, 4)".</summary>
    public static string Shape(int[] shape) => shape.Length == 1
        ? $"({shape[0]},)"
        : "(" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";

    private static string MultiIndex(long flat, int[] shape)
    {
        var index = new long[shape.Length];
        for (int k = shape.Length - 1; k >= 0; k--)
        {
            index[k] = flat % shape[k];
            flat /= shape[k];
        }
        return "(" + string.Join(", ", index) + ")";
    }

    private static string Format(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
}
