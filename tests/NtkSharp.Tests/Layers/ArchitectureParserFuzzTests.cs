using System.Text;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Layers;

/// <summary>
/// Fuzzing of architecture text: thousands of random mutations of valid texts (character edits, token splices,
/// duplicated and deleted spans, deep nesting of calls, tuples and parentheses, huge numbers) must each either parse
/// or raise <see cref="ArchitectureParseException"/>, never another exception or a stack overflow. Deterministic seeds.
/// </summary>
public class ArchitectureParserFuzzTests
{
    private static readonly string[] Tokens =
    [
        "(", ")", ",", ":", " ", "(1, 2)", "((", "))", "-", "+", ".", "e", "1e308", "1e999", "-1", "0", "2147483648",
        "99999999999999999999", "null", "true", "Same", "Valid", "Circular", "Standard", "Ntk", "wStd", "bStd", "filter",
        "strides", "padding", "Dense", "Serial(", "Parallel(", "Conv(", "FanOut(", "FanInSum()", "Relu()", "Erf()",
        "AvgPool(", "Stax.", "\n", "\t", "\u0398", "_", "é", "\0", "NaN", "Infinity",
    ];

    private static readonly string[] Seeds =
    [
        "Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1))",
        "Serial(Conv(64, filter: (3, 3), padding: Same, wStd: 1.4), Relu(), AvgPool((2, 2), strides: (2, 2)), Conv(64, (3, 3), padding: Circular), Relu(), GlobalAvgPool(), Dense(1))",
        "Serial(Dense(256), FanOut(2), Parallel(Serial(Relu(), Dense(256)), Identity()), FanInSum(), Relu(), Dense(1))",
        "Serial(Dense(8, parameterization: Standard), LeakyRelu(0.1), ABRelu(-0.5, 2), Abs(), Flatten(), Dense(1, wStd: 1e-3))",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Parse_RandomMutationsOfValidTexts_ParsesOrThrowsArchitectureParseException(int seed)
    {
        var rng = new Random(seed);
        var texts = Seeds.ToList();
        for (int i = 0; i < 40; i++) texts.Add(RandomArchitectures.Network(rng, spatial: rng.Next(2) == 0).ToString());
        int parsed = 0, rejected = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            string text = Mutate(rng, texts[rng.Next(texts.Count)]);
            try
            {
                var layer = Layer.Parse(text);
                parsed++;
                try
                {
                    layer.ValidateNetwork();
                }
                catch (ArchitectureException)
                {
                }
            }
            catch (ArchitectureParseException e)
            {
                rejected++;
                Assert.InRange(e.Position, 0, text.Length);
            }
            catch (Exception e)
            {
                Assert.Fail($"text {Escape(text)} raised {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(parsed > 0 && rejected > 0, $"parsed {parsed}, rejected {rejected}: the mutations do not cover both outcomes");
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("((1, ", "), 2)")]
    [InlineData("Serial(", ")")]
    [InlineData("Serial(Serial(", "))")]
    public void Parse_NestedFiftyThousandLevelsAroundAnArgument_ThrowsArchitectureParseException(string open, string close)
    {
        const int depth = 50_000;
        var sb = new StringBuilder("Serial(Dense(");
        for (int i = 0; i < depth; i++) sb.Append(open);
        sb.Append('4');
        for (int i = 0; i < depth; i++) sb.Append(close);
        sb.Append("), Relu())");

        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse(sb.ToString()));

        Assert.Contains("nested deeper than", e.Message);
    }

    [Fact]
    public void Parse_TwoHundredLevelsOfParenthesesAroundAValue_Parses()
    {
        string text = "Dense(" + new string('(', 200) + "4" + new string(')', 200) + ")";

        var layer = Layer.Parse(text);

        Assert.Equal("Dense(4)", layer.ToString());
    }

    private static string Mutate(Random rng, string text)
    {
        var sb = new StringBuilder(text);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(sb.Length + 1);
            switch (rng.Next(8))
            {
                case 0 when sb.Length > 0:
                    sb.Remove(Math.Min(at, sb.Length - 1), 1);
                    break;
                case 1:
                    sb.Insert(at, (char)rng.Next(32, 127));
                    break;
                case 2:
                    sb.Insert(at, Tokens[rng.Next(Tokens.Length)]);
                    break;
                case 3 when sb.Length > 1:
                {
                    int a = rng.Next(sb.Length), len = rng.Next(1, Math.Min(30, sb.Length - a) + 1);
                    sb.Insert(rng.Next(sb.Length + 1), sb.ToString(a, len));
                    break;
                }
                case 4 when sb.Length > 1:
                {
                    int a = rng.Next(sb.Length), len = rng.Next(1, Math.Min(20, sb.Length - a) + 1);
                    sb.Remove(a, len);
                    break;
                }
                case 5:
                {
                    int depth = rng.Next(1, 400);
                    sb.Insert(at, new string('(', depth));
                    sb.Insert(Math.Min(sb.Length, at + depth + rng.Next(10)), new string(')', depth));
                    break;
                }
                case 6 when sb.Length > 0:
                    sb[Math.Min(at, sb.Length - 1)] = "(),:. -1e"[rng.Next(9)];
                    break;
                default:
                    sb.Insert(at, rng.Next(3) switch { 0 => "Serial(", 1 => "Dense(", _ => "(" });
                    break;
            }
        }
        return sb.ToString();
    }

    private static string Escape(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
