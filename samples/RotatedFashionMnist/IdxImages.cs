using System.Buffers.Binary;

/// <summary>
/// Reads the original (Fashion-)MNIST IDX files (e.g. <c>train-images-idx3-ubyte</c> and <c>train-labels-idx1-ubyte</c>,
/// optionally gzipped): big-endian magic 0x00000803 / 0x00000801, dimensions, then unsigned bytes.
/// </summary>
internal static class IdxImages
{
    /// <summary>Loads an image file and its label file; pixels scaled to [0, 1].</summary>
    public static ImageSet Load(string imagesFile, string labelsFile)
    {
        var img = ReadAll(imagesFile);
        var lab = ReadAll(labelsFile);
        if (img.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(img) != 0x803) throw new InvalidDataException($"{imagesFile} is not an IDX3 unsigned-byte file.");
        if (lab.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(lab) != 0x801) throw new InvalidDataException($"{labelsFile} is not an IDX1 unsigned-byte file.");
        int n = BinaryPrimitives.ReadInt32BigEndian(img.AsSpan(4)), rows = BinaryPrimitives.ReadInt32BigEndian(img.AsSpan(8)), cols = BinaryPrimitives.ReadInt32BigEndian(img.AsSpan(12));
        int nl = BinaryPrimitives.ReadInt32BigEndian(lab.AsSpan(4));
        if (rows != cols) throw new InvalidDataException($"{imagesFile}: images are {rows}×{cols}, only square images are supported.");
        if (n != nl) throw new InvalidDataException($"{imagesFile} has {n} images but {labelsFile} has {nl} labels.");
        if (img.Length != 16 + (long)n * rows * cols || lab.Length != 8 + n) throw new InvalidDataException($"{imagesFile} or {labelsFile} is truncated.");
        var pixels = new double[n * rows * cols];
        for (int k = 0; k < pixels.Length; k++) pixels[k] = img[16 + k] / 255.0;
        var labels = new int[n];
        for (int k = 0; k < n; k++) labels[k] = lab[8 + k];
        return new ImageSet(pixels, labels, rows);
    }

    /// <summary>Loads <c>{prefix}-images-idx3-ubyte[.gz]</c> and <c>{prefix}-labels-idx1-ubyte[.gz]</c> of a folder.</summary>
    public static ImageSet LoadFolder(string folder, string prefix) =>
        Load(Find(folder, $"{prefix}-images-idx3-ubyte"), Find(folder, $"{prefix}-labels-idx1-ubyte"));

    public static bool Exists(string folder, string prefix) =>
        File.Exists(Path.Combine(folder, $"{prefix}-images-idx3-ubyte")) || File.Exists(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"));

    private static string Find(string folder, string name)
    {
        string plain = Path.Combine(folder, name);
        return File.Exists(plain) ? plain : plain + ".gz";
    }

    private static byte[] ReadAll(string file)
    {
        if (!file.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllBytes(file);
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(file), System.IO.Compression.CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }
}
