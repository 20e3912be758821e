namespace NtkSharp.Layers;

/// <summary>
/// Recursive-descent parser of architecture text into <see cref="ArchitectureSyntax"/>; see docs/architecture-text.md
/// for the grammar. Binding names to <see cref="Stax"/> is <see cref="ArchitectureBinder"/>'s job.
/// </summary>
internal sealed class ArchitectureParser
{
    /// <summary>The deepest nesting of calls and parentheses (layers, tuples, parenthesised values together) accepted:
    /// deeper text is rejected before it can exhaust the stack.</summary>
    internal const int MaxDepth = 256;
    private readonly string _text;
    private int _pos;
    private int _depth;

    private ArchitectureParser(string text) => _text = text;

    /// <summary>Parses one layer call spanning the whole text.</summary>
    public static CallSyntax Parse(string text)
    {
        var p = new ArchitectureParser(text);
        p.SkipSpace();
        if (p.AtEnd) throw new ArchitectureParseException(0, "expected a layer such as Serial(...) or Dense(...) but the text is empty");
        var value = p.ParseValue();
        if (value is not CallSyntax call)
            throw new ArchitectureParseException(value.Start, $"expected a layer such as Serial(...) or Dense(...) but found '{p.Snippet(value)}'");
        p.SkipSpace();
        if (!p.AtEnd) throw p.Expected("the end of the text");
        return call;
    }

    public string Snippet(ArchitectureSyntax node) => Snippet(node.Start, node.End);

    private string Snippet(int start, int end)
    {
        var s = _text[start..end];
        return s.Length > 40 ? s[..37] + "..." : s;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    private ArchitectureParseException Expected(string what)
    {
        if (AtEnd) return new ArchitectureParseException(_pos, $"expected {what} but the text ended");
        return new ArchitectureParseException(_pos, $"expected {what} but found '{Current}'");
    }

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current)) _pos++;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    private ArchitectureSyntax ParseValue()
    {
        SkipSpace();
        if (AtEnd) throw Expected("a value (a number, true/false, an enum member, a tuple or a layer)");
        char c = Current;
        if (c == '(') return ParseTuple();
        if (c == '[') return ParseList();
        if (char.IsAsciiDigit(c) || c is '-' or '+' or '.') return ParseNumber();
        if (IsIdentifierStart(c)) return ParseNameOrCall();
        throw Expected("a value (a number, true/false, an enum member, a tuple or a layer)");
    }

    private string ParseDottedName()
    {
        int start = _pos;
        while (true)
        {
            if (AtEnd || !IsIdentifierStart(Current)) throw Expected("a name");
            while (!AtEnd && IsIdentifierPart(Current)) _pos++;
            if (AtEnd || Current != '.') break;
            _pos++;
        }
        return _text[start.._pos];
    }

    private ArchitectureSyntax ParseNameOrCall()
    {
        int start = _pos;
        string name = ParseDottedName();
        int afterName = _pos;
        SkipSpace();
        if (AtEnd || Current != '(')
        {
            _pos = afterName;
            return new NameSyntax(start, afterName, name);
        }
        Enter(start);
        _pos++;
        var args = new List<ArgumentSyntax>();
        SkipSpace();
        if (!AtEnd && Current == ')')
        {
            _pos++;
            _depth--;
            return new CallSyntax(start, _pos, name, args);
        }
        while (true)
        {
            args.Add(ParseArgument());
            SkipSpace();
            if (AtEnd || Current is not (',' or ')')) throw Expected("',' or ')'");
            if (Current == ')')
            {
                _pos++;
                _depth--;
                return new CallSyntax(start, _pos, name, args);
            }
            _pos++;
        }
    }

    private ArgumentSyntax ParseArgument()
    {
        SkipSpace();
        int start = _pos;
        if (!AtEnd && IsIdentifierStart(Current))
        {
            while (!AtEnd && IsIdentifierPart(Current)) _pos++;
            string name = _text[start.._pos];
            SkipSpace();
            if (!AtEnd && Current == ':')
            {
                _pos++;
                return new ArgumentSyntax(start, name, ParseValue());
            }
            _pos = start;
        }
        return new ArgumentSyntax(start, null, ParseValue());
    }

    /// <summary>One level deeper (a call or a parenthesis opened at <paramref name="start"/>); fails past <see cref="MaxDepth"/>.</summary>
    private void Enter(int start)
    {
        if (++_depth > MaxDepth)
            throw new ArchitectureParseException(start, $"layers, tuples and parentheses nested deeper than {MaxDepth} levels");
    }

    private ArchitectureSyntax ParseTuple()
    {
        int start = _pos;
        Enter(start);
        _pos++;
        var items = new List<ArchitectureSyntax>();
        while (true)
        {
            items.Add(ParseValue());
            SkipSpace();
            if (AtEnd || Current is not (',' or ')')) throw Expected("',' or ')'");
            if (Current == ')')
            {
                _pos++;
                _depth--;
                break;
            }
            _pos++;
        }
        // A parenthesised single value is just that value, as in C#.
        return items.Count == 1 ? items[0] : new TupleSyntax(start, _pos, items);
    }

    /// <summary><c>[a, b, …]</c> (possibly empty): a list of values, for array parameters such as Polynomial's.</summary>
    private ListSyntax ParseList()
    {
        int start = _pos;
        _pos++;
        var items = new List<ArchitectureSyntax>();
        SkipSpace();
        if (!AtEnd && Current == ']')
        {
            _pos++;
            return new ListSyntax(start, _pos, items);
        }
        while (true)
        {
            items.Add(ParseValue());
            SkipSpace();
            if (AtEnd || Current is not (',' or ']')) throw Expected("',' or ']'");
            if (Current == ']')
            {
                _pos++;
                return new ListSyntax(start, _pos, items);
            }
            _pos++;
        }
    }

    private NumberSyntax ParseNumber()
    {
        int start = _pos;
        if (Current is '-' or '+') _pos++;
        int digits = SkipDigits();
        if (!AtEnd && Current == '.')
        {
            _pos++;
            digits += SkipDigits();
        }
        if (digits == 0) throw Expected("a digit");
        if (!AtEnd && Current is 'e' or 'E')
        {
            _pos++;
            if (!AtEnd && Current is '-' or '+') _pos++;
            if (SkipDigits() == 0) throw Expected("the exponent's digits");
        }
        if (!AtEnd && IsIdentifierPart(Current)) throw Expected("',' or ')' after the number");
        return new NumberSyntax(start, _pos, _text[start.._pos]);
    }

    private int SkipDigits()
    {
        int start = _pos;
        while (!AtEnd && char.IsAsciiDigit(Current)) _pos++;
        return _pos - start;
    }
}
