using System.Diagnostics;
using NtkSharp.IO;
using NtkSharp.Tests.Cli;
using Xunit;

namespace NtkSharp.Tests.ScaleOut;

/// <summary>
/// <c>ntksharp kernel --slurm</c> on a real single-node Slurm cluster (started in CI by .ci/slurm-local.sh): the array
/// tasks and the merge run the tool as separate processes through sbatch, and the result must be the single-process
/// run's bytes.
/// </summary>
[Collection("slurm")]
public class SlurmKernelTests
{
    private const string CnnText = "Serial(Conv(8, filter: (3, 3), padding: Same, wStd: 1.4), Relu(), Conv(8, filter: (3, 3), padding: Same, wStd: 1.4), Relu(), GlobalAvgPool(), Dense(1))";

    static SlurmKernelTests() => Environment.SetEnvironmentVariable("NTKSHARP_SLURM_POLL_SECONDS", "0.5");

    [SlurmFact]
    public void KernelSlurm4Wait_Completes_SameFilesAsSingleRun()
    {
        using var dir = new TempFolder();
        string x = dir.File("x.npy");
        Npy.Write(x, ScaleOutFixtures.Gaussian(60, 7, 41));
        var single = CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", dir.File("single"), "--no-progress");
        Assert.True(single.ExitCode == 0, single.Stderr);

        var slurm = CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", dir.File("slurm"), "--slurm", "4", "--wait", "--no-progress");
        Assert.True(slurm.ExitCode == 0, $"exit {slurm.ExitCode}: {slurm.Stderr} {slurm.Stdout}");
        Assert.Matches(@"array job \d+ submitted: shards 0-3 of 4", slurm.Stdout);
        Assert.Matches(@"merge job \d+ submitted with --dependency=afterok:\d+", slurm.Stdout);
        Assert.Contains("#SBATCH", File.ReadAllText(Path.Combine(dir.File("slurm"), "ntksharp-shards.sbatch")));
        foreach (var f in new[] { "nngp.npy", "ntk.npy" })
            Assert.Equal(-1, ScaleOutFixtures.FirstDifference(Path.Combine(dir.File("single"), f), Path.Combine(dir.File("slurm"), f)));
    }

    [SlurmFact]
    public void KernelSlurmResume_TaskKilledMidRun_ResubmitsOnlyItAndCompletes()
    {
        using var dir = new TempFolder();
        string x = dir.File("images.npy");
        // Large enough that the killed shard computes for a while (≈ 0.7 s on one thread of an idle AMD EPYC; 64 images of
        // 6 × 6 finished in under 0.1 s on a quiet machine, before the poll below saw its partial files).
        Npy.Write(x, ScaleOutFixtures.Gaussian(96, 12 * 12 * 2, 42).Reshape(96, 12, 12, 2));
        string output = dir.File("run");
        string[] common = ["kernel", "--arch", CnnText, "--x1", x, "--out", output, "--no-progress"];

        // Shard 1 as its own process, killed (SIGKILL) while its tiles are being computed.
        var psi = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(NtkSharp.Cli.Program).Assembly.Location);
        foreach (var a in common) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--shard");
        psi.ArgumentList.Add("1/4");
        psi.ArgumentList.Add("--threads");
        psi.ArgumentList.Add("1");
        using (var task = Process.Start(psi)!)
        {
            string shards = Path.Combine(output, "shards");
            var clock = Stopwatch.StartNew();
            while (!task.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)
                   && !(Directory.Exists(shards) && Directory.GetFiles(shards, "*.partial").Length > 0))
                Thread.Sleep(2);
            if (task.HasExited) Assert.Fail($"shard 1 finished (exit {task.ExitCode}) before it could be killed: {task.StandardError.ReadToEnd()}");
            task.Kill();
            task.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(output, "shards", "shard-00001-of-00004.json")), "the killed shard left complete metadata");
        foreach (int i in new[] { 0, 2, 3 })
        {
            var run = CliRun.Of([.. common, "--shard", $"{i}/4"]);
            Assert.True(run.ExitCode == 0, run.Stderr);
        }

        var resume = CliRun.Of([.. common, "--slurm", "4", "--resume", "--wait"]);
        Assert.True(resume.ExitCode == 0, $"exit {resume.ExitCode}: {resume.Stderr} {resume.Stdout}");
        Assert.Matches(@"array job \d+ submitted: shards 1 of 4", resume.Stdout);

        var single = CliRun.Of("kernel", "--arch", CnnText, "--x1", x, "--out", dir.File("single"), "--no-progress");
        Assert.True(single.ExitCode == 0, single.Stderr);
        foreach (var f in new[] { "nngp.npy", "ntk.npy" })
            Assert.Equal(-1, ScaleOutFixtures.FirstDifference(Path.Combine(dir.File("single"), f), Path.Combine(output, f)));
    }

    [SlurmFact]
    public void KernelSlurmWait_TaskFails_Exit1WithItsLastLogLine()
    {
        using var dir = new TempFolder();
        string x = dir.File("x.npy");
        Npy.Write(x, ScaleOutFixtures.Gaussian(40, 7, 43));
        string output = dir.File("run");
        // The jobs start 4 s after submission; meanwhile the input file they will read is replaced by one they reject.
        var waiting = Task.Run(() => CliRun.Of("kernel", "--arch", ScaleOutFixtures.ReluText, "--x1", x, "--out", output,
            "--slurm", "2", "--sbatch", "--begin=now+4 --job-name=ntksharp-failing", "--wait", "--no-progress"));
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(output, "ntksharp-merge.sbatch")) && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
        Thread.Sleep(1000);
        File.WriteAllText(x, "not a numpy file");
        var run = waiting.Result;
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stderr} {run.Stdout}");
        Assert.Contains("shard 0 of 2", run.Stderr);
        Assert.Contains("ntksharp kernel: error: --x1", run.Stderr);
        Assert.Contains("Not a .npy file", run.Stderr);
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host)) return host;
        string? process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }
}
