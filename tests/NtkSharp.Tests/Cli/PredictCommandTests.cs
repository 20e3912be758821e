using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Cli;
using NtkSharp.IO;
using NtkSharp.Prediction;
using NtkSharp.Tests.Prediction;
using Xunit;

namespace NtkSharp.Tests.Cli;

public sealed class PredictCommandTests : IDisposable
{
    private static readonly PredictionTestData Data = new(nTrain: 12, nTest: 5, outputs: 2, seed: 3);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ntksharp-predict-" + Guid.NewGuid().ToString("N"));

    public PredictCommandTests()
    {
        Directory.CreateDirectory(_dir);
        Npy.Write(P("ntk_dd.npy"), Data.Ntk);
        Npy.Write(P("ntk_td.npy"), Data.NtkTd);
        Npy.Write(P("nngp_dd.npy"), Data.Nngp);
        Npy.Write(P("nngp_td.npy"), Data.NngpTd);
        Npy.Write(P("nngp_tt.npy"), Data.NngpTt);
        Npy.Write(P("y.npy"), Data.Y);
        Npy.Write(P("y1.npy"), Data.Y.Column(0));
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(["predict", .. args], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string[] Base(string y = "y.npy") =>
        ["--ntk-train", P("ntk_dd.npy"), "--ntk-test", P("ntk_td.npy"), "--y-train", P(y), "--out", P("out")];

    [Fact]
    public void Predict_TimesWithNngp_WritesMeansAndCovarianceMatchingLibrary()
    {
        var r = Run([.. Base(), "--times", "0,0.5,10,inf", "--learning-rate", "2", "--diag-reg", "1e-3",
            "--nngp-train", P("nngp_dd.npy"), "--nngp-test", P("nngp_td.npy"), "--nngp-test-test", P("nngp_tt.npy")]);
        Assert.True(r.Code == 0, r.Err);
        var options = new GradientDescentOptions { LearningRate = 2, DiagonalRegularization = 1e-3 };
        var mse = new GradientDescentMse(Data.Ntk, Data.Y, options);
        var ens = new GradientDescentMseEnsemble(Data.Nngp, Data.Ntk, Data.Y, options);
        double[] times = [0, 0.5, 10, double.PositiveInfinity];
        var train = Npy.Read(P("out/mean_train.npy"));
        var test = Npy.Read(P("out/mean_test.npy"));
        var cov = Npy.Read(P("out/cov_test.npy"));
        Assert.Equal([4, Data.N, 2], train.Shape);
        Assert.Equal([4, Data.M, 2], test.Shape);
        Assert.Equal([4, Data.M, Data.M], cov.Shape);
        for (int t = 0; t < times.Length; t++)
        {
            var trainT = mse.TrainMean(times[t]);
            var testT = mse.TestMean(times[t], Data.NtkTd);
            var covT = ens.Predict(EnsembleKernel.Ntk, times[t], Data.NngpTd, Data.NtkTd, Data.NngpTt).Covariance!;
            for (int i = 0; i < Data.N; i++)
                for (int k = 0; k < 2; k++) Assert.Equal(trainT[i, k], train.Data[(t * Data.N + i) * 2 + k], 12);
            for (int i = 0; i < Data.M; i++)
            {
                for (int k = 0; k < 2; k++) Assert.Equal(testT[i, k], test.Data[(t * Data.M + i) * 2 + k], 12);
                for (int j = 0; j < Data.M; j++) Assert.Equal(covT[i, j], cov.Data[(t * Data.M + i) * Data.M + j], 12);
            }
        }
    }

    [Fact]
    public void Predict_StepsWithVectorTargets_WritesDiscreteMeansWithoutOutputAxis()
    {
        var mse = new GradientDescentMse(Data.Ntk, Data.Y.Column(0));
        double eta = 0.5 * mse.MaxLearningRate;
        var r = Run([.. Base("y1.npy"), "--steps", "0,3,40", "--learning-rate", eta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(r.Code == 0, r.Err);
        var test = Npy.Read(P("out/mean_test.npy"));
        Assert.Equal([3, Data.M], test.Shape);
        Assert.False(File.Exists(P("out/cov_test.npy")));
        var expected = new GradientDescentMse(Data.Ntk, Data.Y.Column(0), new GradientDescentOptions { LearningRate = eta })
            .TestMeansAfterSteps([0, 3, 40], Data.NtkTd);
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < Data.M; i++) Assert.Equal(expected[s][i, 0], test.Data[s * Data.M + i], 12);
    }

    [Fact]
    public void Predict_BadInputs_FailWithOneLineErrors()
    {
        var asym = Data.Ntk.Clone();
        asym[0, 1] += 1;
        Npy.Write(P("asym.npy"), asym);
        Npy.Write(P("rect.npy"), Data.NtkTd);
        Npy.Write(P("short_y.npy"), Data.Y.SubMatrix(0, 3, 0, 2));
        var cases = new (string[] Args, string Expect)[]
        {
            ([.. Base(), "--times", "1,-2"], "negative"),
            ([.. Base(), "--times", "1", "--steps", "2"], "exactly one"),
            (["--ntk-train", P("asym.npy"), "--ntk-test", P("ntk_td.npy"), "--y-train", P("y.npy"), "--out", P("o"), "--times", "1"], "not symmetric"),
            (["--ntk-train", P("rect.npy"), "--ntk-test", P("ntk_td.npy"), "--y-train", P("y.npy"), "--out", P("o"), "--times", "1"], "square"),
            (["--ntk-train", P("ntk_dd.npy"), "--ntk-test", P("ntk_dd.npy").Replace("ntk_dd", "nngp_tt"), "--y-train", P("y.npy"), "--out", P("o"), "--times", "1"], "columns"),
            (["--ntk-train", P("ntk_dd.npy"), "--ntk-test", P("ntk_td.npy"), "--y-train", P("short_y.npy"), "--out", P("o"), "--times", "1"], "rows"),
            ([.. Base(), "--steps", "5", "--learning-rate", "1e9"], "exceeds"),
            ([.. Base(), "--times", "1", "--nngp-train", P("nngp_dd.npy")], "go together"),
            ([.. Base(), "--times", "1", "--device", "ilgpu-cpu"], "ilgpu-cpu has no linear algebra"),
            ([.. Base(), "--times", "1", "--device", "cuda:99"], "--device: cuda:99:"),
            ([.. Base(), "--times", "1", "--device", "fpga"], "unknown device 'fpga'"),
        };
        foreach (var (args, expect) in cases)
        {
            var r = Run(args);
            Assert.Equal(2, r.Code);
            Assert.Contains(expect, r.Err);
            Assert.Single(r.Err.TrimEnd().Split('\n'));
        }
    }
}
