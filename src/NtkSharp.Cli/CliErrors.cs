using System.Globalization;
using System.Text.RegularExpressions;
using NtkSharp.Layers;

namespace NtkSharp.Cli;

/// <summary>
/// Maps an exception that escaped a verb to its exit code and one line of text in the tool's words: the argument
/// suffixes .NET appends ("(Parameter 'x')", "Actual value was …") are removed, and the runtime's own wording for
/// overflow, memory exhaustion, stack exhaustion and file errors is replaced by what the user can change.
/// </summary>
internal static partial class CliErrors
{
    /// <summary>The exit code and one-line message for <paramref name="e"/>.</summary>
    public static (int ExitCode, string Message) Map(Exception e)
    {
        e = Unwrap(e);
        return e switch
        {
            CliException c => (c.ExitCode, OneLine(c.Message)),
            OperationCanceledException => (CliException.Cancelled, "cancelled"),
            ArchitectureParseException or ArchitectureException => (CliException.BadInput, "--arch: " + OneLine(e.Message)),
            ArgumentException a => (CliException.BadInput, Clean(a)),
            OverflowException => (CliException.BadInput,
                "the requested sizes are too large: a size or index does not fit in 64 bits (or an array's 2^31 - 1 element limit); use fewer or smaller inputs, members or widths"),
            ArithmeticException => (CliException.BadInput, OneLine(e.Message)),
            OutOfMemoryException => (CliException.BadInput,
                "not enough memory for this run; use fewer or smaller inputs, members, widths or group elements"),
            InsufficientExecutionStackException => (CliException.BadInput, "the input is nested too deeply"),
            FileNotFoundException f => (CliException.BadInput, $"file '{f.FileName}' not found"),
            IOException or UnauthorizedAccessException => (CliException.IoFailure, IoReason(e)),
            FormatException or NotSupportedException or InvalidOperationException => (CliException.BadInput, OneLine(e.Message)),
            _ => (CliException.InternalError, $"internal error ({e.GetType().Name}): {OneLine(e.Message)}; please report it with the command line"),
        };
    }

    /// <summary>
    /// Runs a library call and turns its argument, arithmetic (overflow, divergence), architecture and not-supported
    /// exceptions into a <see cref="CliException"/> (exit 2) whose text names the CLI options instead of the library's
    /// parameter names (<paramref name="names"/>: parameter → option, e.g. ("ntkTrainTrain", "--ntk-train")).
    /// </summary>
    public static T Library<T>(Func<T> call, params (string Parameter, string Option)[] names)
    {
        try
        {
            return call();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new CliException(Rename(Clean(e), names));
        }
        catch (Exception e) when (e is ArithmeticException and not OverflowException or ArchitectureException or NotSupportedException)
        {
            throw new CliException(Rename(OneLine(e.Message), names));
        }
    }

    /// <summary>Replaces each library parameter name (as a whole word) by its CLI option.</summary>
    public static string Rename(string message, params (string Parameter, string Option)[] names)
    {
        foreach (var (parameter, option) in names.OrderByDescending(n => n.Parameter.Length))
            message = Regex.Replace(message, $@"(?<![\w-]){Regex.Escape(parameter)}(?![\w])", option);
        return message;
    }

    /// <summary>Why a file operation failed, in words (no runtime type names).</summary>
    public static string IoReason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "a folder on the path does not exist",
        FileNotFoundException f => f.FileName is null ? "file not found" : $"file '{f.FileName}' not found",
        PathTooLongException => "the path is too long",
        _ => OneLine(e.Message),
    };

    /// <summary>The message of an argument exception without the runtime's "(Parameter 'x')" and "Actual value was" suffixes.</summary>
    public static string Clean(ArgumentException e)
    {
        string m = e.Message;
        int actual = m.IndexOf("Actual value was", StringComparison.Ordinal);
        if (actual >= 0) m = m[..actual];
        m = ParameterSuffix().Replace(m, "");
        return OneLine(m).TrimEnd();
    }

    /// <summary>The text on one line.</summary>
    public static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    /// <summary>A byte count for messages: "17179869184 bytes (16 GiB)".</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }
        string exact = bytes < 1e18 ? ((long)bytes).ToString(CultureInfo.InvariantCulture) : bytes.ToString("G3", CultureInfo.InvariantCulture);
        return u == 0 ? $"{exact} bytes" : string.Create(CultureInfo.InvariantCulture, $"{exact} bytes ({v:G3} {units[u]})");
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: > 0 } a) e = a.InnerExceptions[0];
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        return e;
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();
}
