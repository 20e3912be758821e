using NtkSharp.Cli;
using NtkSharp.IO;
using NtkSharp.Tests.Prediction;
using Xunit;

namespace NtkSharp.Tests.Cli;

/// <summary><c>ntksharp predict --solver</c>: the iterative route (memory-mapped train kernel) against the eigen
/// route, and its errors.</summary>
public sealed class PredictSolverCommandTests : IDisposable
{
    private static readonly PredictionTestData Data = new(nTrain: 40, nTest: 6, outputs: 2, seed: 41);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ntksharp-solver-" + Guid.NewGuid().ToString("N"));

    public PredictSolverCommandTests()
    {
        Directory.CreateDirectory(_dir);
        Npy.Write(P("dd.npy"), Data.Ntk);
        Npy.Write(P("td.npy"), Data.NtkTd);
        Npy.Write(P("nngp_dd.npy"), Data.Nngp);
        Npy.Write(P("nngp_td.npy"), Data.NngpTd);
        Npy.Write(P("nngp_tt.npy"), Data.NngpTt);
        Npy.Write(P("y.npy"), Data.Y);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(["predict", .. args], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string[] Base(string outDir) =>
        ["--ntk-train", P("dd.npy"), "--ntk-test", P("td.npy"), "--y-train", P("y.npy"), "--out", P(outDir), "--times", "1,100,inf"];

    [Fact]
    public void Predict_SolverIterative_MatchesSolverEigen()
    {
        var it = Run([.. Base("it"), "--solver", "iterative"]);
        Assert.True(it.Code == 0, it.Err);
        Assert.Contains("solver: iterative", it.Err);
        var ei = Run([.. Base("ei"), "--solver", "eigen"]);
        Assert.True(ei.Code == 0, ei.Err);
        Assert.Contains("solver: eigen", ei.Err);
        foreach (var f in new[] { "mean_test.npy", "mean_train.npy" })
        {
            var a = Npy.Read(Path.Combine(P("it"), f)).Data;
            var b = Npy.Read(Path.Combine(P("ei"), f)).Data;
            double num = 0, den = 0;
            for (int i = 0; i < a.Length; i++)
            {
                num += (a[i] - b[i]) * (a[i] - b[i]);
                den += b[i] * b[i];
            }
            Assert.True(Math.Sqrt(num / den) < 1e-8, $"{f}: relative difference {Math.Sqrt(num / den):G3}");
        }
    }

    [Fact]
    public void Predict_IterativeErrors_AreOneLineWithExitCodeTwo()
    {
        var cases = new (string[] Args, string Expect)[]
        {
            ([.. Base("a"), "--solver", "iterative", "--nngp-train", P("nngp_dd.npy"), "--nngp-test", P("nngp_td.npy"), "--nngp-test-test", P("nngp_tt.npy")], "covariance"),
            ([.. Base("b"), "--solver", "lanczos"], "--solver: 'lanczos'"),
            ([.. Base("c"), "--solver", "iterative", "--tolerance", "0"], "--tolerance"),
            ([.. Base("d"), "--solver", "iterative", "--max-krylov-dim", "2"], "did not converge"),
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
