namespace NtkSharp.IO;

/// <summary>
/// A <c>.npy</c> stream that cannot be read: bad magic string, unsupported format version or dtype, a malformed
/// header, or fewer data bytes than the header's shape requires. The message says which.
/// </summary>
public sealed class NpyFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public NpyFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the underlying cause.</summary>
    public NpyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
