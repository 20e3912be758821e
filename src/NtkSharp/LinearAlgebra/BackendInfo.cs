namespace NtkSharp.LinearAlgebra;

/// <summary>A description of the active linear algebra backend (see <see cref="Backend.Info"/>).</summary>
/// <param name="Kind">Which implementation is active.</param>
/// <param name="LibraryPaths">The resolved paths of the native libraries (empty for <see cref="BackendKind.Managed"/>).</param>
/// <param name="CoreName">OpenBLAS' kernel family (<c>openblas_get_corename</c>, e.g. "SkylakeX"), or null when the
/// library does not report it.</param>
/// <param name="Configuration">OpenBLAS' build configuration (<c>openblas_get_config</c>) or MKL's version string,
/// or null.</param>
/// <param name="Threads">The native library's thread count, or the managed degree of parallelism.</param>
/// <param name="Reason">Why this backend was chosen (forced, environment variable, first found, fallback).</param>
public sealed record BackendInfo(BackendKind Kind, IReadOnlyList<string> LibraryPaths, string? CoreName,
    string? Configuration, int Threads, string Reason);
