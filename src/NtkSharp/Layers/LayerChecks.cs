namespace NtkSharp.Layers;

internal static class LayerChecks
{
    public static void Std(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0.0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite, non-negative standard deviation.");
    }

    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite.");
    }
}
