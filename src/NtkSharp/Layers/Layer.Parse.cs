using System.Diagnostics.CodeAnalysis;

namespace NtkSharp.Layers;

public abstract partial record Layer : IParsable<Layer>
{
    /// <summary>
    /// Reads architecture text in the C#-call syntax that <see cref="ToString"/> prints, e.g.
    /// <c>Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, parameterization: Standard))</c>.
    /// </summary>
    /// <remarks>
    /// <para>Each <c>Name(...)</c> calls the public static <see cref="Stax"/> method of that name (an optional
    /// <c>Stax.</c> prefix is allowed), with positional and named arguments bound by the C# parameter names and
    /// defaults. Values: integers, floating-point numbers (invariant culture, exponents; read back bit-exactly from
    /// what <see cref="ToString"/> prints), <c>true</c>/<c>false</c>, enum members by name (<c>Same</c> or
    /// <c>Padding.Same</c>), tuples <c>(3, 3)</c>, <c>null</c> for optional values, and nested layers. The grammar is in
    /// docs/architecture-text.md. <c>Layer.Parse(net.ToString())</c> equals <c>net</c> for every architecture.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArchitectureParseException">A syntax error, an unknown layer or parameter, a value of the
    /// wrong type, or arguments a layer rejects (e.g. an invalid composition); the message gives the 0-based position.</exception>
    public static Layer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int delegateAt = text.IndexOf("<C# delegate", StringComparison.Ordinal);
        if (delegateAt >= 0)
            throw new ArchitectureParseException(delegateAt,
                "Elementwise wraps a C# delegate, which architecture text cannot express, so its ToString() cannot be parsed back; build the layer in C# with Stax.Elementwise(phi, dphi)");
        return ArchitectureBinder.Parse(text, typeof(Stax));
    }

    /// <summary>Same as <see cref="Parse(string)"/>; the format provider is ignored (the text is culture-invariant).</summary>
    public static Layer Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Tries <see cref="Parse(string)"/>; false (and null) for text it rejects.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [MaybeNullWhen(false)] out Layer result)
    {
        result = null;
        if (s is null) return false;
        try
        {
            result = Parse(s);
            return true;
        }
        catch (ArchitectureParseException)
        {
            return false;
        }
    }

    /// <summary>Same as <see cref="TryParse(string?, out Layer)"/>; the format provider is ignored.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out Layer result)
        => TryParse(s, out result);

    /// <summary>The layer names architecture text knows (the public <see cref="Stax"/> factories), sorted.</summary>
    public static IReadOnlyList<string> KnownLayerNames => new ArchitectureBinder("", typeof(Stax)).KnownLayers;
}
