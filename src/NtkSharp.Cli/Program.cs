namespace NtkSharp.Cli;

/// <summary>The ntksharp command-line tool.</summary>
public static class Program
{
    /// <summary>Entry point: dispatches the verb and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        Console.WriteLine("ntksharp: infinite-width neural network kernels. Verbs are added by the CLI issue.");
        return args.Length == 0 ? 0 : 2;
    }
}
