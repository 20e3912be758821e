using System.Diagnostics;
using Xunit;

namespace NtkSharp.Tests.ScaleOut;

/// <summary>
/// A fact that needs a running Slurm cluster (sinfo answers with an idle node): skipped with the reason when there is
/// none, unless <c>NTKSHARP_REQUIRE_SLURM=1</c> (set by .ci/run after .ci/slurm-local.sh started one), where it runs and
/// fails instead.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    private static readonly string? Missing = Probe();

    public SlurmFactAttribute()
    {
        if (Missing is not null && Environment.GetEnvironmentVariable("NTKSHARP_REQUIRE_SLURM") != "1")
            Skip = $"No Slurm cluster: {Missing} (start one with .ci/slurm-local.sh start DIR, then . DIR/env).";
    }

    private static string? Probe()
    {
        try
        {
            var psi = new ProcessStartInfo("sinfo", "-h -o %T") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            string error = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(10_000)) return "sinfo did not answer within 10 s";
            if (p.ExitCode != 0) return $"sinfo failed: {error.Trim()}";
            return output.Contains("idle", StringComparison.Ordinal) || output.Contains("mix", StringComparison.Ordinal) || output.Contains("alloc", StringComparison.Ordinal)
                ? null : $"no usable node (sinfo: '{output.Trim()}')";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "sinfo is not installed";
        }
    }
}
