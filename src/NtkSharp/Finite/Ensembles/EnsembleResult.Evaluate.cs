using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Finite.Ensembles;

/// <summary>Evaluation of the trained members on new inputs.</summary>
public sealed partial class EnsembleResult
{
    /// <summary>Inputs per forward pass when evaluating, which bounds the workspace of each worker.</summary>
    private const int EvaluationChunk = 256;

    /// <summary>Every member's parameters at every checkpoint, flat (checkpoints, members, P); null unless kept.</summary>
    private readonly double[]? _parameters;

    /// <summary>The finite network the members are instances of (its declared widths, the training inputs' example shape).</summary>
    public FiniteNetwork Network { get; }

    /// <summary>Whether every member's parameters were kept at every checkpoint
    /// (<see cref="EnsembleOptions.KeepParameters"/>), so that the ensemble can be evaluated on new inputs.</summary>
    public bool HasParameters => _parameters is not null;

    /// <summary>Member <paramref name="member"/>'s parameters θ_m after <c>Steps[checkpoint]</c> steps (a copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index out of range.</exception>
    /// <exception cref="InvalidOperationException">The parameters were not kept (<see cref="EnsembleOptions.KeepParameters"/> = false).</exception>
    public Parameters MemberParameters(int checkpoint, int member)
    {
        CheckIndex(checkpoint, member);
        var all = KeptParameters();
        int p = Network.ParameterCount;
        return new Parameters(all.AsSpan((int)(((long)checkpoint * Members + member) * p), p).ToArray());
    }

    /// <summary>
    /// The trained ensemble on new inputs <paramref name="x"/>: every member f_m(x; θ_m(k)) at every checkpoint k, so
    /// that <see cref="MemberOutput"/>, <see cref="Mean(int)"/>, <see cref="Variance"/>, <see cref="StandardError"/> and
    /// <see cref="MemberOutputs"/> of the returned result refer to <paramref name="x"/>. Steps, members, training losses,
    /// NTKs and the training time are those of this result; exactly the outputs that training recorded when
    /// <paramref name="x"/> is the test set.
    /// </summary>
    /// <param name="x">Inputs with the training inputs' example shape.</param>
    /// <param name="cancellationToken">Stops the evaluation between members.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong example shape or a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The parameters were not kept (<see cref="EnsembleOptions.KeepParameters"/> = false).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public EnsembleResult Evaluate(Tensor x, CancellationToken cancellationToken = default)
        => Evaluate(x, Enumerable.Range(0, Steps.Count).ToArray(), nameof(x), cancellationToken);

    /// <summary>The ensemble mean (1/M)·Σ_m f_m(x; θ_m(k)) after <c>Steps[checkpoint]</c> steps on <paramref name="x"/> (N × K).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong example shape or a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="checkpoint"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The parameters were not kept.</exception>
    public Matrix<double> Mean(Tensor x, int checkpoint)
    {
        CheckIndex(checkpoint, 0);
        return Evaluate(x, [checkpoint], nameof(x), default).Mean(0);
    }

    /// <summary>The ensemble mean after <c>Steps[checkpoint]</c> steps as a predictor, for
    /// <see cref="Symmetry.Equivariance.Measure(Func{Tensor, Matrix{double}}, Symmetry.SymmetryGroup, Tensor)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="checkpoint"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The parameters were not kept.</exception>
    public Func<Tensor, Matrix<double>> MeanPredictor(int checkpoint)
    {
        CheckIndex(checkpoint, 0);
        KeptParameters();
        return x => Evaluate(x, [checkpoint], "x", default).Mean(0);
    }

    /// <summary>Member <paramref name="member"/> after <c>Steps[checkpoint]</c> steps as a predictor (one finite network).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index out of range.</exception>
    /// <exception cref="InvalidOperationException">The parameters were not kept.</exception>
    public Func<Tensor, Matrix<double>> MemberPredictor(int checkpoint, int member)
    {
        var theta = MemberParameters(checkpoint, member);
        return x => Network.Apply(theta, x);
    }

    /// <summary>The ensemble means at every checkpoint as a predictor over times (one N × K matrix per step, in
    /// <see cref="Steps"/> order), for <see cref="Symmetry.Equivariance.Measure(Func{Tensor, IReadOnlyList{Matrix{double}}}, IReadOnlyList{double}, Symmetry.SymmetryGroup, Tensor)"/>
    /// with the steps as times.</summary>
    /// <exception cref="InvalidOperationException">The parameters were not kept.</exception>
    public Func<Tensor, IReadOnlyList<Matrix<double>>> AtCheckpoints()
    {
        KeptParameters();
        return x =>
        {
            var r = Evaluate(x, Enumerable.Range(0, Steps.Count).ToArray(), "x", default);
            return Enumerable.Range(0, Steps.Count).Select(r.Mean).ToArray();
        };
    }

    private EnsembleResult Evaluate(Tensor x, int[] checkpoints, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        var all = KeptParameters();
        if (!x.ExampleShape.SequenceEqual(Network.InputShape))
            throw new ArgumentException($"{name} examples have shape ({string.Join(", ", x.ExampleShape)}) but the ensemble was trained on examples of shape ({string.Join(", ", Network.InputShape)}).", name);
        x.EnsureFinite(name);
        int n = x.Count, k = OutputSize, p = Network.ParameterCount, inSize = Network.Graph.InputSize, block = n * k;
        int chunk = Math.Min(Math.Max(n, 1), EvaluationChunk);
        var outputs = new double[checked((long)checkpoints.Length * Members * block)];
        var po = new ParallelOptions { CancellationToken = ct };
        Parallel.For(0, checkpoints.Length * Members, po,
            () => new FiniteWorkspace(Network.Graph, chunk),
            (job, _, ws) =>
            {
                int c = job / Members, m = job % Members;
                var theta = all.AsSpan((int)(((long)checkpoints[c] * Members + m) * p), p);
                var target = outputs.AsSpan((int)((long)job * block), block);
                for (int start = 0; start < n; start += chunk)
                {
                    int rows = Math.Min(chunk, n - start);
                    Network.Forward(theta, ws, x.Data.AsSpan(start * inSize, rows * inSize), rows).CopyTo(target.Slice(start * k, rows * k));
                }
                return ws;
            },
            _ => { });
        var losses = new double[checkpoints.Length * Members];
        var steps = new int[checkpoints.Length];
        for (int c = 0; c < checkpoints.Length; c++)
        {
            steps[c] = Steps[checkpoints[c]];
            _losses.AsSpan(checkpoints[c] * Members, Members).CopyTo(losses.AsSpan(c * Members, Members));
        }
        // The parameter layout matches the result only when it holds every checkpoint.
        return new EnsembleResult(steps, Members, n, k, outputs, losses, InitialNtk, FinalNtk, Elapsed, Network,
            checkpoints.Length == Steps.Count ? all : null);
    }

    private double[] KeptParameters() => _parameters ?? throw new InvalidOperationException(
        "The members' parameters were not kept (EnsembleOptions.KeepParameters = false), so the ensemble cannot be evaluated on new inputs; train with KeepParameters = true.");
}
