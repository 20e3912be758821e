using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Layers;
using NtkSharp.Symmetry;

/// <summary>
/// The paper's toy example: inputs on the unit circle in ℝ², a target invariant under the rotations C_k, a few training
/// angles in one sector, augmented over C_k. The test sets: the training points, the whole circle, off-manifold noise
/// (Gaussian points in the plane) and out-of-distribution points far from the circle (radius 3).
/// </summary>
internal sealed class ToyProblem
{
    public ToyProblem(int k)
    {
        K = k;
        Group = Groups.Cn(k, [2]);
        double[] angles = [0.15, 0.55, 0.95];
        TrainAngles = angles.Select(a => a * 2 * Math.PI / k).ToArray();
        XTrain = Circle(TrainAngles, 1.0);
        YTrain = Matrix<double>.Build.Dense(TrainAngles.Length, 1, (i, _) => Target(TrainAngles[i]));
        Augmented = Augmentation.Augment(XTrain, YTrain, Group);
        PlotAngles = Enumerable.Range(0, 721).Select(i => i * 2 * Math.PI / 720).ToArray();
        var rng = new Random(7);
        OnCircle = Circle(Enumerable.Range(0, 20).Select(_ => rng.NextDouble() * 2 * Math.PI).ToArray(), 1.0);
        OffManifold = new Tensor(Enumerable.Range(0, 40).Select(_ => Normal(rng)).ToArray(), 20, 2);
        OutOfDistribution = Circle(Enumerable.Range(0, 20).Select(_ => rng.NextDouble() * 2 * Math.PI).ToArray(), 3.0);
    }

    public int K { get; }

    public SymmetryGroup Group { get; }

    public double[] TrainAngles { get; }

    public Tensor XTrain { get; }

    public Matrix<double> YTrain { get; }

    public LabelledData Augmented { get; }

    public double[] PlotAngles { get; }

    public Tensor OnCircle { get; }

    public Tensor OffManifold { get; }

    public Tensor OutOfDistribution { get; }

    /// <summary>A 2-hidden-layer ReLU MLP in the NTK parameterisation (width used by the finite ensembles).</summary>
    public static Layer Mlp(int width) => Stax.Serial(
        Stax.Dense(width, wStd: 1.5, bStd: 0.2), Stax.Relu(),
        Stax.Dense(width, wStd: 1.5, bStd: 0.2), Stax.Relu(),
        Stax.Dense(1, wStd: 1.5, bStd: 0.2));

    /// <summary>The C_k-invariant ground truth on the circle.</summary>
    public double Target(double phi) => 2 + Math.Cos(K * phi) + 0.4 * Math.Sin(2 * K * phi);

    public static Tensor Circle(IReadOnlyList<double> angles, double radius)
        => new(angles.SelectMany(a => new[] { radius * Math.Cos(a), radius * Math.Sin(a) }).ToArray(), angles.Count, 2);

    private static double Normal(Random rng)
        => 1.2 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
