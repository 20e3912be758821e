namespace NtkSharp.Tests.Cli.Corpus;

/// <summary>
/// One bad-input case: the verb's valid base options (<see cref="BadInputCases"/>) with <see cref="Edits"/> applied
/// (option → value; a null value removes the option; "" adds it as a bare flag), the expected exit code and the text
/// the one-line error must contain (the option it names). <see cref="Collide"/> names an output file that is made a
/// folder before the run (an output that cannot be written).
/// </summary>
public sealed record BadInputCase(string Id, string Verb, (string Option, string? Value)[] Edits, int ExitCode, string Names,
    string? Collide = null)
{
    /// <summary>The command line, with "@file" placeholders still unexpanded.</summary>
    public List<string> Arguments(IReadOnlyList<(string Option, string? Value)> baseOptions)
    {
        var options = baseOptions.ToList();
        foreach (var (option, value) in Edits)
        {
            int at = options.FindIndex(o => o.Option == option);
            if (value is null)
            {
                if (at >= 0) options.RemoveAt(at);
            }
            else if (at >= 0)
            {
                options[at] = (option, value);
            }
            else
            {
                options.Add((option, value));
            }
        }
        var args = new List<string> { Verb };
        foreach (var (option, value) in options)
        {
            args.Add(option);
            if (value != "") args.Add(value!);
        }
        return args;
    }

    public override string ToString() => Id;
}
