namespace NtkSharp.Cli;

/// <summary>
/// A failure reported as one line "ntksharp VERB: error: …" with <see cref="ExitCode"/>: <see cref="BadInput"/> (2) for
/// bad input (options, input files, architecture, sizes over the memory budget, overflowing results, divergence) and
/// <see cref="IoFailure"/> (1) for an output that cannot be written.
/// </summary>
internal sealed class CliException(string message, int exitCode = CliException.BadInput) : Exception(message)
{
    /// <summary>Exit code of bad input: 2.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code of an I/O failure (an output folder or file that cannot be written, an unreadable file): 1.</summary>
    public const int IoFailure = 1;

    /// <summary>Exit code of a run cancelled by Ctrl+C / SIGINT: 130 (128 + SIGINT), as shells report it.</summary>
    public const int Cancelled = 130;

    /// <summary>Exit code of an internal error (a bug: please report it with the command line): 3.</summary>
    public const int InternalError = 3;

    /// <summary>The process exit code for this failure.</summary>
    public int ExitCode { get; } = exitCode;
}
