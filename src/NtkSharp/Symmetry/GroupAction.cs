using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>
/// A linear map ρ(g) acting on one example flattened to a vector of <see cref="Dimension"/> values (row-major, as a
/// <see cref="Tensor"/> stores it): either an exact permutation of the values or a general matrix.
/// </summary>
/// <remarks>
/// The representation ρ of a finite group G assigns one such map to every element, with ρ(g)ρ(h) = ρ(gh) for exact
/// representations. Permutations (pixel rotations, flips, cyclic shifts, set permutations) are applied by index
/// look-up and are exact in floating point.
/// </remarks>
public abstract class GroupAction
{
    private protected GroupAction(int dimension)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be positive.");
        Dimension = dimension;
    }

    /// <summary>The number of values of one example it acts on.</summary>
    public int Dimension { get; }

    /// <summary>True when the map is a permutation of the values (then it is orthogonal and exact).</summary>
    public abstract bool IsPermutation { get; }

    /// <summary>Writes y = ρ(g)·x.</summary>
    /// <exception cref="ArgumentException">A span does not have <see cref="Dimension"/> values.</exception>
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != Dimension) throw new ArgumentException($"The input has {x.Length} values but the action acts on {Dimension}.", nameof(x));
        if (y.Length != Dimension) throw new ArgumentException($"The output has {y.Length} values but the action acts on {Dimension}.", nameof(y));
        ApplyCore(x, y);
    }

    /// <summary>The dense <see cref="Dimension"/>×<see cref="Dimension"/> matrix of the map.</summary>
    public abstract Matrix<double> ToMatrix();

    /// <summary>The map ρ(g)ρ(h): this after <paramref name="first"/>.</summary>
    public abstract GroupAction After(GroupAction first);

    /// <summary>The largest entry-wise difference between the matrices of this map and <paramref name="other"/>.</summary>
    public abstract double Distance(GroupAction other);

    internal abstract void ApplyCore(ReadOnlySpan<double> x, Span<double> y);
}
