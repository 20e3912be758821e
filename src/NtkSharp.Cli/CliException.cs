namespace NtkSharp.Cli;

/// <summary>Bad command-line input: printed as one line "ntksharp: error: …" with exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
