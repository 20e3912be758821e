using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkSharp.Kernels;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

namespace NtkSharp.Cli.Commands;

/// <summary><c>ntksharp spectrum</c>: the spectrum of a kernel over the orbits of a group, block by irrep
/// (<see cref="KernelSpectrum.OverGroup"/>; Perin &amp; Deny, JMLR 2025).</summary>
internal sealed class SpectrumCommand : ICliCommand
{
    public string Name => "spectrum";

    public string Summary => "spectrum of the NTK/NNGP over group orbits, block-diagonalised by the group's irreps";

    public string Help => $$"""
        Usage: ntksharp spectrum --arch TEXT --group G --x X.npy [--kernel ntk|nngp] [--threads K] --out DIR

        For a kernel invariant under the simultaneous action, K(g x, g x') = K(x, x'), the orbit Gram matrix
        K(rho(g) x_i, rho(h) x_j) (N|G| x N|G|) is block-diagonalised by the group Fourier transform: one Hermitian block
        K_rho = sum_a K(x_i, rho(a) x_j) (x) rho(a)* of size N dim(rho) per irreducible representation rho, each eigenvalue
        of the Gram matrix being an eigenvalue of a block, repeated dim(rho) times. Only the N x N|G| columns
        K(x_i, rho(a) x_j) are computed. The trivial block is |G| times the group-averaged kernel. The kernel's symmetry is
        checked on the data first; a non-symmetric kernel is an error stating the measured asymmetry.

        {{CliInputs.ArchitectureHelp}}
          --group G        C4, D4 (square (H, H, C) images or (2) vectors), Cn:k (exact on (2) vectors; interpolated
                           image rotations are refused: not a representation), Polar:k (cyclic shifts of the angle
                           axis of (R, A, C) polar images), Translations, Permutations ((n, f) sets,
                           S_n, n <= 5 for irreps of dimension up to 6), Trivial
          --x PATH         inputs (N, ...)
          --kernel KIND    ntk (default) or nngp
          --threads K      kernel threads
          --out DIR        output folder (created)

        Irreps: cyclic groups 'trivial', 'chi1' ... 'chi{k-1}' (chi_m(r^j) = exp(2 pi i m j / k)); dihedral groups
        'trivial', 'A2', 'B1', 'B2' (k even), 'E1' ...; other groups 'trivial', 'rho1', 'rho2', ... by dimension.
        Writes DIR/spectrum.csv (header irrep,dimension,eigenvalue; one row per eigenvalue of each block, descending
        within the block) and DIR/summary.json (per irrep: dimension, trace share d tr(K_rho) / tr(orbit Gram), block
        trace, largest eigenvalue; the measured symmetry violation).

        {{CliInputs.ExitCodesHelp}}

        Example:
          ntksharp spectrum --arch "Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1))" --group C4 \
                            --x points.npy --out spectrum
        """;

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var network = CliInputs.Architecture(args);
        string groupText = args.Required("group");
        var x = CliInputs.Batch(args, "x");
        string kernelText = (args.Optional("kernel") ?? "ntk").ToLowerInvariant();
        var kernelOptions = CliInputs.KernelOptions(args);
        string outDir = args.Required("out");
        args.EnsureAllUsed();
        var which = kernelText switch
        {
            "ntk" => KernelOutputs.Ntk,
            "nngp" => KernelOutputs.Nngp,
            _ => throw new CliException($"--kernel: unknown kernel '{kernelText}'; choose ntk or nngp"),
        };
        CliInputs.ArchitectureTakes(network, x, "x");
        var group = EquivarianceCommand.ParseGroup(groupText, x.ExampleShape, OutputRepresentation.Invariant);
        using var output = AtomicOutputs.Create(outDir, "--out", cancellationToken, "spectrum.csv", "summary.json");
        GroupSpectrum spectrum;
        try
        {
            spectrum = KernelSpectrum.OverGroup(new KernelFunction(network), group, x, which, kernelOptions, cancellationToken: cancellationToken);
        }
        catch (ArgumentException e) when (e.ParamName is "group")
        {
            throw new CliException($"--group {groupText}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal).ReplaceLineEndings(" ")}");
        }
        catch (NotSupportedException e)
        {
            throw new CliException($"--group {groupText}: {e.Message.ReplaceLineEndings(" ")}");
        }

        string csvPath = Path.Combine(outDir, "spectrum.csv"), jsonPath = Path.Combine(outDir, "summary.json");
        var csv = new StringBuilder("irrep,dimension,eigenvalue\n");
        foreach (var b in spectrum.Blocks)
        {
            foreach (double v in b.Eigenvalues)
                csv.Append(b.Name).Append(',').Append(b.Dimension.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        output.Write("spectrum.csv", path => File.WriteAllText(path, csv.ToString()));
        output.Write("summary.json", path => WriteSummary(path, spectrum, which));
        output.Commit();
        stdout.WriteLine($"{spectrum.GroupName} (|G| = {spectrum.GroupOrder}), N = {spectrum.InputCount}, {kernelText}: {spectrum.Blocks.Count} irreps; symmetry violation {spectrum.SymmetryViolation.ToString("G3", CultureInfo.InvariantCulture)}");
        foreach (var b in spectrum.Blocks)
            stdout.WriteLine($"  {b.Name} (dim {b.Dimension}): trace share {b.TraceShare.ToString("G4", CultureInfo.InvariantCulture)}, largest eigenvalue {b.Eigenvalues[0].ToString("G6", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"wrote {csvPath}, {jsonPath}");
        return 0;
    }

    private static void WriteSummary(string path, GroupSpectrum s, KernelOutputs which)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("group", s.GroupName);
        w.WriteNumber("order", s.GroupOrder);
        w.WriteNumber("inputs", s.InputCount);
        w.WriteString("kernel", which == KernelOutputs.Ntk ? "ntk" : "nngp");
        w.WriteNumber("orbit_trace", s.OrbitTrace);
        w.WriteNumber("symmetry_violation", s.SymmetryViolation);
        w.WriteStartArray("irreps");
        foreach (var b in s.Blocks)
        {
            w.WriteStartObject();
            w.WriteString("irrep", b.Name);
            w.WriteNumber("dimension", b.Dimension);
            w.WriteNumber("trace_share", b.TraceShare);
            w.WriteNumber("block_trace", b.Block.Trace().Real);
            w.WriteNumber("largest_eigenvalue", b.Eigenvalues[0]);
            w.WriteNumber("eigenvalue_count", b.Eigenvalues.Count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("trace_share");
        foreach (var b in s.Blocks) w.WriteNumber(b.Name, b.TraceShare);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
