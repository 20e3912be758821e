using NtkSharp.Compute;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.IO;
using NtkSharp.Prediction;

namespace NtkSharp.Cli.Commands;

/// <summary><c>ntksharp predict</c>: closed-form gradient-descent means (and the NTK-ensemble covariance) from
/// kernel matrices stored as .npy files.</summary>
internal sealed class PredictCommand : ICliCommand
{
    public string Name => "predict";

    public string Summary => "closed-form outputs of infinitely wide networks trained by gradient descent (MSE), from kernel .npy files";

    public string Help => $"""
        Usage: ntksharp predict --ntk-train NTK_DD.npy --ntk-test NTK_TD.npy --y-train Y.npy
                                (--times 0,0.5,10,inf | --steps 1,10,100) --out DIR
                                [--learning-rate ETA] [--diag-reg R] [--diag-reg-absolute]
                                [--nngp-train K_DD.npy --nngp-test K_TD.npy --nngp-test-test K_TT.npy]
                                [--device cpu|cuda|cuda:N]

        Evaluates mu_t(x) = f0 + Theta(x,X) Theta^-1 (I - exp(-ETA Theta t / n)) Y with f0 = 0 and
        n = Y.size (N*K), exactly as neural-tangents' predict.gradient_descent_mse; t = inf is kernel regression.

          --ntk-train PATH       Theta(X, X), N x N, symmetric
          --ntk-test PATH        Theta(x, X), M x N (test rows, train columns)
          --y-train PATH         targets, shape (N) or (N, K)
          --times LIST           comma-separated times >= 0; 'inf' for the converged network
          --steps LIST           comma-separated step counts: the exact mean after k full-batch gradient-descent
                                 steps of the linearised network, (I - ETA Theta / n)^k in place of the exponential
                                 (ETA must not exceed 2n / lambda_max)
          --learning-rate ETA    learning rate (default 1)
          --diag-reg R           add R * mean(diag Theta) to the train kernel's diagonal (neural-tangents' diag_reg)
          --diag-reg-absolute    add R itself instead
          --nngp-train PATH      K(X, X), N x N: with the next two, also the NTK-ensemble covariance
          --nngp-test PATH       K(x, X), M x N
          --nngp-test-test PATH  K(x, x), M x M
          --device D             cpu (default: native LAPACK/BLAS) or cuda / cuda:N: the eigendecompositions,
                                 Cholesky solves and products on that NVIDIA GPU (cuSOLVER, cuBLAS)
          --out DIR              output folder (created)

        Writes DIR/mean_train.npy (T x N x K), DIR/mean_test.npy (T x M x K) and, with the NNGP matrices,
        DIR/cov_test.npy (T x M x M): the covariance over test points of the infinite NTK-trained ensemble
        (Lee et al. 2019, eq. 16), shared by the K outputs. T is the number of times (or step counts), in the order
        given. When Y has shape (N) the K axis is dropped.

        {CliInputs.ExitCodesHelp}
        """;

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string ntkTrainPath = args.Required("ntk-train"), ntkTestPath = args.Required("ntk-test"), yPath = args.Required("y-train");
        string outDir = args.Required("out");
        var times = args.OptionalDoubleList("times");
        var steps = args.OptionalIntList("steps");
        double eta = args.OptionalDouble("learning-rate") ?? 1.0;
        double reg = args.OptionalDouble("diag-reg") ?? 0.0;
        bool regAbsolute = args.Flag("diag-reg-absolute");
        string? nngpTrainPath = args.Optional("nngp-train"), nngpTestPath = args.Optional("nngp-test"), nngpTtPath = args.Optional("nngp-test-test");
        string deviceText = args.Optional("device") ?? "cpu";
        var openDevice = CliInputs.Device(args);
        args.EnsureAllUsed();
        if (deviceText.Trim().Equals("ilgpu-cpu", StringComparison.OrdinalIgnoreCase))
            throw new CliException("--device: ilgpu-cpu has no linear algebra; choose cpu, cuda or cuda:N");

        if ((times is null) == (steps is null)) throw new CliException("give exactly one of --times and --steps");
        if (times is not null)
        {
            foreach (var t in times.Where(t => t < 0)) throw new CliException($"--times: {t.ToString(CultureInfo.InvariantCulture)} is negative; times must be >= 0");
        }
        if (!(eta > 0) || double.IsInfinity(eta)) throw new CliException($"--learning-rate must be positive and finite (got {eta.ToString(CultureInfo.InvariantCulture)})");
        if (!(reg >= 0) || double.IsInfinity(reg)) throw new CliException($"--diag-reg must be non-negative and finite (got {reg.ToString(CultureInfo.InvariantCulture)})");
        int nngpGiven = new[] { nngpTrainPath, nngpTestPath, nngpTtPath }.Count(p => p is not null);
        if (nngpGiven is not (0 or 3)) throw new CliException("--nngp-train, --nngp-test and --nngp-test-test go together (all three or none)");

        var ntkTrain = ReadMatrix(ntkTrainPath, "ntk-train");
        int n = ntkTrain.RowCount;
        CheckSymmetric(ntkTrain, "ntk-train");
        var ntkTest = ReadMatrix(ntkTestPath, "ntk-test");
        if (ntkTest.ColumnCount != n)
            throw new CliException($"--ntk-test has {ntkTest.ColumnCount} columns but --ntk-train is {n} x {n} (expected M x {n})");
        int m = ntkTest.RowCount;
        var yArray = CliInputs.ReadArray(yPath, "y-train", "targets");
        if (yArray.Rank is not (1 or 2)) throw new CliException($"--y-train must have shape (N) or (N, K); {yPath} has shape {yArray.ShapeText}");
        if (yArray.Shape[0] != n) throw new CliException($"--y-train has {yArray.Shape[0]} rows but --ntk-train is {n} x {n}");
        int k = yArray.Rank == 1 ? 1 : yArray.Shape[1];
        if (k == 0) throw new CliException("--y-train has no output columns");
        var y = Matrix<double>.Build.DenseOfRowMajor(n, k, yArray.Data);

        Matrix<double>? nngpTrain = null, nngpTest = null, nngpTt = null;
        if (nngpGiven == 3)
        {
            nngpTrain = ReadMatrix(nngpTrainPath!, "nngp-train");
            if (nngpTrain.RowCount != n) throw new CliException($"--nngp-train is {nngpTrain.RowCount} x {nngpTrain.ColumnCount} but --ntk-train is {n} x {n}");
            CheckSymmetric(nngpTrain, "nngp-train");
            nngpTest = ReadMatrix(nngpTestPath!, "nngp-test");
            if (nngpTest.RowCount != m || nngpTest.ColumnCount != n)
                throw new CliException($"--nngp-test is {nngpTest.RowCount} x {nngpTest.ColumnCount} but must be {m} x {n} like --ntk-test");
            nngpTt = ReadMatrix(nngpTtPath!, "nngp-test-test");
            if (nngpTt.RowCount != m) throw new CliException($"--nngp-test-test is {nngpTt.RowCount} x {nngpTt.ColumnCount} but must be {m} x {m}");
            CheckSymmetric(nngpTt, "nngp-test-test");
        }

        string[] files = nngpTrain is null ? ["mean_train.npy", "mean_test.npy"] : ["mean_train.npy", "mean_test.npy", "cov_test.npy"];
        using var output = AtomicOutputs.Create(outDir, "--out", cancellationToken, files);
        using var device = openDevice();
        using var linearAlgebra = device.Backend == ComputeBackend.Cuda ? device.UseForLinearAlgebra() : null;
        var options = new GradientDescentOptions { LearningRate = eta, DiagonalRegularization = reg, RegularizationIsAbsolute = regAbsolute };
        (string, string)[] names = [("ntkTrainTrain", "--ntk-train"), ("ntkTestTrain", "--ntk-test"), ("yTrain", "--y-train"),
            ("nngpTrainTrain", "--nngp-train"), ("nngpTestTrain", "--nngp-test"), ("nngpTestTest", "--nngp-test-test"),
            ("times", "--times"), ("steps", "--steps"), ("LearningRate", "--learning-rate"), ("DiagonalRegularization", "--diag-reg"),
            ("a diagonal regularisation", "a diagonal regularisation (--diag-reg)")];
        var mse = CliErrors.Library(() => new GradientDescentMse(ntkTrain, y, options), names);
        if (steps is not null && steps.Any(s => s > 0) && eta > mse.MaxLearningRate * (1 + 1e-12))
            throw new CliException($"--learning-rate {eta.ToString(CultureInfo.InvariantCulture)} exceeds the largest stable rate 2n/lambda_max = {mse.MaxLearningRate.ToString("G6", CultureInfo.InvariantCulture)}: discrete gradient descent diverges");

        IReadOnlyList<Matrix<double>> train, test;
        IReadOnlyList<GaussianPrediction>? ensemble = null;
        cancellationToken.ThrowIfCancellationRequested();
        train = CliErrors.Library(() => steps is not null ? mse.TrainMeansAfterSteps(steps) : mse.TrainMeans(times!), names);
        cancellationToken.ThrowIfCancellationRequested();
        test = CliErrors.Library(() => steps is not null ? mse.TestMeansAfterSteps(steps, ntkTest) : mse.TestMeans(times!, ntkTest), names);
        cancellationToken.ThrowIfCancellationRequested();
        if (nngpTrain is not null)
        {
            var ens = CliErrors.Library(() => new GradientDescentMseEnsemble(nngpTrain, ntkTrain, y, options), names);
            cancellationToken.ThrowIfCancellationRequested();
            ensemble = CliErrors.Library(() => steps is not null
                ? ens.PredictAfterSteps(EnsembleKernel.Ntk, steps, nngpTest!, ntkTest, nngpTt, cancellationToken)
                : ens.Predict(EnsembleKernel.Ntk, times!, nngpTest!, ntkTest, nngpTt, cancellationToken), names);
        }
        CheckFinite(train, "mean_train", times, steps, ntkTrain, ntkTest, yArray.Data);
        CheckFinite(test, "mean_test", times, steps, ntkTrain, ntkTest, yArray.Data);
        if (ensemble is not null) CheckFinite([.. ensemble.Select(e => e.Covariance!)], "cov_test", times, steps, ntkTrain, ntkTest, yArray.Data);

        bool vectorY = yArray.Rank == 1;
        output.Write("mean_train.npy", path => WriteStack(path, train, vectorY));
        output.Write("mean_test.npy", path => WriteStack(path, test, vectorY));
        if (ensemble is not null) output.Write("cov_test.npy", path => WriteStack(path, ensemble.Select(e => e.Covariance!).ToList(), false));
        output.Commit();
        int count = train.Count;
        stdout.WriteLine($"wrote {Path.Combine(outDir, "mean_train.npy")} ({Shape(count, n, k, vectorY)}), {Path.Combine(outDir, "mean_test.npy")} ({Shape(count, m, k, vectorY)})" +
                         (ensemble is null ? "" : $", {Path.Combine(outDir, "cov_test.npy")} ({count}, {m}, {m})"));
        return 0;
    }

    private static string Shape(int t, int rows, int k, bool vector) => vector ? $"{t}, {rows}" : $"{t}, {rows}, {k}";

    /// <summary>Rejects non-finite predictions, naming the overflowing scale of the kernel and the targets.</summary>
    private static void CheckFinite(IReadOnlyList<Matrix<double>> stack, string output, double[]? times, int[]? steps,
        Matrix<double> ntkTrain, Matrix<double> ntkTest, double[] y)
    {
        for (int t = 0; t < stack.Count; t++)
        {
            if (stack[t].Enumerate().All(double.IsFinite)) continue;
            string at = times is not null ? $"t = {times[t].ToString("G6", CultureInfo.InvariantCulture)}" : $"{steps![t]} steps";
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{output} at {at} is not finite: the computation overflows double precision (about 1.8e308); the largest |entry| of --ntk-train is {ntkTrain.Enumerate().Max(Math.Abs):G3}, of --ntk-test {ntkTest.Enumerate().Max(Math.Abs):G3} and of --y-train {y.Max(Math.Abs):G3}: rescale the kernels (e.g. recompute them on standardised inputs) or the targets"));
        }
    }

    private static Matrix<double> ReadMatrix(string path, string option)
    {
        var a = CliInputs.ReadArray(path, option, "kernel matrices");
        if (a.Rank != 2) throw new CliException($"--{option} must be a 2-d matrix; {path} has shape {a.ShapeText}");
        return Matrix<double>.Build.DenseOfRowMajor(a.Shape[0], a.Shape[1], a.Data);
    }

    private static void CheckSymmetric(Matrix<double> a, string option)
    {
        if (a.RowCount != a.ColumnCount) throw new CliException($"--{option} must be square; it is {a.RowCount} x {a.ColumnCount}");
        double scale = a.Enumerate().Max(Math.Abs), worst = 0;
        for (int j = 0; j < a.ColumnCount; j++)
        {
            for (int i = j + 1; i < a.RowCount; i++) worst = Math.Max(worst, Math.Abs(a[i, j] - a[j, i]));
        }
        if (worst > 1e-8 * scale)
            throw new CliException($"--{option} is not symmetric (max |a_ij - a_ji| = {worst.ToString("G3", CultureInfo.InvariantCulture)}, relative tolerance 1e-8)");
    }

    private static void WriteStack(string path, IReadOnlyList<Matrix<double>> stack, bool dropColumns)
    {
        int t = stack.Count, rows = stack[0].RowCount, cols = stack[0].ColumnCount;
        var data = new double[(long)t * rows * cols];
        long o = 0;
        foreach (var mat in stack)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++) data[o++] = mat[i, j];
            }
        }
        if (dropColumns) Npy.Write(path, data, t, rows);
        else Npy.Write(path, data, t, rows, cols);
    }
}
