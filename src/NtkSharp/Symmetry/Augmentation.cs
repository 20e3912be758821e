using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>A data set (inputs and targets).</summary>
/// <param name="X">The inputs, batch axis first.</param>
/// <param name="Y">The targets, one row per input.</param>
public sealed record LabelledData(Tensor X, Matrix<double> Y);

/// <summary>Full data augmentation over a group orbit.</summary>
/// <remarks>
/// The augmented set is {(ρ_X(g)xᵢ, ρ_Y(g)yᵢ) : g ∈ G, i = 1 … N} in element-major order: the pair for element g (at
/// position p of the element list) and example i is row p·N + i. With the whole group the identity's block comes first,
/// so the first N rows are the original data. This is the training set of the deep ensembles in Gerken &amp; Kessel
/// (ICML 2024), whose mean is exactly G-equivariant at infinite width.
/// </remarks>
public static class Augmentation
{
    /// <summary>The full orbit of the data under every element of <paramref name="group"/> (|G|·N examples).</summary>
    /// <exception cref="ArgumentException">Shapes do not match the group or each other, or a value is not finite.</exception>
    public static LabelledData Augment(Tensor x, Matrix<double> y, SymmetryGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Augment(x, y, group, Enumerable.Range(0, group.Order).ToArray());
    }

    /// <summary>The images of the data under the listed elements only (e.g. a subgroup, or — as a control — a subset that
    /// is not a subgroup): |elements|·N examples, row p·N + i for the p-th listed element.</summary>
    /// <exception cref="ArgumentException">Shapes do not match, an element index is out of range, or a value is not finite.</exception>
    public static LabelledData Augment(Tensor x, Matrix<double> y, SymmetryGroup group, IReadOnlyList<int> elements)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(elements);
        x.EnsureFinite(nameof(x));
        if (y.RowCount != x.Count) throw new ArgumentException($"y has {y.RowCount} rows but x has {x.Count} examples.", nameof(y));
        if (y.Enumerate().Any(v => !double.IsFinite(v))) throw new ArgumentException("y contains a non-finite value.", nameof(y));
        group.CheckOutputs(y.ColumnCount, nameof(y));
        var xa = group.OrbitInputs(x, elements);
        int n = x.Count, k = y.ColumnCount;
        var ya = Matrix<double>.Build.Dense(elements.Count * n, k);
        for (int p = 0; p < elements.Count; p++)
        {
            var yg = group.ActOnOutputs(elements[p], y);
            ya.SetSubMatrix(p * n, 0, yg);
        }
        return new LabelledData(xa, ya);
    }
}
