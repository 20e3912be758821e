using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Symmetry;

/// <summary>
/// A finite group G given by its elements (indexed 0 … |G| − 1, the identity first), composition and inverses, with a
/// representation ρ_X on one example's values and a representation ρ_Y on the targets (the identity for invariant
/// targets).
/// </summary>
/// <remarks>
/// <para>Element g acts on a batch by ρ_X(g) on every example; <see cref="Multiply"/>(a, b) is the element ab with
/// ρ(ab) = ρ(a)ρ(b) (b applied first). Groups built from actions (<see cref="FromActions"/>, <see cref="Generate"/>
/// and the exact built-ins of <see cref="Groups"/>) derive their multiplication table from the actions and throw when
/// the set is not closed under composition; for these <see cref="IsExact"/> is true and ρ is a homomorphism to
/// rounding. Rotations of images by angles that do not map pixels onto pixels (<see cref="Groups.Cn"/> on images) are
/// interpolations: the abstract group is the cyclic group C_k but ρ_X is only approximately a homomorphism and
/// <see cref="IsExact"/> is false.</para>
/// <para>Gerken &amp; Kessel, "Emergent Equivariance in Deep Ensembles", ICML 2024.</para>
/// </remarks>
public sealed class SymmetryGroup
{
    private readonly GroupAction[] _input;
    private readonly GroupAction[]? _output;
    private readonly string[] _names;
    private readonly int[,] _table;
    private readonly int[] _inverse;

    private SymmetryGroup(string name, int[] exampleShape, string[] names, GroupAction[] input, GroupAction[]? output,
        bool isExact, int[,] table)
    {
        Name = name;
        ExampleShape = (int[])exampleShape.Clone();
        _names = names;
        _input = input;
        _output = output;
        IsExact = isExact;
        _table = table;
        _inverse = new int[names.Length];
        ValidateTable();
    }

    /// <summary>A short name (e.g. "C4", "D4", "C8 (interpolated)").</summary>
    public string Name { get; }

    /// <summary>|G|, the number of elements.</summary>
    public int Order => _names.Length;

    /// <summary>The index of the identity element (always 0).</summary>
    public int Identity => 0;

    /// <summary>The element names, in element order (e.g. "r0", "r1", … for rotations by multiples of 2π/k).</summary>
    public IReadOnlyList<string> ElementNames => _names;

    /// <summary>The shape of one example the group acts on (e.g. [H, W, C] or [2]).</summary>
    public IReadOnlyList<int> ExampleShape { get; }

    /// <summary>The number of values of one example.</summary>
    public int InputDimension => _input[0].Dimension;

    /// <summary>ρ_X(g) for every element, in element order.</summary>
    public IReadOnlyList<GroupAction> InputActions => _input;

    /// <summary>ρ_Y(g) for every element, or null for invariant targets (ρ_Y = I on any number of outputs).</summary>
    public IReadOnlyList<GroupAction>? OutputActions => _output;

    /// <summary>True for invariant targets (ρ_Y = I).</summary>
    public bool IsInvariant => _output is null;

    /// <summary>The number of outputs ρ_Y acts on, or null for invariant targets (any number).</summary>
    public int? OutputDimension => _output?[0].Dimension;

    /// <summary>True when ρ_X and ρ_Y are exact representations (ρ(a)ρ(b) = ρ(ab) to rounding); false for interpolated
    /// image rotations.</summary>
    public bool IsExact { get; }

    /// <summary>The index of ab (b applied first, then a).</summary>
    public int Multiply(int a, int b) => _table[CheckElement(a, nameof(a)), CheckElement(b, nameof(b))];

    /// <summary>The index of g⁻¹.</summary>
    public int Inverse(int g) => _inverse[CheckElement(g, nameof(g))];

    /// <summary>Whether the given elements form a subgroup (contain the identity and are closed under composition).</summary>
    public bool IsSubgroup(IEnumerable<int> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var set = elements.Select(e => CheckElement(e, nameof(elements))).ToHashSet();
        if (!set.Contains(Identity)) return false;
        foreach (int a in set)
        {
            foreach (int b in set)
            {
                if (!set.Contains(_table[a, b])) return false;
            }
        }
        return true;
    }

    /// <summary>The subgroup formed by <paramref name="elements"/> (kept in the given order after the identity).</summary>
    /// <exception cref="ArgumentException">The elements do not form a subgroup.</exception>
    public SymmetryGroup Subgroup(string name, IEnumerable<int> elements)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(elements);
        var list = elements.Distinct().ToList();
        if (!IsSubgroup(list))
            throw new ArgumentException($"Elements {{{string.Join(", ", list.Select(e => _names[e]))}}} of {Name} are not closed under composition or lack the identity: they do not form a subgroup.", nameof(elements));
        list.Remove(Identity);
        list.Insert(0, Identity);
        var index = new Dictionary<int, int>();
        for (int i = 0; i < list.Count; i++) index[list[i]] = i;
        var table = new int[list.Count, list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            for (int j = 0; j < list.Count; j++) table[i, j] = index[_table[list[i], list[j]]];
        }
        return new SymmetryGroup(name, ExampleShape.ToArray(), list.Select(e => _names[e]).ToArray(),
            list.Select(e => _input[e]).ToArray(), _output is null ? null : list.Select(e => _output[e]).ToArray(), IsExact, table);
    }

    /// <summary>The same group and ρ_X with invariant targets (ρ_Y = I).</summary>
    public SymmetryGroup AsInvariant()
        => _output is null ? this : new SymmetryGroup(Name, ExampleShape.ToArray(), _names, _input, null, IsExact, _table);

    /// <summary>Applies ρ_X(<paramref name="g"/>) to every example of <paramref name="x"/> (a new tensor of the same shape).</summary>
    /// <exception cref="ArgumentException">The examples do not have <see cref="InputDimension"/> values.</exception>
    public Tensor ActOnInputs(int g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckInputs(x, nameof(x));
        var action = _input[CheckElement(g, nameof(g))];
        int d = InputDimension;
        var data = new double[x.Data.Length];
        for (int i = 0; i < x.Count; i++) action.ApplyCore(x.Data.AsSpan(i * d, d), data.AsSpan(i * d, d));
        return new Tensor(data, x.Shape);
    }

    /// <summary>Applies ρ_Y(<paramref name="g"/>) to every row of <paramref name="y"/> (N×K); a copy for invariant targets.</summary>
    /// <exception cref="ArgumentException">ρ_Y acts on a different number of outputs than K.</exception>
    public Matrix<double> ActOnOutputs(int g, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        CheckElement(g, nameof(g));
        if (_output is null) return y.Clone();
        CheckOutputs(y.ColumnCount, nameof(y));
        var action = _output[g];
        int k = y.ColumnCount;
        var result = Matrix<double>.Build.Dense(y.RowCount, k);
        var row = new double[k];
        var outRow = new double[k];
        for (int i = 0; i < y.RowCount; i++)
        {
            for (int c = 0; c < k; c++) row[c] = y[i, c];
            action.ApplyCore(row, outRow);
            for (int c = 0; c < k; c++) result[i, c] = outRow[c];
        }
        return result;
    }

    /// <summary>The orbit of every example: ρ_X(g)xᵢ at row g·N + i (element-major, the identity's block first).</summary>
    public Tensor OrbitInputs(Tensor x) => OrbitInputs(x, Enumerable.Range(0, Order).ToArray());

    /// <summary>The images ρ_X(g)xᵢ for the listed elements, at row (position of g in the list)·N + i.</summary>
    public Tensor OrbitInputs(Tensor x, IReadOnlyList<int> elements)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Count == 0) throw new ArgumentException("At least one element is needed.", nameof(elements));
        CheckInputs(x, nameof(x));
        int n = x.Count, d = InputDimension;
        var data = new double[(long)elements.Count * n * d];
        for (int e = 0; e < elements.Count; e++)
        {
            var action = _input[CheckElement(elements[e], nameof(elements))];
            for (int i = 0; i < n; i++)
                action.ApplyCore(x.Data.AsSpan(i * d, d), data.AsSpan(checked((e * n + i) * d), d));
        }
        var shape = (int[])x.Shape.Clone();
        shape[0] = elements.Count * n;
        return new Tensor(data, shape);
    }

    /// <summary>
    /// A group from explicit actions: element i acts by <paramref name="inputActions"/>[i] on inputs and by
    /// <paramref name="outputActions"/>[i] on targets (null: invariant). The multiplication table is derived from the
    /// actions (matrices compared to <paramref name="tolerance"/>); the identity is moved to index 0.
    /// </summary>
    /// <exception cref="ArgumentException">The set is not closed under composition, contains an element twice, lacks the
    /// identity, or the actions have inconsistent dimensions.</exception>
    public static SymmetryGroup FromActions(string name, IReadOnlyList<int> exampleShape, IReadOnlyList<GroupAction> inputActions,
        IReadOnlyList<GroupAction>? outputActions = null, IReadOnlyList<string>? elementNames = null, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(exampleShape);
        ArgumentNullException.ThrowIfNull(inputActions);
        int order = inputActions.Count;
        if (order == 0) throw new ArgumentException("A group needs at least the identity.", nameof(inputActions));
        int dim = exampleShape.Aggregate(1, (a, b) => a * b);
        if (exampleShape.Any(s => s <= 0)) throw new ArgumentException("Every axis of the example shape must be positive.", nameof(exampleShape));
        for (int i = 0; i < order; i++)
        {
            if (inputActions[i] is null) throw new ArgumentNullException(nameof(inputActions), $"inputActions[{i}] is null.");
            if (inputActions[i].Dimension != dim)
                throw new ArgumentException($"inputActions[{i}] acts on {inputActions[i].Dimension} values but an example of shape ({string.Join(", ", exampleShape)}) has {dim}.", nameof(inputActions));
        }
        if (outputActions is not null)
        {
            if (outputActions.Count != order) throw new ArgumentException($"{outputActions.Count} output actions for {order} input actions.", nameof(outputActions));
            for (int i = 0; i < order; i++)
            {
                if (outputActions[i] is null) throw new ArgumentNullException(nameof(outputActions), $"outputActions[{i}] is null.");
                if (outputActions[i].Dimension != outputActions[0].Dimension) throw new ArgumentException("The output actions have different dimensions.", nameof(outputActions));
            }
        }
        if (elementNames is not null && elementNames.Count != order) throw new ArgumentException($"{elementNames.Count} names for {order} elements.", nameof(elementNames));
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be non-negative.");

        var names = elementNames?.ToArray() ?? Enumerable.Range(0, order).Select(i => $"g{i}").ToArray();
        var input = inputActions.ToArray();
        var output = outputActions?.ToArray();

        // Move the identity to index 0.
        var idIn = new PermutationAction(Enumerable.Range(0, dim).ToArray());
        var idOut = output is null ? null : new PermutationAction(Enumerable.Range(0, output[0].Dimension).ToArray());
        int identity = -1;
        for (int i = 0; i < order && identity < 0; i++)
        {
            if (input[i].Distance(idIn) <= tolerance && (output is null || output[i].Distance(idOut!) <= tolerance)) identity = i;
        }
        if (identity < 0) throw new ArgumentException($"{name}: no element acts as the identity, so the set is not a group.", nameof(inputActions));
        if (identity != 0)
        {
            (input[0], input[identity]) = (input[identity], input[0]);
            (names[0], names[identity]) = (names[identity], names[0]);
            if (output is not null) (output[0], output[identity]) = (output[identity], output[0]);
        }

        var table = new int[order, order];
        var finder = new ElementFinder(input, output, tolerance);
        for (int i = 0; i < order; i++)
        {
            int dup = finder.Find(input[i], output?[i], excluding: i);
            if (dup >= 0) throw new ArgumentException($"{name}: elements {names[Math.Min(i, dup)]} and {names[Math.Max(i, dup)]} act identically; list each element once.", nameof(inputActions));
        }
        for (int a = 0; a < order; a++)
        {
            for (int b = 0; b < order; b++)
            {
                var prodIn = input[a].After(input[b]);
                var prodOut = output is null ? null : output[a].After(output[b]);
                int k = finder.Find(prodIn, prodOut, excluding: -1);
                if (k < 0) throw new ArgumentException($"{name} is not closed under composition: {names[a]}·{names[b]} is not in the set.", nameof(inputActions));
                table[a, b] = k;
            }
        }
        return new SymmetryGroup(name, exampleShape.ToArray(), names, input, output, isExact: true, table);
    }

    /// <summary>From user permutations: element i maps an example's values by y[j] = x[<paramref name="sources"/>[i][j]].</summary>
    /// <exception cref="ArgumentException">Not a permutation, or the set is not closed under composition.</exception>
    public static SymmetryGroup FromPermutations(string name, IReadOnlyList<int> exampleShape, IReadOnlyList<int[]> sources,
        IReadOnlyList<int[]>? outputSources = null, IReadOnlyList<string>? elementNames = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return FromActions(name, exampleShape, sources.Select(s => (GroupAction)new PermutationAction(s)).ToArray(),
            outputSources?.Select(s => (GroupAction)new PermutationAction(s)).ToArray(), elementNames, 0);
    }

    /// <summary>From user orthogonal (or any invertible) matrices acting on an example's flattened values.</summary>
    /// <exception cref="ArgumentException">A matrix is not square of the example's size, or the set is not closed under
    /// composition to <paramref name="tolerance"/>.</exception>
    public static SymmetryGroup FromMatrices(string name, IReadOnlyList<int> exampleShape, IReadOnlyList<Matrix<double>> inputMatrices,
        IReadOnlyList<Matrix<double>>? outputMatrices = null, IReadOnlyList<string>? elementNames = null, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(inputMatrices);
        return FromActions(name, exampleShape, inputMatrices.Select(m => (GroupAction)new MatrixAction(m)).ToArray(),
            outputMatrices?.Select(m => (GroupAction)new MatrixAction(m)).ToArray(), elementNames, tolerance);
    }

    /// <summary>
    /// The group generated by permutation generators (closure by breadth-first search; element order: identity, then
    /// in order of discovery, i.e. by word length in the generators).
    /// </summary>
    /// <exception cref="ArgumentException">The group would exceed <paramref name="maxOrder"/> elements.</exception>
    public static SymmetryGroup Generate(string name, IReadOnlyList<int> exampleShape, IReadOnlyList<PermutationAction> generators,
        IReadOnlyList<PermutationAction>? outputGenerators = null, int maxOrder = 100_000)
    {
        ArgumentNullException.ThrowIfNull(generators);
        if (generators.Count == 0) throw new ArgumentException("At least one generator is needed.", nameof(generators));
        if (outputGenerators is not null && outputGenerators.Count != generators.Count)
            throw new ArgumentException("One output generator per input generator is needed.", nameof(outputGenerators));
        int dim = generators[0].Dimension;
        var id = new PermutationAction(Enumerable.Range(0, dim).ToArray());
        var idOut = outputGenerators is null ? null : new PermutationAction(Enumerable.Range(0, outputGenerators[0].Dimension).ToArray());
        var elements = new List<(PermutationAction In, PermutationAction? Out)> { (id, idOut) };
        var seen = new HashSet<string> { Key(id, idOut) };
        for (int head = 0; head < elements.Count; head++)
        {
            for (int gi = 0; gi < generators.Count; gi++)
            {
                var pin = (PermutationAction)generators[gi].After(elements[head].In);
                var pout = outputGenerators is null ? null : (PermutationAction)outputGenerators[gi].After(elements[head].Out!);
                if (seen.Add(Key(pin, pout)))
                {
                    elements.Add((pin, pout));
                    if (elements.Count > maxOrder) throw new ArgumentException($"{name}: the generated group exceeds {maxOrder} elements.", nameof(generators));
                }
            }
        }
        return FromActions(name, exampleShape, elements.Select(e => (GroupAction)e.In).ToArray(),
            outputGenerators is null ? null : elements.Select(e => (GroupAction)e.Out!).ToArray(), null, 0);
    }

    /// <summary>A group with a given abstract multiplication table and (possibly approximate) actions.</summary>
    internal static SymmetryGroup FromTable(string name, int[] exampleShape, string[] names, GroupAction[] input,
        GroupAction[]? output, bool isExact, int[,] table)
        => new(name, exampleShape, names, input, output, isExact, table);

    /// <inheritdoc />
    public override string ToString()
        => $"{Name} (|G| = {Order}, on examples of shape ({string.Join(", ", ExampleShape)}), {(IsInvariant ? "invariant targets" : $"ρ_Y on {OutputDimension} outputs")}{(IsExact ? "" : ", approximate")})";

    internal GroupAction[] InputArray => _input;

    internal void CheckInputs(Tensor x, string argumentName)
    {
        if (x.ExampleSize != InputDimension)
            throw new ArgumentException($"{argumentName} examples have {x.ExampleSize} values (shape ({string.Join(", ", x.ExampleShape)})) but {Name} acts on examples of shape ({string.Join(", ", ExampleShape)}).", argumentName);
    }

    internal void CheckOutputs(int k, string argumentName)
    {
        if (_output is not null && k != _output[0].Dimension)
            throw new ArgumentException($"{argumentName} has {k} outputs but ρ_Y of {Name} acts on {_output[0].Dimension}.", argumentName);
    }

    private int CheckElement(int g, string argumentName)
    {
        if ((uint)g >= (uint)_names.Length) throw new ArgumentOutOfRangeException(argumentName, g, $"{Name} has elements 0 … {_names.Length - 1}.");
        return g;
    }

    private void ValidateTable()
    {
        int n = Order;
        if (_table.GetLength(0) != n || _table.GetLength(1) != n) throw new ArgumentException("The multiplication table must be |G|×|G|.");
        for (int a = 0; a < n; a++)
        {
            if (_table[0, a] != a || _table[a, 0] != a) throw new ArgumentException($"{Name}: element 0 is not the identity.");
            var row = new bool[n];
            int inv = -1;
            for (int b = 0; b < n; b++)
            {
                int p = _table[a, b];
                if ((uint)p >= (uint)n || row[p]) throw new ArgumentException($"{Name}: the multiplication table is not a group table (row {_names[a]}).");
                row[p] = true;
                if (p == 0) inv = b;
            }
            _inverse[a] = inv;
        }
    }

    private static string Key(PermutationAction a, PermutationAction? b)
        => string.Join(",", a.SourceArray) + (b is null ? "" : "|" + string.Join(",", b.SourceArray));

    /// <summary>Looks an action pair up among the elements: by hash for permutations, by comparison otherwise.</summary>
    private sealed class ElementFinder
    {
        private readonly GroupAction[] _in;
        private readonly GroupAction[]? _out;
        private readonly double _tol;
        private readonly Dictionary<string, List<int>>? _byKey;

        public ElementFinder(GroupAction[] input, GroupAction[]? output, double tol)
        {
            _in = input;
            _out = output;
            _tol = tol;
            if (input.All(a => a is PermutationAction) && (output is null || output.All(a => a is PermutationAction)))
            {
                _byKey = new Dictionary<string, List<int>>();
                for (int i = 0; i < input.Length; i++)
                {
                    string k = Key((PermutationAction)input[i], (PermutationAction?)output?[i]);
                    if (!_byKey.TryGetValue(k, out var l)) _byKey[k] = l = new List<int>();
                    l.Add(i);
                }
            }
        }

        public int Find(GroupAction input, GroupAction? output, int excluding)
        {
            if (_byKey is not null && input is PermutationAction pi && (output is null || output is PermutationAction))
            {
                if (!_byKey.TryGetValue(Key(pi, (PermutationAction?)output), out var l)) return -1;
                foreach (int i in l)
                {
                    if (i != excluding) return i;
                }
                return -1;
            }
            for (int i = 0; i < _in.Length; i++)
            {
                if (i == excluding) continue;
                if (_in[i].Distance(input) <= _tol && (_out is null || _out[i].Distance(output!) <= _tol)) return i;
            }
            return -1;
        }
    }
}
