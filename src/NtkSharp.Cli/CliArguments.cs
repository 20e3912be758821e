using System.Globalization;

namespace NtkSharp.Cli;

/// <summary>
/// <c>--name value</c> and <c>--flag</c> options of one verb. Every option must be consumed: unknown ones are
/// reported by <see cref="EnsureAllUsed"/>.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CliArguments(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
                throw new CliException($"unexpected argument '{a}' (options are written --name value)");
            string name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < list.Count && (!list[i + 1].StartsWith("--", StringComparison.Ordinal) || TakesOptionsAsValue(name, list[i + 1])))
            {
                value = list[++i];
            }
            if (!_values.TryAdd(name, value)) throw new CliException($"option --{name} given twice");
        }
    }

    /// <summary>True when <paramref name="next"/>, which starts with "--", is still the value of option
    /// <paramref name="name"/>: options that pass arguments on to another program (<c>--sbatch "--partition=gpu
    /// --time=1:00:00"</c>), or a word with spaces, which no option name has.</summary>
    private static bool TakesOptionsAsValue(string name, string next) => name == "sbatch" || next.Any(char.IsWhiteSpace);

    public bool WantsHelp => _values.ContainsKey("help") || _values.ContainsKey("h");

    public bool Flag(string name)
    {
        if (!_values.TryGetValue(name, out var v)) return false;
        _used.Add(name);
        if (v is not null) throw new CliException($"--{name} takes no value (got '{v}')");
        return true;
    }

    public string? Optional(string name)
    {
        if (!_values.TryGetValue(name, out var v)) return null;
        _used.Add(name);
        return v ?? throw new CliException($"--{name} needs a value");
    }

    public string Required(string name) => Optional(name) ?? throw new CliException($"missing required option --{name}");

    public double? OptionalDouble(string name)
    {
        var s = Optional(name);
        if (s is null) return null;
        return ParseDouble(s, name);
    }

    public int? OptionalInt(string name)
    {
        var s = Optional(name);
        if (s is null) return null;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new CliException(long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? $"--{name}: '{s}' is not an integer up to {int.MaxValue}"
                : $"--{name}: '{s}' is not an integer");
        return v;
    }

    /// <summary>A comma-separated list of doubles; "inf" and "∞" read as +∞. Strict: an empty list or an empty entry
    /// ("1,,2", "1,", ",1") is an error.</summary>
    public double[]? OptionalDoubleList(string name)
    {
        var s = Optional(name);
        if (s is null) return null;
        return [.. ListItems(s, name, "0,1,inf").Select(p => ParseDouble(p, name))];
    }

    /// <summary>A comma-separated list of integers ≥ <paramref name="min"/>, strict like <see cref="OptionalDoubleList"/>.</summary>
    public int[]? OptionalIntList(string name, int min = 0)
    {
        var s = Optional(name);
        if (s is null) return null;
        return [.. ListItems(s, name, "0,1,10,1000").Select(p =>
            int.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min
                ? v
                : throw new CliException($"--{name}: '{p}' is not {(min == 0 ? "a non-negative integer" : $"an integer >= {min}")} (at most {int.MaxValue})"))];
    }

    /// <summary>The trimmed entries of a comma-separated list; rejects an empty list and empty entries.</summary>
    public static string[] ListItems(string text, string name, string example)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.All(p => p.Length == 0)) throw new CliException($"--{name}: the list is empty; give comma-separated values such as {example}");
        int empty = Array.FindIndex(parts, p => p.Length == 0);
        if (empty >= 0)
            throw new CliException($"--{name}: entry {empty + 1} of '{text}' is empty; give comma-separated values such as {example}");
        return parts;
    }

    public static double ParseDouble(string s, string name)
    {
        if (s is "inf" or "Inf" or "infinity" or "∞") return double.PositiveInfinity;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v))
            throw new CliException($"--{name}: '{s}' is not a number");
        return v;
    }

    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k) && k is not "help" and not "h").ToList();
        if (unknown.Count > 0) throw new CliException($"unknown option{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
