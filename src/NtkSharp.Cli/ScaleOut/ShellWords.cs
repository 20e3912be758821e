using System.Text;

namespace NtkSharp.Cli.ScaleOut;

/// <summary>Splitting a command-line string into words as a POSIX shell does for quotes and backslashes (no expansion),
/// and quoting words back for a shell script.</summary>
internal static class ShellWords
{
    /// <summary>The words of <paramref name="text"/>: whitespace separates, '…' and "…" group, \ escapes.</summary>
    public static IReadOnlyList<string> Split(string text, string option)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') current.Append(text[++i]);
                else current.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0') throw new CliException($"{option}: unterminated {quote} quote in '{text}'");
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>A word single-quoted for a POSIX shell.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
