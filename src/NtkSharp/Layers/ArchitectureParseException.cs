namespace NtkSharp.Layers;

/// <summary>
/// Architecture text that <see cref="Layer.Parse(string)"/> cannot read: a syntax error, an unknown layer or
/// parameter name, a value of the wrong type, or a layer whose constructor rejects its arguments. The message starts
/// with the 0-based character <see cref="Position"/> and says what was expected there.
/// </summary>
public sealed class ArchitectureParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="position">The 0-based character offset in the text.</param>
    /// <param name="detail">What went wrong, e.g. "expected ',' or ')' but found 'x'".</param>
    /// <param name="innerException">The constructor's exception when a layer rejected its arguments.</param>
    public ArchitectureParseException(int position, string detail, Exception? innerException = null)
        : base($"position {position}: {detail}", innerException)
    {
        Position = position;
        Detail = detail;
    }

    /// <summary>The 0-based character offset in the text where the problem is.</summary>
    public int Position { get; }

    /// <summary>The message without the position prefix.</summary>
    public string Detail { get; }
}
