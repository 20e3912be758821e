using System.Globalization;
using System.Text;

namespace NtkSharp.Layers;

/// <summary>Formats the C#-call syntax that <see cref="Layer.ToString"/> prints and <c>Layer.Parse</c> reads.</summary>
internal static class ArchitectureText
{
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(object value) => value switch
    {
        double d => Format(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        ValueTuple<int, int> t => $"({t.Item1}, {t.Item2})",
        ValueTuple<double, double> t => $"({Format(t.Item1)}, {Format(t.Item2)})",
        Layer l => l.ToString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>
    /// <c>Name(p1, p2, n1: v1, …)</c>: positional arguments always, named ones only where they differ from the default.
    /// </summary>
    public static string Call(string name, IEnumerable<object> positional, params (string Name, object Value, object Default)[] named)
    {
        var sb = new StringBuilder(name).Append('(');
        bool first = true;
        foreach (var p in positional)
        {
            if (!first) sb.Append(", ");
            sb.Append(Format(p));
            first = false;
        }
        foreach (var (n, v, d) in named)
        {
            if (Equals(v, d)) continue;
            if (!first) sb.Append(", ");
            sb.Append(n).Append(": ").Append(Format(v));
            first = false;
        }
        return sb.Append(')').ToString();
    }
}
