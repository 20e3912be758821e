using System.Diagnostics;
using Xunit;

namespace NtkSharp.Tests.Python;

/// <summary>A theory over the Python client's tests: skipped, with the reason, when /usr/bin/python3 with numpy is
/// missing (CI installs Debian's python3-numpy, so there they always run).</summary>
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    /// <summary>The interpreter the client is tested with.</summary>
    public const string Interpreter = "/usr/bin/python3";

    private static readonly string? Missing = Check();

    public PythonTheoryAttribute()
    {
        if (Missing is not null) Skip = Missing;
    }

    private static string? Check()
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} not found (apt-get install python3-numpy)";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Interpreter, ["-c", "import numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit(60_000);
            return p.ExitCode == 0 ? null : $"numpy is not importable by {Interpreter} (apt-get install python3-numpy)";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"{Interpreter} cannot run: {e.Message}";
        }
    }
}
