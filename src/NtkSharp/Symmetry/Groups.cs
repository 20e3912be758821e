namespace NtkSharp.Symmetry;

/// <summary>
/// Built-in symmetry groups with their representations. The kind of input is read from the example shape: [2] for
/// vectors of ℝ², [n, n, C] for square NHWC images, [L] or [L, C] for 1-D signals, [n, f] for sets of n elements with f
/// features.
/// </summary>
/// <remarks>
/// <para>Element orders (stable, documented, used by augmentation and orbit outputs): C_k: r0, r1, …, r(k−1), the
/// rotations by m·360°/k counter-clockwise. D4: e, r, r2, r3, s, rs, r2s, r3s with r the 90° rotation and s the
/// left–right mirror (x ↦ −x), r^k s meaning s first. Translations: t(a, b) at index a·W + b, the cyclic shift by a
/// rows down and b columns right (1-D: t(s) at index s, shift by s to the right). Permutations: the n! permutations in
/// lexicographic order of their one-line notation.</para>
/// <para>Images rotate about their centre (see the geometry notes on <see cref="C4"/>).</para>
/// </remarks>
public static class Groups
{
    /// <summary>The trivial group {e} acting on examples of any shape.</summary>
    public static SymmetryGroup Trivial(params int[] exampleShape)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        int dim = CheckShape(exampleShape);
        return SymmetryGroup.FromActions("Trivial", exampleShape, [new PermutationAction(Enumerable.Range(0, dim).ToArray())], null, ["e"]);
    }

    /// <summary>
    /// The rotations by multiples of 90°: exact pixel permutations of square [n, n, C] images (rotated about the image
    /// centre, counter-clockwise as numpy's rot90) or the 2×2 rotation matrices on [2] vectors. With
    /// <see cref="OutputRepresentation.Vector"/> the targets are ℝ² vectors rotated by the same matrices.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is neither [2] nor [n, n, C].</exception>
    public static SymmetryGroup C4(int[] exampleShape, OutputRepresentation output = OutputRepresentation.Invariant)
        => Dihedral("C4", exampleShape, output, reflections: false);

    /// <summary>The dihedral group of the square (rotations by 90° and reflections), exact on [n, n, C] images and on [2]
    /// vectors; element order e, r, r2, r3, s, rs, r2s, r3s.</summary>
    /// <exception cref="ArgumentException">The shape is neither [2] nor [n, n, C].</exception>
    public static SymmetryGroup D4(int[] exampleShape, OutputRepresentation output = OutputRepresentation.Invariant)
        => Dihedral("D4", exampleShape, output, reflections: true);

    /// <summary>
    /// The cyclic group C_k of rotations by multiples of 360°/k. On [2] vectors the rotation matrices (exact to
    /// rounding). On [n, n, C] images the rotation about the centre with bilinear interpolation and zeros outside the
    /// image: this is only approximately a representation (corners are cut, interpolation blurs, ρ(g)ρ(h) ≠ ρ(gh)), so
    /// <see cref="SymmetryGroup.IsExact"/> is false, except for k ∈ {1, 2, 4}, where the pixel permutations are used.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k &lt; 1.</exception>
    public static SymmetryGroup Cn(int k, int[] exampleShape, OutputRepresentation output = OutputRepresentation.Invariant)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        double tableBytes = 4.0 * k * k;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if ((double)k * k > Array.MaxLength || (available > 0 && tableBytes > available / 4))
            throw new ArgumentOutOfRangeException(nameof(k), k,
                $"C{k} is too large: its {k}×{k} multiplication table alone needs {tableBytes:G3} bytes (this process has {available} bytes), before the {k} group images of every input; use a smaller k.");
        ArgumentNullException.ThrowIfNull(exampleShape);
        CheckShape(exampleShape);
        string name = $"C{k}";
        var names = Enumerable.Range(0, k).Select(m => $"r{m}").ToArray();
        GroupAction[]? outActions = output == OutputRepresentation.Vector
            ? Enumerable.Range(0, k).Select(m => (GroupAction)PlaneGeometry.Rotation(m, k)).ToArray()
            : null;
        if (exampleShape is [2])
            return SymmetryGroup.FromActions(name, exampleShape, Enumerable.Range(0, k).Select(m => (GroupAction)PlaneGeometry.Rotation(m, k)).ToArray(), outActions, names);
        var (n, c) = SquareImage(exampleShape, name);
        if (4 % k == 0)
        {
            var perms = Enumerable.Range(0, k).Select(m => (GroupAction)PlaneGeometry.ImagePermutation(n, c, PlaneGeometry.D4Matrix(m * 4 / k, false))).ToArray();
            return SymmetryGroup.FromActions(name, exampleShape, perms, outActions, names);
        }
        var table = new int[k, k];
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++) table[a, b] = (a + b) % k;
        }
        var input = Enumerable.Range(0, k).Select(m => (GroupAction)PlaneGeometry.InterpolatedRotation(n, c, m, k)).ToArray();
        return SymmetryGroup.FromTable(name + " (interpolated)", exampleShape, names, input, outActions, isExact: false, table);
    }

    /// <summary>
    /// All cyclic translations: of [H, W, C] images (|G| = H·W, element t(a, b) at index a·W + b shifts a rows down and b
    /// columns right with wrap-around) or of [L] / [L, C] signals (|G| = L, t(s) shifts s to the right). Only
    /// invariant targets.
    /// </summary>
    /// <exception cref="ArgumentException">A shape of rank other than 1, 2 or 3.</exception>
    public static SymmetryGroup Translations(int[] exampleShape)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        CheckShape(exampleShape);
        if (exampleShape.Length is 1 or 2)
        {
            int len = exampleShape[0], ch = exampleShape.Length == 2 ? exampleShape[1] : 1;
            var acts = new GroupAction[len];
            for (int s = 0; s < len; s++)
            {
                var src = new int[len * ch];
                for (int l = 0; l < len; l++)
                {
                    for (int c = 0; c < ch; c++) src[l * ch + c] = (((l - s) % len + len) % len) * ch + c;
                }
                acts[s] = new PermutationAction(src);
            }
            return SymmetryGroup.FromActions("Translations", exampleShape, acts, null, Enumerable.Range(0, len).Select(s => $"t({s})").ToArray());
        }
        if (exampleShape.Length == 3)
        {
            int h = exampleShape[0], w = exampleShape[1], ch = exampleShape[2];
            var acts = new GroupAction[h * w];
            var names = new string[h * w];
            for (int a = 0; a < h; a++)
            {
                for (int b = 0; b < w; b++)
                {
                    acts[a * w + b] = ImageShift(h, w, ch, a, b);
                    names[a * w + b] = $"t({a},{b})";
                }
            }
            return SymmetryGroup.FromActions("Translations", exampleShape, acts, null, names);
        }
        throw new ArgumentException($"Translations act on [L], [L, C] signals or [H, W, C] images; got shape ({string.Join(", ", exampleShape)}).", nameof(exampleShape));
    }

    /// <summary>
    /// The symmetric group S_n permuting the n elements of set-valued inputs of shape [n, f] (each element a row of f
    /// features; [n] means f = 1): element σ sends row i to row σ(i). With <see cref="OutputRepresentation.Vector"/>
    /// the n per-element outputs are permuted the same way. n ≤ 7 (|G| = n!).
    /// </summary>
    /// <exception cref="ArgumentException">A shape of rank other than 1 or 2, or n &gt; 7.</exception>
    public static SymmetryGroup Permutations(int[] exampleShape, OutputRepresentation output = OutputRepresentation.Invariant)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        CheckShape(exampleShape);
        if (exampleShape.Length is not (1 or 2))
            throw new ArgumentException($"Permutations act on [n] or [n, f] sets; got shape ({string.Join(", ", exampleShape)}).", nameof(exampleShape));
        int n = exampleShape[0], f = exampleShape.Length == 2 ? exampleShape[1] : 1;
        if (n > 7) throw new ArgumentException($"Permutations of {n} elements give {n}! group elements; at most 7 are supported.", nameof(exampleShape));
        var perms = new List<int[]>();
        Permute(Enumerable.Range(0, n).ToArray(), 0, perms);
        perms.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        var input = new GroupAction[perms.Count];
        var outs = output == OutputRepresentation.Vector ? new GroupAction[perms.Count] : null;
        for (int p = 0; p < perms.Count; p++)
        {
            var sigma = perms[p];
            var inv = new int[n];
            for (int i = 0; i < n; i++) inv[sigma[i]] = i;
            var src = new int[n * f];
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < f; c++) src[i * f + c] = inv[i] * f + c; // row σ(i) of the output is row i of the input
            }
            input[p] = new PermutationAction(src);
            if (outs is not null) outs[p] = new PermutationAction(inv);
        }
        var names = perms.Select(s => "(" + string.Join(" ", s) + ")").ToArray();
        return SymmetryGroup.FromActions($"S{n}", exampleShape, input, outs, names);
    }

    /// <summary>The group generated by the elements of two exact permutation groups on the same examples (e.g. D4 and
    /// the translations of a periodic lattice: the lattice's full space group). Element order: breadth-first in the
    /// generators.</summary>
    /// <exception cref="ArgumentException">The groups act on different shapes, are not permutation groups, or are not both
    /// invariant.</exception>
    public static SymmetryGroup Generated(string name, SymmetryGroup a, SymmetryGroup b, int maxOrder = 100_000)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.ExampleShape.SequenceEqual(b.ExampleShape)) throw new ArgumentException("The groups act on examples of different shapes.", nameof(b));
        if (!a.IsInvariant || !b.IsInvariant) throw new ArgumentException("Only groups with invariant targets can be combined.", nameof(b));
        var gens = a.InputActions.Skip(1).Concat(b.InputActions.Skip(1)).ToList();
        if (gens.Any(g => g is not PermutationAction)) throw new ArgumentException("Only permutation groups can be combined.", nameof(b));
        if (gens.Count == 0) return a;
        return SymmetryGroup.Generate(name, a.ExampleShape.ToArray(), gens.Cast<PermutationAction>().ToArray(), null, maxOrder);
    }

    private static SymmetryGroup Dihedral(string name, int[] exampleShape, OutputRepresentation output, bool reflections)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        CheckShape(exampleShape);
        var mats = new List<(int, int, int, int)>();
        var names = new List<string>();
        foreach (bool s in reflections ? new[] { false, true } : new[] { false })
        {
            for (int k = 0; k < 4; k++)
            {
                mats.Add(PlaneGeometry.D4Matrix(k, s));
                names.Add(s ? (k == 0 ? "s" : k == 1 ? "rs" : $"r{k}s") : (k == 0 ? (reflections ? "e" : "r0") : reflections ? (k == 1 ? "r" : $"r{k}") : $"r{k}"));
            }
        }
        GroupAction[]? outActions = output == OutputRepresentation.Vector ? mats.Select(m => (GroupAction)PlaneGeometry.PlaneAction(m)).ToArray() : null;
        if (exampleShape is [2])
            return SymmetryGroup.FromActions(name, exampleShape, mats.Select(m => (GroupAction)PlaneGeometry.PlaneAction(m)).ToArray(), outActions, names);
        var (n, c) = SquareImage(exampleShape, name);
        return SymmetryGroup.FromActions(name, exampleShape, mats.Select(m => (GroupAction)PlaneGeometry.ImagePermutation(n, c, m)).ToArray(), outActions, names);
    }

    private static PermutationAction ImageShift(int h, int w, int ch, int a, int b)
    {
        var src = new int[h * w * ch];
        for (int i = 0; i < h; i++)
        {
            for (int j = 0; j < w; j++)
            {
                int si = ((i - a) % h + h) % h, sj = ((j - b) % w + w) % w;
                for (int c = 0; c < ch; c++) src[(i * w + j) * ch + c] = (si * w + sj) * ch + c;
            }
        }
        return new PermutationAction(src);
    }

    private static (int N, int C) SquareImage(int[] shape, string name)
    {
        if (shape.Length != 3 || shape[0] != shape[1])
            throw new ArgumentException($"{name} acts on [2] vectors or square [n, n, C] images; got shape ({string.Join(", ", shape)}).", nameof(shape));
        return (shape[0], shape[2]);
    }

    private static int CheckShape(int[] shape)
    {
        if (shape.Length == 0 || shape.Any(s => s <= 0))
            throw new ArgumentException($"The example shape must have positive axes; got ({string.Join(", ", shape)}).", nameof(shape));
        return shape.Aggregate(1, (a, b) => checked(a * b));
    }

    private static void Permute(int[] a, int k, List<int[]> result)
    {
        if (k == a.Length)
        {
            result.Add((int[])a.Clone());
            return;
        }
        for (int i = k; i < a.Length; i++)
        {
            (a[k], a[i]) = (a[i], a[k]);
            Permute(a, k + 1, result);
            (a[k], a[i]) = (a[i], a[k]);
        }
    }
}
