using System.Globalization;
using NtkSharp.IO;
using NtkSharp.Symmetry;

namespace NtkSharp.Cli.Commands;

/// <summary>
/// <c>ntksharp polar</c>: resamples square images onto a polar grid (<see cref="PolarGrid"/>), on which the rotations by
/// 2π/k for every k dividing the number of angles act exactly (<c>--group Polar:k</c>).
/// </summary>
internal sealed class PolarCommand : ICliCommand
{
    public string Name => "polar";

    public string Summary => "resample square images onto a polar grid, where rotations by 2π/k are exact (Polar:k)";

    public string Help => string.Join('\n',
        "Usage: ntksharp polar --x FILE --radii R --angles A --out FILE",
        "",
        "Resamples square images (N, H, H, C) onto a polar grid (N, R, A, C) about the image centre by bilinear",
        "interpolation: sample (a, b) is the image at radius r_a = (a + 1/2)·r_max/R and angle φ_b = 2πb/A",
        "(counter-clockwise from the +x axis, y up), with r_max = (H − 1)/2. Rotating an image by 2πm/k shifts its polar",
        "image by m·A/k along the angle axis, exactly: use --group Polar:k (k dividing A) in `ntksharp equivariance`,",
        "and padding: (Same, Circular) in Conv so that convolutions wrap around the angle axis only.",
        "",
        "Options:",
        "  --x FILE          .npy square images (N, H, H, C) or (N, H, H), float32 or float64",
        "  --radii R         number of radii R ≥ 1",
        "  --angles A        number of angles A ≥ 1 (a multiple of every k you want exact, e.g. 32 for k = 8, 16, 32)",
        "  --out FILE        the polar images (N, R, A, C), float64 .npy (replaced if it exists)",
        "",
        CliInputs.ExitCodesHelp,
        "",
        "Example:",
        "  ntksharp polar --x images.npy --radii 16 --angles 32 --out polar.npy");

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var x = CliInputs.Batch(args, "x");
        int radii = args.OptionalInt("radii") ?? throw new CliException("missing required option --radii");
        int angles = args.OptionalInt("angles") ?? throw new CliException("missing required option --angles");
        string outPath = args.Required("out");
        args.EnsureAllUsed();
        if (x.Shape.Length == 3) x = new Tensor(x.Data, x.Shape[0], x.Shape[1], x.Shape[2], 1);
        if (x.Shape.Length != 4 || x.Shape[1] != x.Shape[2])
            throw new CliException($"--x: polar resampling needs square images (N, H, H, C) or (N, H, H); got {CliInputs.Shape(x.Shape)}");
        if (x.Shape[1] < 2) throw new CliException($"--x: the images must be at least 2×2 pixels; got {CliInputs.Shape(x.Shape)}");
        if (radii < 1) throw new CliException($"--radii: must be at least 1 (got {radii})");
        if (angles < 1) throw new CliException($"--angles: must be at least 1 (got {angles})");
        if ((long)radii * angles > PolarGrid.MaxSamples)
            throw new CliException($"--radii × --angles = {(long)radii * angles} samples per channel; at most {PolarGrid.MaxSamples}");
        long values = (long)x.Shape[0] * radii * angles * x.Shape[3];
        if (values > Array.MaxLength)
            throw new CliException($"--radii/--angles: the polar images would hold {values} values ({values * 8L} bytes), more than one array can; resample fewer images at a time");
        if (string.IsNullOrWhiteSpace(outPath)) throw new CliException("--out: the file name is empty");
        string full = Path.GetFullPath(outPath);
        using var output = AtomicOutputs.Create(Path.GetDirectoryName(full) ?? ".", "--out", cancellationToken, Path.GetFileName(full));
        cancellationToken.ThrowIfCancellationRequested();
        var grid = new PolarGrid(x.Shape[1], radii, angles);
        var polar = grid.ToPolar(x);
        cancellationToken.ThrowIfCancellationRequested();
        output.Write(Path.GetFileName(full), path => Npy.Write(path, polar));
        output.Commit();
        stdout.WriteLine($"polar: {x.Shape[0]} images {x.Shape[1]}×{x.Shape[2]}×{x.Shape[3]} → {CliInputs.Shape(polar.Shape)} (r_max = {grid.Centre.ToString("G6", CultureInfo.InvariantCulture)} px); wrote {outPath}");
        return 0;
    }
}
