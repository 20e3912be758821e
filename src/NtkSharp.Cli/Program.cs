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
        return Run(args, Console.Out, Console.Error, cts.Token);
    }

    /// <summary>Runs the tool in-process (used by tests): 0 on success, 2 on bad input, 1 on other failures.</summary>
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
            stdout.WriteLine(PackageVersion());
            return 0;
        }
        var command = commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            stderr.WriteLine($"ntksharp: error: unknown verb '{args[0]}'; verbs: {string.Join(", ", commands.Select(c => c.Name))} (ntksharp --help)");
            return 2;
        }
        try
        {
            var parsed = new CliArguments(args.Skip(1));
            if (parsed.WantsHelp)
            {
                stdout.WriteLine(command.Help);
                return 0;
            }
            return command.Run(parsed, stdout, stderr, cancellationToken);
        }
        catch (CliException e)
        {
            stderr.WriteLine($"ntksharp {command.Name}: error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine($"ntksharp {command.Name}: cancelled");
            return 130;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or FormatException
                                      or UnauthorizedAccessException or NotSupportedException or ArithmeticException)
        {
            stderr.WriteLine($"ntksharp {command.Name}: error: {e.Message.ReplaceLineEndings(" ")}");
            return e is IOException or UnauthorizedAccessException ? 1 : 2;
        }
    }

    /// <summary>The package version (e.g. 0.1.0): the informational version without its "+commit" suffix.</summary>
    internal static string PackageVersion()
    {
        var assembly = typeof(Program).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational)) return assembly.GetName().Version?.ToString(3) ?? "unknown";
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
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
