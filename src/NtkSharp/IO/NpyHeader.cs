using System.Globalization;
using System.Text;

namespace NtkSharp.IO;

/// <summary>
/// The header of a <c>.npy</c> file: a Python dict literal
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }</c> (NEP 1, "A simple file format for NumPy arrays").
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    public static string FormatShape(int[] shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
        _ => "(" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    public string Format() =>
        $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {FormatShape(Shape)}, }}";

    /// <summary>Parses the header text (without the magic and length prefix).</summary>
    public static NpyHeader Parse(string text)
    {
        var p = new LiteralParser(text);
        object? value;
        try
        {
            value = p.ParseValue();
            p.SkipSpace();
            if (!p.AtEnd) throw p.Error("end of header");
        }
        catch (NpyFormatException e)
        {
            throw new NpyFormatException($"Malformed .npy header {Quote(text)}: {e.Message}", e);
        }
        if (value is not Dictionary<string, object?> dict)
            throw new NpyFormatException($"Malformed .npy header {Quote(text)}: expected a dict.");
        foreach (var key in dict.Keys)
        {
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw new NpyFormatException($"Malformed .npy header {Quote(text)}: unexpected key '{key}'.");
        }
        if (!dict.TryGetValue("descr", out var descr) || !dict.TryGetValue("fortran_order", out var fortran) || !dict.TryGetValue("shape", out var shape))
            throw new NpyFormatException($"Malformed .npy header {Quote(text)}: it needs the keys 'descr', 'fortran_order' and 'shape'.");
        if (descr is not string d)
            throw new NpyFormatException($"Unsupported .npy dtype {FormatLiteral(descr)}: structured (record) arrays cannot be read; save a plain numeric array.");
        if (fortran is not bool f)
            throw new NpyFormatException($"Malformed .npy header {Quote(text)}: 'fortran_order' must be True or False.");
        if (shape is not List<object?> { } items || !p.LastWasTuple(shape))
            throw new NpyFormatException($"Malformed .npy header {Quote(text)}: 'shape' must be a tuple of integers.");
        var dims = new int[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is not long n || n < 0 || n > int.MaxValue)
                throw new NpyFormatException($"Malformed .npy header {Quote(text)}: axis {i} of 'shape' is not a non-negative 32-bit integer.");
            dims[i] = (int)n;
        }
        return new NpyHeader(d, f, dims);
    }

    private static string Quote(string text)
    {
        var t = text.TrimEnd();
        return "\"" + (t.Length > 200 ? t[..200] + "…" : t) + "\"";
    }

    private static string FormatLiteral(object? value) => value switch
    {
        null => "None",
        string s => "'" + s + "'",
        List<object?> l => "[" + string.Join(", ", l.Select(FormatLiteral)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Reads the subset of Python literals that numpy writes: dicts, tuples, lists, strings, ints, booleans, None.</summary>
    private sealed class LiteralParser(string text)
    {
        private readonly HashSet<List<object?>> _tuples = new(ReferenceEqualityComparer.Instance);
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public bool LastWasTuple(object value) => value is List<object?> l && _tuples.Contains(l);

        public NpyFormatException Error(string expected) =>
            new($"position {_pos}: expected {expected}{(AtEnd ? " but the header ended" : $" but found '{text[_pos]}'")}.");

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        public object? ParseValue()
        {
            SkipSpace();
            if (AtEnd) throw Error("a value");
            char c = text[_pos];
            switch (c)
            {
                case '{': return ParseDict();
                case '(': return ParseSequence('(', ')', tuple: true);
                case '[': return ParseSequence('[', ']', tuple: false);
                case '\'' or '"': return ParseString();
            }
            if (c == '-' || char.IsAsciiDigit(c)) return ParseInt();
            if (char.IsAsciiLetter(c))
            {
                int start = _pos;
                while (!AtEnd && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
                string word = text[start.._pos];
                return word switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    _ => throw new NpyFormatException($"position {start}: unexpected name '{word}'."),
                };
            }
            throw Error("a value");
        }

        private Dictionary<string, object?> ParseDict()
        {
            _pos++;
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (!AtEnd && text[_pos] == '}')
                {
                    _pos++;
                    return dict;
                }
                if (AtEnd || text[_pos] is not ('\'' or '"')) throw Error("a quoted key or '}'");
                int keyPos = _pos;
                string key = ParseString();
                SkipSpace();
                if (AtEnd || text[_pos] != ':') throw Error("':'");
                _pos++;
                if (!dict.TryAdd(key, ParseValue())) throw new NpyFormatException($"position {keyPos}: key '{key}' appears twice.");
                SkipSpace();
                if (!AtEnd && text[_pos] == ',') _pos++;
                else if (AtEnd || text[_pos] != '}') throw Error("',' or '}'");
            }
        }

        private List<object?> ParseSequence(char open, char close, bool tuple)
        {
            _pos++;
            var items = new List<object?>();
            if (tuple) _tuples.Add(items);
            while (true)
            {
                SkipSpace();
                if (!AtEnd && text[_pos] == close)
                {
                    _pos++;
                    return items;
                }
                items.Add(ParseValue());
                SkipSpace();
                if (!AtEnd && text[_pos] == ',') _pos++;
                else if (AtEnd || text[_pos] != close) throw Error($"',' or '{close}'");
            }
        }

        private string ParseString()
        {
            char quote = text[_pos++];
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error($"closing {quote}");
                char c = text[_pos++];
                if (c == quote) return sb.ToString();
                if (c == '\\')
                {
                    if (AtEnd) throw Error("an escaped character");
                    c = text[_pos++];
                }
                sb.Append(c);
            }
        }

        private long ParseInt()
        {
            int start = _pos;
            if (text[_pos] == '-') _pos++;
            while (!AtEnd && char.IsAsciiDigit(text[_pos])) _pos++;
            if (!AtEnd && text[_pos] == 'L') _pos++; // Python 2 long suffix
            var digits = text[start.._pos].TrimEnd('L');
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                throw new NpyFormatException($"position {start}: '{digits}' is not an integer.");
            return v;
        }
    }
}
