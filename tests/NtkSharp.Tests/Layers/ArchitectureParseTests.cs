using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Layers;

public class ArchitectureParseTests
{
    [Theory]
    [InlineData(false, 400, new[] { "ABRelu", "Abs", "Dense", "Erf", "FanInSum", "FanOut", "Identity", "LeakyRelu", "Parallel", "Relu", "Serial" })]
    [InlineData(true, 200, new[] { "Conv", "AvgPool", "SumPool", "GlobalAvgPool", "GlobalSumPool", "Flatten", "Dense", "FanOut", "Parallel", "FanInSum" })]
    public void Parse_RandomValidArchitectures_RoundTripEqualAndSameText(bool spatial, int count, string[] expectedKinds)
    {
        var rng = new Random(spatial ? 99 : 20240611);
        int valid = 0, tried = 0, residual = 0, nested = 0;
        var kinds = new HashSet<string>();
        while (valid < count)
        {
            Assert.True(++tried < 4000, "the generator produced too few valid architectures");
            Layer net;
            try
            {
                net = RandomArchitectures.Network(rng, spatial);
                net.ValidateNetwork();
            }
            catch (ArchitectureException)
            {
                continue;
            }
            valid++;
            string text = net.ToString();
            if (text.Contains("FanInSum")) residual++;
            if (text.IndexOf("Serial", 1, StringComparison.Ordinal) > 0) nested++;
            foreach (var name in Layer.KnownLayerNames.Where(n => text.Contains(n + "("))) kinds.Add(name);
            var parsed = Layer.Parse(text);
            Assert.Equal(net, parsed);
            Assert.Equal(text, parsed.ToString());
        }
        // The sample covers every layer type and many residual and nested architectures.
        Assert.Superset(expectedKinds.ToHashSet(), kinds);
        Assert.True(residual >= count / 4, $"only {residual} residual architectures");
        Assert.True(nested >= count / 4, $"only {nested} nested architectures");
    }

    [Fact]
    public void Parse_RandomArchitecturesWithWhitespaceAndStaxPrefix_SameLayers()
    {
        var rng = new Random(7);
        for (int i = 0; i < 100; i++)
        {
            Layer net;
            try
            {
                net = RandomArchitectures.Network(rng);
            }
            catch (ArchitectureException)
            {
                continue;
            }
            string spaced = net.ToString().Replace("(", " (\n\t").Replace(",", " ,  ").Replace(")", "\r\n ) ")
                .Replace("Serial", "Stax.Serial").Replace("Dense", "Stax.Dense");
            Assert.Equal(net, Layer.Parse(" " + spaced + "\n"));
        }
    }

    [Fact]
    public void Parse_BriefExample_BuildsTheSameNetworkAsStax()
    {
        var net = Layer.Parse("Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5, parameterization: Standard))");
        Assert.Equal(Stax.Serial(Stax.Dense(512, 1.5, 0.05), Stax.Relu(), Stax.Dense(1, 1.5, parameterization: Parameterization.Standard)), net);
    }

    [Fact]
    public void Parse_ConvWithTuplesAndEnums_SameAsStax()
    {
        Assert.Equal(Stax.Conv(256, (3, 3), padding: Padding.Same, wStd: 1.4), Layer.Parse("Conv(256, filter: (3, 3), padding: Same, wStd: 1.4)"));
        Assert.Equal(Stax.AvgPool((2, 2), (2, 1), Padding.Circular), Layer.Parse("AvgPool((2, 2), strides: (2, 1), padding: Padding.Circular)"));
        Assert.Equal(Stax.Conv(8, (3, 1)), Layer.Parse("Conv(8, (3, 1), null)"));
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Conv(8, filter: 3)"));
        Assert.Equal(16, e.Position);
        Assert.Contains("parameter 'filter' expects a tuple (int, int) but got '3'", e.Message);
    }

    [Theory]
    [InlineData("Dense(4, 1.5, 0.25, Standard)")]
    [InlineData("Dense(bStd: 0.25, width: 4, parameterization: Parameterization.Standard, wStd: 1.5)")]
    [InlineData("Dense(4, parameterization: Standard, wStd: 15e-1, bStd: 2.5E-1)")]
    [InlineData("Stax.Dense(+4, 1.50, .25, Standard)")]
    [InlineData("Dense((4), wStd: (1.5), bStd: 0.25, parameterization: Standard)")]
    public void Parse_PositionalNamedAndNumberForms_SameLayer(string text)
    {
        Assert.Equal(new Dense(4, 1.5, 0.25, Parameterization.Standard), Layer.Parse(text));
    }

    [Fact]
    public void Parse_NegativeAndExponentDoubles_ExactValues()
    {
        Assert.Equal(new ABRelu(-0.5, 1e-300), Layer.Parse("ABRelu(-0.5, 1E-300)"));
        Assert.Equal(new LeakyRelu(-1.7976931348623157E+308), Layer.Parse("LeakyRelu(alpha: -1.7976931348623157E+308)"));
        Assert.True(double.IsNegative(((LeakyRelu)Layer.Parse("LeakyRelu(-0)")).Alpha));
    }

    [Fact]
    public void Parse_IntegerForDoubleParameter_Accepted()
    {
        Assert.Equal(new Dense(3, 2.0), Layer.Parse("Dense(3, 2)"));
    }

    [Fact]
    public void Parse_ParamsLayers_EmptyAndManyItems()
    {
        var p = (ParallelLayer)Layer.Parse("Parallel(Identity(), Dense(2), Serial(Dense(3), Erf(), Dense(4)))");
        Assert.Equal(3, p.Branches.Length);
        Assert.Equal(Stax.Serial(Stax.Dense(3), Stax.Erf(), Stax.Dense(4)), p.Branches[2]);
    }

    [Theory]
    [InlineData("Serial(Dense(512 x", 17, "expected ',' or ')' but found 'x'")]
    [InlineData("Serial(Dense(512", 16, "expected ',' or ')' but the text ended")]
    [InlineData("", 0, "expected a layer")]
    [InlineData("   ", 0, "expected a layer")]
    [InlineData("Relu() x", 7, "expected the end of the text")]
    [InlineData("Dense(4,)", 8, "expected a value")]
    [InlineData("Dense(4, wStd: )", 15, "expected a value")]
    [InlineData("Dense(4, wStd: 1e)", 17, "expected the exponent's digits")]
    [InlineData("Dense(4, wStd: 1.5f)", 18, "after the number")]
    [InlineData("Dense(4, wStd: -)", 16, "expected a digit")]
    [InlineData("Dense(4, wStd: #)", 15, "expected a value")]
    [InlineData("Standard", 0, "expected a layer")]
    [InlineData("4", 0, "expected a layer")]
    public void Parse_SyntaxErrors_ThrowWithPositionAndExpectation(string text, int position, string expected)
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse(text));
        Assert.Equal(position, e.Position);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"position {position}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Parse_UnknownLayer_ListsKnownLayersAndSuggests()
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Serial(Dense(4), Rellu())"));
        Assert.Equal(17, e.Position);
        Assert.Contains("unknown layer 'Rellu' (did you mean 'Relu'?)", e.Message);
        foreach (var name in new[] { "ABRelu", "Abs", "Dense", "Erf", "FanInSum", "FanOut", "Identity", "LeakyRelu", "Parallel", "Relu", "Serial" })
            Assert.Contains(name, e.Message);
        Assert.Contains("Dense", Layer.KnownLayerNames);
    }

    [Fact]
    public void Parse_UnknownQualifier_IsUnknownLayer()
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("nt.Dense(4)"));
        Assert.Equal(0, e.Position);
        Assert.Contains("unknown layer 'nt.Dense'", e.Message);
    }

    [Fact]
    public void Parse_UnknownParameter_ListsParametersAndSuggests()
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Dense(4, wstd: 1.5)"));
        Assert.Equal(9, e.Position);
        Assert.Contains("Dense has no parameter 'wstd' (did you mean 'wStd'?)", e.Message);
        Assert.Contains("width, wStd = 1, bStd = 0, parameterization = Ntk", e.Message);
    }

    [Theory]
    [InlineData("Dense(1.5)", 6, "parameter 'width' expects an integer but got '1.5'")]
    [InlineData("Dense(4e0)", 6, "parameter 'width' expects an integer but got '4e0'")]
    [InlineData("Dense(3000000000)", 6, "parameter 'width' expects an integer")]
    [InlineData("Dense(true)", 6, "parameter 'width' expects an integer but got 'true'")]
    [InlineData("Dense(4, wStd: Relu())", 15, "parameter 'wStd' expects a finite number but got 'Relu()'")]
    [InlineData("Dense(4, wStd: 1e999)", 15, "parameter 'wStd' expects a finite number")]
    [InlineData("Dense(4, parameterization: 1)", 27, "expects a Parameterization (Ntk, Standard)")]
    [InlineData("Dense(4, parameterization: Ntkk)", 27, "'Ntkk' is not a Parameterization (did you mean 'Ntk'?); one of: Ntk, Standard")]
    [InlineData("Serial(Dense(4), 3)", 17, "parameter 'layers' expects a layer but got '3'")]
    [InlineData("FanOut((2, 3))", 7, "parameter 'count' expects an integer but got '(2, 3)'")]
    [InlineData("Dense(null)", 6, "parameter 'width' expects an integer")]
    public void Parse_WrongType_ThrowsNamingParameterAndValue(string text, int position, string expected)
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse(text));
        Assert.Equal(position, e.Position);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("Dense()", 6, "Dense needs the parameter 'width' (an integer)")]
    [InlineData("Relu(1)", 5, "Relu takes 0 arguments but more were given")]
    [InlineData("Dense(4, 1, 0, Ntk, 5)", 20, "Dense takes 4 arguments")]
    [InlineData("Dense(width: 3, 2.0)", 16, "a positional argument cannot follow named arguments")]
    [InlineData("Dense(3, width: 4)", 9, "parameter 'width' is given twice")]
    [InlineData("Dense(3, wStd: 1, wStd: 2)", 18, "parameter 'wStd' is given twice")]
    public void Parse_BadArgumentLists_Throw(string text, int position, string expected)
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse(text));
        Assert.Equal(position, e.Position);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_ArgumentRejectedByLayer_WrapsWithPositionOfThatLayer()
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Serial(Dense(4), Relu(), Dense(0))"));
        Assert.Equal(25, e.Position);
        Assert.Contains("Dense width must be positive", e.Message);
        Assert.IsType<ArgumentOutOfRangeException>(e.InnerException);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Parse_InvalidComposition_WrapsArchitectureException()
    {
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse("Serial(Dense(4), Relu(), Erf())"));
        Assert.Equal(0, e.Position);
        var inner = Assert.IsType<ArchitectureException>(e.InnerException);
        Assert.Equal("[2]", inner.LayerPath);
    }

    [Fact]
    public void TryParse_GoodAndBadText_ResultAndFalse()
    {
        Assert.True(Layer.TryParse("Erf()", out var erf));
        Assert.Equal(new Erf(), erf);
        Assert.False(Layer.TryParse("Erf(", out var none));
        Assert.Null(none);
        Assert.False(Layer.TryParse(null, out _));
    }

    [Fact]
    public void Parse_DeepNesting_RejectedWithPosition()
    {
        string text = string.Concat(Enumerable.Repeat("Serial(", 300)) + "Dense(1)" + new string(')', 300);
        var e = Assert.Throws<ArchitectureParseException>(() => Layer.Parse(text));
        Assert.Contains("nested deeper", e.Message);
    }
}
