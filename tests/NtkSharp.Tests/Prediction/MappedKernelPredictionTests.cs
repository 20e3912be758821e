using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.IO;
using NtkSharp.Prediction;
using Xunit;
using static NtkSharp.Tests.Prediction.PredictionTestData;

namespace NtkSharp.Tests.Prediction;

/// <summary>Memory-mapped train kernels (float64 and float32 storage) against the in-memory eigen route.</summary>
public sealed class MappedKernelPredictionTests : IDisposable
{
    private static readonly PredictionTestData Data = new(nTrain: 70, nTest: 9, outputs: 3, seed: 31);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ntksharp-mapped-" + Guid.NewGuid().ToString("N"));

    public MappedKernelPredictionTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A C-order '&lt;f4' .npy file written byte by byte (NEP 1 version 1.0, header padded to 64).</summary>
    private static void WriteFloat32(string path, Matrix<double> a)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({a.RowCount}, {a.ColumnCount}), }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        using var f = new BinaryWriter(File.Create(path));
        f.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        f.Write((ushort)header.Length);
        f.Write(Encoding.ASCII.GetBytes(header));
        for (int i = 0; i < a.RowCount; i++)
            for (int j = 0; j < a.ColumnCount; j++) f.Write((float)a[i, j]);
    }

    [Fact]
    public void MappedFloat64_MatchesInMemoryEigenRoute()
    {
        string path = Path.Combine(_dir, "k8.npy");
        Npy.Write(path, Data.Ntk);
        double[] times = [0.5, 50, double.PositiveInfinity];
        var opts = new GradientDescentOptions { DiagonalRegularization = 1e-3 };
        using var mapped = MappedNpyMatrix.Open(path);
        Assert.False(mapped.IsFloat32);
        var p = new GradientDescentMse(mapped, Data.Y, opts);
        Assert.Equal(PredictionSolver.Iterative, p.Solver);
        var r = p.PredictMeans(times, Data.NtkTd);
        var e = new GradientDescentMse(Data.Ntk, Data.Y, opts with { Solver = PredictionSolver.Eigen }) { ForceEigenRoute = true }.PredictMeans(times, Data.NtkTd);
        for (int i = 0; i < times.Length; i++)
        {
            Assert.True(RelErr(r.Test[i], e.Test[i]) < 1e-8, $"test[{i}] {RelErr(r.Test[i], e.Test[i]):G3}");
            Assert.True(RelErr(r.Train[i], e.Train[i]) < 1e-8, $"train[{i}] {RelErr(r.Train[i], e.Train[i]):G3}");
        }
    }

    [Fact]
    public void MappedFloat32_MatchesEigenRouteOnTheRoundedKernel()
    {
        string path = Path.Combine(_dir, "k4.npy");
        WriteFloat32(path, Data.Ntk);
        var rounded = Data.Ntk.Map(v => (double)(float)v);
        double[] times = [1, 100, double.PositiveInfinity];
        using var mapped = MappedNpyMatrix.Open(path);
        Assert.True(mapped.IsFloat32);
        Assert.Equal((double)(float)Data.Ntk[3, 5], mapped[3, 5]);
        var r = new GradientDescentMse(mapped, Data.Y).PredictMeans(times, Data.NtkTd);
        var e = new GradientDescentMse(rounded, Data.Y, new GradientDescentOptions { Solver = PredictionSolver.Eigen }) { ForceEigenRoute = true }.PredictMeans(times, Data.NtkTd);
        for (int i = 0; i < times.Length; i++)
            Assert.True(RelErr(r.Test[i], e.Test[i]) < 1e-8, $"test[{i}] {RelErr(r.Test[i], e.Test[i]):G3}");
    }

    [Fact]
    public void Mapped_AsymmetricOrEigenSolver_ThrowsNamingTheArgument()
    {
        var asym = Data.Ntk.Clone();
        asym[2, 7] += 0.5;
        string path = Path.Combine(_dir, "asym.npy");
        Npy.Write(path, asym);
        using var m = MappedNpyMatrix.Open(path);
        var e = Assert.Throws<ArgumentException>(() => new GradientDescentMse(m, Data.Y));
        Assert.Equal("ntkTrainTrain", e.ParamName);
        Assert.Contains("not symmetric", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => new GradientDescentMse(m, Data.Y, new GradientDescentOptions { Solver = PredictionSolver.Eigen }));
        Assert.Equal("options", e2.ParamName);
    }
}
