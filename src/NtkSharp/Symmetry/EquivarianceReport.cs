using System.Globalization;
using System.Text;

namespace NtkSharp.Symmetry;

/// <summary>
/// How equivariant a predictor f is on a set of test inputs under a group: for every input x and element g the
/// relative error ‖f(ρ_X(g)x) − ρ_Y(g)f(x)‖ / ‖f(x)‖, the orbit-same-prediction count and the orbit relative spread.
/// </summary>
/// <remarks>Norms are Euclidean over the K outputs. A relative error with ‖f(x)‖ = 0 is 0 when the difference is also 0
/// (e.g. the mean at t = 0, which is identically zero) and +∞ otherwise.</remarks>
public sealed record EquivarianceReport
{
    /// <summary>The training time t of the predictor (NaN when not applicable).</summary>
    public required double Time { get; init; }

    /// <summary>|G|.</summary>
    public required int GroupOrder { get; init; }

    /// <summary>The number of test inputs.</summary>
    public required int InputCount { get; init; }

    /// <summary>max over inputs and elements of the relative error.</summary>
    public required double MaxRelativeError { get; init; }

    /// <summary>Mean over inputs and the non-identity elements of the relative error (0 for the trivial group).</summary>
    public required double MeanRelativeError { get; init; }

    /// <summary>max over inputs and elements of ‖f(ρ_X(g)x) − ρ_Y(g)f(x)‖.</summary>
    public required double MaxAbsoluteError { get; init; }

    /// <summary>The relative error per input (row) and element (column, in the group's element order).</summary>
    public required double[,] RelativeErrors { get; init; }

    /// <summary>
    /// Per input, the number of elements g (identity included, so 1 … |G|) with argmax f(ρ_X(g)x) = argmax ρ_Y(g)f(x):
    /// |G| means the predicted class is the same on the whole orbit. Null when there is a single output.
    /// </summary>
    public required int[]? OrbitSameCounts { get; init; }

    /// <summary>The mean of <see cref="OrbitSameCounts"/> (NaN when null).</summary>
    public double MeanOrbitSameCount => OrbitSameCounts is null ? double.NaN : OrbitSameCounts.Average();

    /// <summary>Per input, sqrt(mean_g ‖z_g − z̄‖²) / ‖z̄‖ with z_g = ρ_Y(g)⁻¹ f(ρ_X(g)x) and z̄ their mean over the orbit:
    /// 0 for an exactly equivariant predictor.</summary>
    public required double[] OrbitRelativeStd { get; init; }

    /// <summary>The mean of <see cref="OrbitRelativeStd"/>.</summary>
    public double MeanOrbitRelativeStd => OrbitRelativeStd.Average();

    /// <summary>The largest <see cref="OrbitRelativeStd"/>.</summary>
    public double MaxOrbitRelativeStd => OrbitRelativeStd.Max();

    /// <summary>
    /// Per input (row) and element (column), for class-logit outputs (K ≥ 2), the symmetrised Kullback–Leibler
    /// divergence D = KL(p‖q) + KL(q‖p) = Σ_c (p_c − q_c)(log p_c − log q_c) between p = softmax(ρ_Y(g)f(x)) and
    /// q = softmax(f(ρ_X(g)x)) (for invariant targets p = softmax(f(x))); 0 exactly when the two logit vectors are equal
    /// (Nordenfors &amp; Flinth, 2024). Null when there is a single output.
    /// </summary>
    public double[,]? SymmetrizedKl { get; init; }

    /// <summary>The mean of <see cref="SymmetrizedKl"/> over inputs and the non-identity elements (0 for the trivial group,
    /// NaN when there is a single output).</summary>
    public double MeanSymmetrizedKl { get; init; } = double.NaN;

    /// <summary>The largest <see cref="SymmetrizedKl"/> over inputs and elements (NaN when there is a single output).</summary>
    public double MaxSymmetrizedKl { get; init; } = double.NaN;

    /// <summary>Inputs listed one per line by <see cref="ToString"/> (the rest are summarised).</summary>
    private const int ListedInputs = 10;

    /// <summary>A readable summary: the time, |G|, the number of inputs and the metrics, then one line per input
    /// (the first ten) with its relative errors per element, orbit-same count and orbit relative spread.</summary>
    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.Append(ci, $"EquivarianceReport: t = {(double.IsNaN(Time) ? "n/a" : double.IsPositiveInfinity(Time) ? "∞" : Time.ToString("G6", ci))}, |G| = {GroupOrder}, {InputCount} inputs");
        b.AppendLine();
        b.Append(ci, $"  relative error ‖f(ρ_X(g)x) − ρ_Y(g)f(x)‖/‖f(x)‖: max {MaxRelativeError:G3}, mean over g ≠ e {MeanRelativeError:G3}; max absolute error {MaxAbsoluteError:G3}");
        b.AppendLine();
        b.Append(ci, $"  orbit relative spread: mean {MeanOrbitRelativeStd:G3}, max {MaxOrbitRelativeStd:G3}");
        if (OrbitSameCounts is not null) b.Append(ci, $"; orbit-same predictions: mean {MeanOrbitSameCount:G4} of {GroupOrder}");
        if (!double.IsNaN(MeanSymmetrizedKl)) b.Append(ci, $"; symmetrised KL of softmax: mean {MeanSymmetrizedKl:G3}, max {MaxSymmetrizedKl:G3}");
        int rows = Math.Min(InputCount, ListedInputs);
        for (int i = 0; i < rows; i++)
        {
            b.AppendLine();
            b.Append(ci, $"  input {i}: relative errors [");
            for (int g = 0; g < GroupOrder; g++) b.Append(g == 0 ? "" : ", ").Append(RelativeErrors[i, g].ToString("G3", ci));
            b.Append(']');
            if (OrbitSameCounts is not null) b.Append(ci, $", same {OrbitSameCounts[i]}/{GroupOrder}");
            b.Append(ci, $", spread {OrbitRelativeStd[i]:G3}");
        }
        if (InputCount > rows)
        {
            b.AppendLine();
            b.Append(ci, $"  … {InputCount - rows} more inputs");
        }
        return b.ToString();
    }
}
