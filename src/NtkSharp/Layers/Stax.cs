namespace NtkSharp.Layers;

/// <summary>
/// Factory of layers in the style of neural-tangents' <c>stax</c>:
/// <c>Stax.Serial(Stax.Dense(512, wStd: 1.5, bStd: 0.05), Stax.Relu(), Stax.Dense(1))</c>.
/// The method and parameter names here are exactly the names used in architecture text (<c>Layer.Parse</c>).
/// </summary>
public static partial class Stax
{
    /// <summary>A fully-connected layer; see <see cref="Layers.Dense"/>.</summary>
    /// <param name="width">Output channels.</param>
    /// <param name="wStd">Weight standard deviation σ_w.</param>
    /// <param name="bStd">Bias standard deviation σ_b (0: no bias).</param>
    /// <param name="parameterization">NTK (default) or standard parameterisation.</param>
    public static Dense Dense(int width, double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
        => new(width, wStd, bStd, parameterization);

    /// <summary>φ(x) = max(x, 0).</summary>
    public static Relu Relu() => new();

    /// <summary>φ(x) = x for x ≥ 0, α·x otherwise.</summary>
    public static LeakyRelu LeakyRelu(double alpha) => new(alpha);

    /// <summary>φ(x) = a·min(x, 0) + b·max(x, 0).</summary>
    public static ABRelu ABRelu(double a, double b) => new(a, b);

    /// <summary>φ(x) = |x|.</summary>
    public static Abs Abs() => new();

    /// <summary>The identity map.</summary>
    public static Identity Identity() => new();

    /// <summary>Layers applied in order.</summary>
    public static Serial Serial(params Layer[] layers) => new(layers);

    /// <summary>The i-th layer on the i-th branch.</summary>
    public static ParallelLayer Parallel(params Layer[] branches) => new(branches);

    /// <summary>Copies the input into <paramref name="count"/> branches.</summary>
    public static FanOut FanOut(int count) => new(count);

    /// <summary>Sums the branches.</summary>
    public static FanInSum FanInSum() => new();
}
