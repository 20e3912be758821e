using System.ComponentModel;
using System.Diagnostics;

namespace NtkSharp.Cli.ScaleOut;

/// <summary>Runs Slurm's client commands (sbatch, squeue, scancel) and returns what they print.</summary>
internal static class SlurmCommands
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; the exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new CliException($"--slurm: cannot start {program}", CliException.IoFailure);
        }
        catch (Win32Exception)
        {
            throw new CliException($"--slurm: '{program}' not found on PATH: is this a Slurm login node (slurm-client installed, SLURM_CONF set)?", CliException.IoFailure);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            process.WaitForExitAsync(ct).GetAwaiter().GetResult();
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    /// <summary>Submits a batch script with <c>sbatch --parsable</c> and returns the job id.</summary>
    public static string Submit(IEnumerable<string> arguments, CancellationToken ct)
    {
        var args = new List<string> { "--parsable" };
        args.AddRange(arguments);
        var (code, stdout, stderr) = Run("sbatch", args, ct);
        string id = stdout.Trim().Split(';')[0];
        if (code != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new CliException($"--slurm: sbatch {string.Join(' ', args)} failed (exit {code}): {LastLine(stderr + "\n" + stdout)}", CliException.IoFailure);
        return id;
    }

    /// <summary>True while squeue still lists job <paramref name="jobId"/> (any array task, any state).</summary>
    public static bool InQueue(string jobId, CancellationToken ct)
    {
        var (code, stdout, _) = Run("squeue", ["-h", "-j", jobId, "-o", "%i %T"], ct);
        // squeue exits non-zero with "Invalid job id specified" once the job has left the controller's memory.
        return code == 0 && stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length > 0;
    }

    /// <summary>The last non-empty line of <paramref name="text"/> (or "(no output)").</summary>
    public static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
