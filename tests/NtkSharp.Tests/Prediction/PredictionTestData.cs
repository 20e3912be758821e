using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Tests.Prediction;

/// <summary>NNGP/NTK kernels of a one-hidden-layer ReLU network with bias on fixed random inputs.</summary>
internal sealed class PredictionTestData
{
    public PredictionTestData(int nTrain = 20, int nTest = 6, int outputs = 2, int d = 4, int seed = 11)
    {
        var rng = new Random(seed);
        XTrain = Random(nTrain, d, rng);
        XTest = Random(nTest, d, rng);
        Y = Matrix<double>.Build.Dense(nTrain, outputs, (_, _) => 2 * rng.NextDouble() - 1);
        F0Train = Matrix<double>.Build.Dense(nTrain, outputs, (_, _) => 0.3 * (2 * rng.NextDouble() - 1));
        F0Test = Matrix<double>.Build.Dense(nTest, outputs, (_, _) => 0.3 * (2 * rng.NextDouble() - 1));
        Network = Stax.Serial(Stax.Dense(512, 1.5, 0.2), Stax.Relu(), Stax.Dense(1, 1.5, 0.2));
        var kf = new KernelFunction(Network);
        TrainTrain = kf.Compute(XTrain);
        TestTrain = kf.Compute(XTest, XTrain);
        TestTest = kf.Compute(XTest);
    }

    public Layer Network { get; }
    public Tensor XTrain { get; }
    public Tensor XTest { get; }
    public Matrix<double> Y { get; }
    public Matrix<double> F0Train { get; }
    public Matrix<double> F0Test { get; }
    public KernelResult TrainTrain { get; }
    public KernelResult TestTrain { get; }
    public KernelResult TestTest { get; }
    public Matrix<double> Ntk => TrainTrain.Ntk!;
    public Matrix<double> Nngp => TrainTrain.Nngp!;
    public Matrix<double> NtkTd => TestTrain.Ntk!;
    public Matrix<double> NngpTd => TestTrain.Nngp!;
    public Matrix<double> NngpTt => TestTest.Nngp!;
    public int N => Y.RowCount;
    public int M => XTest.Count;
    public int Size => Y.RowCount * Y.ColumnCount;

    private static Tensor Random(int n, int d, Random rng)
    {
        var data = new double[n * d];
        for (int i = 0; i < data.Length; i++) data[i] = 2 * rng.NextDouble() - 1;
        return new Tensor(data, n, d);
    }

    public static double RelErr(Matrix<double> actual, Matrix<double> expected) =>
        (actual - expected).FrobeniusNorm() / Math.Max(expected.FrobeniusNorm(), 1e-300);
}
