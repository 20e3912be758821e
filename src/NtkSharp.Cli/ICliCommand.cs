namespace NtkSharp.Cli;

/// <summary>
/// One verb of the <c>ntksharp</c> tool. Every non-abstract implementation in this assembly is discovered by
/// <see cref="Program"/>, so a verb is added by adding one file under <c>Commands/</c>.
/// </summary>
internal interface ICliCommand
{
    /// <summary>The verb as typed (e.g. "kernel").</summary>
    string Name { get; }

    /// <summary>One line for <c>ntksharp --help</c>.</summary>
    string Summary { get; }

    /// <summary>The full help text for <c>ntksharp VERB --help</c>: usage, every option, what is written.</summary>
    string Help { get; }

    /// <summary>Runs the verb on the options after the verb. Throws <see cref="CliException"/> for bad input.</summary>
    int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken);
}
