using MathNet.Numerics.LinearAlgebra;

namespace NtkSharp.Finite.Ensembles;

/// <summary>
/// The test outputs of every member of a trained ensemble at every checkpoint, with the ensemble mean, the
/// across-member variance, training losses and member 0's empirical NTK before and after training; with
/// <see cref="EnsembleOptions.KeepParameters"/> also every member's parameters, so that the trained ensemble can be
/// evaluated on new inputs (<see cref="Evaluate(Tensor, CancellationToken)"/>).
/// </summary>
public sealed partial class EnsembleResult
{
    private readonly double[] _outputs;
    private readonly double[] _losses;

    internal EnsembleResult(int[] steps, int members, int testCount, int outputSize, double[] outputs, double[] losses,
        Matrix<double>? initialNtk, Matrix<double>? finalNtk, TimeSpan elapsed, FiniteNetwork network, double[]? parameters)
    {
        Network = network;
        _parameters = parameters;
        Steps = steps;
        Members = members;
        TestCount = testCount;
        OutputSize = outputSize;
        _outputs = outputs;
        _losses = losses;
        InitialNtk = initialNtk;
        FinalNtk = finalNtk;
        Elapsed = elapsed;
    }

    /// <summary>The checkpoint steps, ascending.</summary>
    public IReadOnlyList<int> Steps { get; }

    /// <summary>Number of members M.</summary>
    public int Members { get; }

    /// <summary>Number of test inputs.</summary>
    public int TestCount { get; }

    /// <summary>Output values per example K.</summary>
    public int OutputSize { get; }

    /// <summary>Member 0's empirical NTK Θ̂(X, X) on the training inputs at initialisation (null unless recorded).</summary>
    public Matrix<double>? InitialNtk { get; }

    /// <summary>Member 0's empirical NTK Θ̂(X, X) after the last step (null unless recorded).</summary>
    public Matrix<double>? FinalNtk { get; }

    /// <summary>Wall time of the training.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>All members' test outputs, flat in C order with shape (checkpoints, members, test inputs, K).</summary>
    public ReadOnlySpan<double> MemberOutputs => _outputs;

    /// <summary>Member <paramref name="member"/>'s test outputs (Ntest × K) at checkpoint index <paramref name="checkpoint"/>.</summary>
    public Matrix<double> MemberOutput(int checkpoint, int member)
    {
        CheckIndex(checkpoint, member);
        int block = TestCount * OutputSize;
        long off = ((long)checkpoint * Members + member) * block;
        return Matrix<double>.Build.Dense(TestCount, OutputSize, (i, k) => _outputs[off + i * OutputSize + k]);
    }

    /// <summary>The ensemble mean (1/M)·Σ_m f_m(x_test) at checkpoint index <paramref name="checkpoint"/>.</summary>
    public Matrix<double> Mean(int checkpoint) => Moments(checkpoint).Mean;

    /// <summary>The unbiased across-member variance (1/(M−1))·Σ_m (f_m − mean)² (zeros when M = 1).</summary>
    public Matrix<double> Variance(int checkpoint) => Moments(checkpoint).Variance;

    /// <summary>The Monte Carlo standard error of the mean, √(variance / M).</summary>
    public Matrix<double> StandardError(int checkpoint) => Variance(checkpoint).Divide(Members).PointwiseSqrt();

    /// <summary>The ensemble means at all checkpoints, flat in C order with shape (checkpoints, test inputs, K).</summary>
    public double[] MeanOutputs()
    {
        int block = TestCount * OutputSize;
        var r = new double[Steps.Count * block];
        for (int s = 0; s < Steps.Count; s++)
        {
            var m = Mean(s);
            for (int i = 0; i < TestCount; i++)
            {
                for (int k = 0; k < OutputSize; k++) r[s * block + i * OutputSize + k] = m[i, k];
            }
        }
        return r;
    }

    /// <summary>The full-batch training loss ½·mean((f − y)²), averaged over members, at checkpoint index <paramref name="checkpoint"/>.</summary>
    public double MeanTrainingLoss(int checkpoint)
    {
        CheckIndex(checkpoint, 0);
        double s = 0;
        for (int m = 0; m < Members; m++) s += _losses[checkpoint * Members + m];
        return s / Members;
    }

    private (Matrix<double> Mean, Matrix<double> Variance) Moments(int checkpoint)
    {
        CheckIndex(checkpoint, 0);
        var mean = Matrix<double>.Build.Dense(TestCount, OutputSize);
        var m2 = Matrix<double>.Build.Dense(TestCount, OutputSize);
        for (int m = 0; m < Members; m++)
        {
            var f = MemberOutput(checkpoint, m);
            var delta = f - mean;
            mean += delta / (m + 1);
            m2 += delta.PointwiseMultiply(f - mean);
        }
        var variance = Members > 1 ? m2 / (Members - 1) : Matrix<double>.Build.Dense(TestCount, OutputSize);
        return (mean, variance);
    }

    private void CheckIndex(int checkpoint, int member)
    {
        if (checkpoint < 0 || checkpoint >= Steps.Count)
            throw new ArgumentOutOfRangeException(nameof(checkpoint), checkpoint, $"Checkpoint index must be in [0, {Steps.Count}).");
        if (member < 0 || member >= Members)
            throw new ArgumentOutOfRangeException(nameof(member), member, $"Member must be in [0, {Members}).");
    }
}
