using System.Reflection;

namespace NtkSharp.Cli;

/// <summary>The ntksharp command-line tool.</summary>
public static class Program
{
    /// <summary>Entry point: dispatches the verb and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        int code = Run(args, Console.Out, Console.Error, cts.Token);
        if (code == CliException.Cancelled) AtomicOutputs.AbortAll();
        return code;
    }

    /// <summary>
    /// Runs the tool in-process (used by tests). Exit codes, the same for every verb: 0 success; 2 bad input (options,
    /// missing or malformed input files, architecture text, sizes over the memory budget, results that overflow,
    /// divergence); 1 I/O failure (an output that cannot be written, an input that cannot be read); 130 cancelled
    /// (Ctrl+C / SIGINT, or <paramref name="cancellationToken"/>); 3 internal error.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var commands = Commands();
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine(Usage(commands));
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] is "--version")
        {
            stdout.WriteLine(typeof(Program).Assembly.GetName().Version);
            return 0;
        }
        var command = commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            stderr.WriteLine($"ntksharp: error: unknown verb '{args[0]}'; verbs: {string.Join(", ", commands.Select(c => c.Name))} (ntksharp --help)");
            return 2;
        }
        CliArguments parsed;
        try
        {
            parsed = new CliArguments(args.Skip(1));
        }
        catch (CliException e)
        {
            stderr.WriteLine($"ntksharp {command.Name}: error: {e.Message}");
            return e.ExitCode;
        }
        if (parsed.WantsHelp)
        {
            stdout.WriteLine(command.Help);
            return 0;
        }
        if (!cancellationToken.CanBeCanceled) return Execute(command, parsed, stdout, stderr, cancellationToken, stderr);
        return ExecuteCancellable(command, parsed, stdout, stderr, cancellationToken);
    }

    /// <summary>How long a cancelled verb may take to stop by itself before the run is abandoned (its outputs removed).</summary>
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// Runs the verb on a background thread so that Ctrl+C is honoured within a second even while the verb is inside a
    /// call that cannot be interrupted (a LAPACK factorisation, a GPU kernel): after <see cref="CancellationGrace"/> the
    /// run is abandoned, every temporary output removed (<see cref="AtomicOutputs.AbortAll"/>) and 130 returned.
    /// </summary>
    private static int ExecuteCancellable(ICliCommand command, CliArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        int code = 0;
        var errors = new StringWriter();
        // Not disposed: an abandoned worker still sets it when its uninterruptible call returns.
        var done = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            try
            {
                code = Execute(command, parsed, stdout, stderr, cancellationToken, errors);
            }
            catch (Exception)
            {
                code = CliException.InternalError; // Execute maps every exception; nothing may escape a background thread
            }
            finally
            {
                done.Set();
            }
        }, 16 << 20) { IsBackground = true, Name = "ntksharp " + command.Name };
        worker.Start();
        WaitHandle.WaitAny([done.WaitHandle, cancellationToken.WaitHandle]);
        if (!done.IsSet && !done.Wait(CancellationGrace))
        {
            AtomicOutputs.AbortAll();
            stderr.WriteLine($"ntksharp {command.Name}: cancelled");
            return CliException.Cancelled;
        }
        stderr.Write(errors.ToString());
        return code;
    }

    private static int Execute(ICliCommand command, CliArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, TextWriter errorLine)
    {
        try
        {
            return command.Run(parsed, stdout, stderr, cancellationToken);
        }
        catch (Exception e) when (e is not (StackOverflowException or AccessViolationException))
        {
            var (code, message) = CliErrors.Map(e);
            errorLine.WriteLine(code == CliException.Cancelled ? $"ntksharp {command.Name}: cancelled" : $"ntksharp {command.Name}: error: {message}");
            return code;
        }
    }

    internal static IReadOnlyList<ICliCommand> Commands() => typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (ICliCommand)Activator.CreateInstance(t, nonPublic: true)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    private static string Usage(IReadOnlyList<ICliCommand> commands)
    {
        var lines = new List<string>
        {
            "ntksharp — infinite-width neural network kernels (NNGP, NTK), closed-form predictions, ensembles, equivariance.",
            "",
            "Usage: ntksharp VERB [options]      ntksharp VERB --help for a verb's options",
            "",
            "Verbs:",
        };
        int w = commands.Count == 0 ? 0 : commands.Max(c => c.Name.Length);
        lines.AddRange(commands.Select(c => $"  {c.Name.PadRight(w)}  {c.Summary}"));
        return string.Join(Environment.NewLine, lines);
    }
}
