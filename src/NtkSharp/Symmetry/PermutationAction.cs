using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>
/// An exact permutation of an example's values: y[i] = x[<see cref="Source"/>[i]].
/// </summary>
/// <remarks>As a matrix P with P[i, Source[i]] = 1; orthogonal, so ρ(g)ᵀ = ρ(g)⁻¹.</remarks>
public sealed class PermutationAction : GroupAction
{
    private readonly int[] _source;

    /// <summary>Creates the permutation y[i] = x[source[i]].</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not a permutation of 0 … n − 1.</exception>
    public PermutationAction(int[] source)
        : base(source?.Length ?? throw new ArgumentNullException(nameof(source)))
    {
        var seen = new bool[source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            int s = source[i];
            if (s < 0 || s >= source.Length || seen[s])
                throw new ArgumentException($"source is not a permutation of 0 … {source.Length - 1}: entry {i} is {s}.", nameof(source));
            seen[s] = true;
        }
        _source = (int[])source.Clone();
    }

    /// <summary>The index map: output value i is input value Source[i].</summary>
    public IReadOnlyList<int> Source => _source;

    /// <inheritdoc />
    public override bool IsPermutation => true;

    /// <inheritdoc />
    public override Matrix<double> ToMatrix()
    {
        var m = Matrix<double>.Build.Dense(Dimension, Dimension);
        for (int i = 0; i < Dimension; i++) m[i, _source[i]] = 1.0;
        return m;
    }

    /// <inheritdoc />
    public override GroupAction After(GroupAction first)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (first.Dimension != Dimension) throw new ArgumentException($"Dimensions differ ({first.Dimension} vs {Dimension}).", nameof(first));
        if (first is PermutationAction p)
        {
            // (this ∘ p)(x)[i] = p(x)[src[i]] = x[p.src[src[i]]]
            var s = new int[Dimension];
            for (int i = 0; i < Dimension; i++) s[i] = p._source[_source[i]];
            return new PermutationAction(s);
        }
        return new MatrixAction(ToMatrix() * first.ToMatrix());
    }

    /// <inheritdoc />
    public override double Distance(GroupAction other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension) return double.PositiveInfinity;
        if (other is PermutationAction p) return _source.AsSpan().SequenceEqual(p._source) ? 0.0 : 1.0;
        return (ToMatrix() - other.ToMatrix()).Enumerate().Max(Math.Abs);
    }

    internal override void ApplyCore(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < _source.Length; i++) y[i] = x[_source[i]];
    }

    internal int[] SourceArray => _source;
}
