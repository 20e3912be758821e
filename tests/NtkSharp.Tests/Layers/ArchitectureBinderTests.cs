using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Layers;

/// <summary>
/// The binder on a factory class with the parameter types future layers use (tuples, nullable tuples, bools, longs,
/// optional layers), so that Conv-like layers parse without changes to the parser.
/// </summary>
public class ArchitectureBinderTests
{
    [Fact]
    public void Parse_TupleNullableBoolLongAndLayerParameters_Bound()
    {
        var p = (Probe)ArchitectureBinder.Parse(
            "Probe(3, filter: (3, 5), strides: (2, 1), range: (-0.5, 1e-3), flag: true, big: 9000000000, inner: Dense(2))", typeof(ProbeStax));
        Assert.Equal(new Probe(3, (3, 5), (2, 1), (-0.5, 1e-3), true, 9_000_000_000, new Dense(2)), p);
    }

    [Fact]
    public void Parse_DefaultsAndNull_Bound()
    {
        var p = (Probe)ArchitectureBinder.Parse("ProbeStax.Probe(1, (2, 2), strides: null)", typeof(ProbeStax));
        Assert.Equal(new Probe(1, (2, 2), null, (0.0, 1.0), false, 0, null), p);
    }

    [Fact]
    public void Parse_ProbeToString_RoundTrips()
    {
        var rng = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            var p = new Probe(rng.Next(1, 100), (rng.Next(1, 9), rng.Next(1, 9)), rng.Next(2) == 0 ? null : (rng.Next(1, 4), rng.Next(1, 4)),
                (rng.NextDouble() - 0.5, rng.NextDouble() * 1e-5), rng.Next(2) == 0, rng.NextInt64(), rng.Next(2) == 0 ? null : new Dense(rng.Next(1, 9)));
            Assert.Equal(p, ArchitectureBinder.Parse(p.ToString(), typeof(ProbeStax)));
        }
    }

    [Theory]
    [InlineData("Probe(1, (2, 2, 2))", 9, "parameter 'filter' expects a tuple (int, int) but got '(2, 2, 2)'")]
    [InlineData("Probe(1, 2)", 9, "parameter 'filter' expects a tuple (int, int) but got '2'")]
    [InlineData("Probe(1, (2, 2.5))", 13, "parameter 'filter' expects an integer but got '2.5'")]
    [InlineData("Probe(1, (2, 2), strides: 3)", 26, "parameter 'strides' expects a tuple (int, int) or null but got '3'")]
    [InlineData("Probe(1, (2, 2), flag: 1)", 23, "parameter 'flag' expects true or false but got '1'")]
    [InlineData("Probe(1, (2, 2), flag: True)", 23, "parameter 'flag' expects true or false but got 'True'")]
    [InlineData("Probe(1, (2, 2), inner: Probe(1, (1, 1)))", 24, "parameter 'inner' expects a Dense layer but Probe is not one")]
    [InlineData("Probe(1, (2 2))", 12, "expected ',' or ')' but found '2'")]
    public void Parse_BadTypedArguments_Throw(string text, int position, string expected)
    {
        var e = Assert.Throws<ArchitectureParseException>(() => ArchitectureBinder.Parse(text, typeof(ProbeStax)));
        Assert.Equal(position, e.Position);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_Overloads_PicksTheOneThatBinds()
    {
        Assert.Equal(new Probe(7, (1, 1), null, (0.0, 1.0), false, 0, null), ArchitectureBinder.Parse("Pair(7)", typeof(ProbeStax)));
        Assert.Equal(new Probe(7, (2, 3), null, (0.0, 1.0), false, 0, null), ArchitectureBinder.Parse("Pair(7, (2, 3))", typeof(ProbeStax)));
        var e = Assert.Throws<ArchitectureParseException>(() => ArchitectureBinder.Parse("Pair(7, 8)", typeof(ProbeStax)));
        Assert.Contains("Pair", e.Message);
    }

    public static class ProbeStax
    {
        public static Probe Probe(int count, (int H, int W) filter, (int H, int W)? strides = null, (double Lo, double Hi) range = default,
            bool flag = false, long big = 0, Dense? inner = null)
            => new(count, filter, strides, range == default ? (0.0, 1.0) : range, flag, big, inner);

        public static Probe Pair(int count) => new(count, (1, 1), null, (0.0, 1.0), false, 0, null);

        public static Probe Pair(int count, (int, int) filter) => new(count, filter, null, (0.0, 1.0), false, 0, null);

        public static Dense Dense(int width) => new(width);

        public static string NotALayer(int x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public sealed record Probe((int, int) Filter, (int, int)? Strides, (double, double) Range, bool Flag, long Big, Dense? Inner) : Layer
    {
        public Probe(int count, (int, int) filter, (int, int)? strides, (double, double) range, bool flag, long big, Dense? inner)
            : this(filter, strides, range, flag, big, inner) => Count = count;

        public int Count { get; }

        public override string Name => "Probe";

        internal override Branch[] Compose(Branch[] inputs, string path) => inputs;

        public override string ToString() => ArchitectureText.Call("Probe", [Count, Filter],
            ("strides", Strides!, null!), ("range", Range, (0.0, 1.0)), ("flag", Flag, false), ("big", Big, 0L), ("inner", Inner!, null!));
    }
}
