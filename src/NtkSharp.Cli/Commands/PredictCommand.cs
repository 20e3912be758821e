using NtkSharp.Compute;
using System.Diagnostics;
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

    public string Help => string.Join('\n',
        "Usage: ntksharp predict --ntk-train FILE --ntk-test FILE --y-train FILE (--times LIST | --steps LIST) --out DIR",
        "                        [--learning-rate η] [--diag-reg R] [--diag-reg-absolute]",
        "                        [--nngp-train FILE --nngp-test FILE --nngp-test-test FILE] [--device D] [--no-progress]",
        "                        [--solver auto|eigen|iterative] [--tolerance TOL] [--max-krylov-dim D]",
        "",
        "Evaluates the mean output of an infinitely wide network trained by gradient descent on the MSE loss,",
        "μ_t(x) = Θ(x, X) Θ(X, X)⁻¹ (I − e^{−ηΘ(X, X)t/n}) Y (f₀ = 0, n = Y.size = N·K), exactly as neural-tangents'",
        "predict.gradient_descent_mse; t = inf is kernel regression with the NTK.",
        "",
        "Options:",
        "  --ntk-train FILE       Θ(X, X), N × N, symmetric (.npy, e.g. from ntksharp kernel --get ntk)",
        "  --ntk-test FILE        Θ(x, X), M × N (test rows, train columns)",
        "  --y-train FILE         targets, shape (N) or (N, K)",
        "  --times LIST           comma-separated times t ≥ 0; inf for the converged network",
        "  --steps LIST           comma-separated step counts k: the exact mean after k full-batch gradient-descent",
        "                         steps of the linearised network, (I − ηΘ/n)^k in place of the exponential",
        "                         (η must not exceed the largest stable rate 2n/λ_max(Θ))",
        "  --learning-rate η      learning rate (default 1; only η·t matters for --times)",
        "  --diag-reg R           add R·mean(diag Θ) to the train kernel's diagonal (neural-tangents' diag_reg)",
        "  --diag-reg-absolute    add R itself instead",
        "  --nngp-train FILE      K(X, X), N × N: with the next two, also the NTK-ensemble covariance",
        "  --nngp-test FILE       K(x, X), M × N",
        "  --nngp-test-test FILE  K(x, x), M × M",
        "  --device D             cpu (default: native LAPACK/BLAS) or cuda / cuda:N: the eigendecompositions,",
        "                         Cholesky solves and products on that NVIDIA GPU (cuSOLVER, cuBLAS)",
        "  --solver S             auto (default), eigen or iterative. eigen: one dense eigendecomposition of Θ (O(N³)).",
        "                         iterative: one block Lanczos process on Θ started from Y for all times (products",
        "                         with Θ only, O(N²K) each), the train kernel memory-mapped (float64 or float32",
        "                         .npy), never loaded. auto: iterative when N ≥ 2000 (eigen otherwise, and always with",
        "                         the NNGP covariance); the kernel is read into memory up to N = 16384 and the",
        "                         iterative route, if not converged within max(64, N/8) Krylov directions, falls back",
        "                         to eigen; above, it is memory-mapped",
        "  --tolerance TOL        iterative: relative a-posteriori error bound to reach (default 1e-10): the change of",
        "                         f_t(Θ)Y in the kernel norm between checkpoints, relative to its norm",
        "  --max-krylov-dim D     iterative: largest Krylov dimension (default min(N, 1500)); not converged by then is",
        "                         an error (exit code 2), never a silent result",
        "  --out DIR              output folder, created if missing",
        "  --no-progress          no progress line on stderr (otherwise shown for runs over a second)",
        "",
        "Writes DIR/mean_train.npy (T, N, K), DIR/mean_test.npy (T, M, K) and, with the NNGP matrices,",
        "DIR/cov_test.npy (T, M, M): the covariance over test points of the infinite NTK-trained ensemble",
        "(Lee et al. 2019, eq. 16), shared by the K outputs. T is the number of times (or step counts), in the order",
        "given; float64, C order. When Y has shape (N) the K axis is dropped. Prints one summary line on stdout;",
        "the solver used (and the iterations and error estimate of the iterative one) on stderr unless --no-progress.",
        "",
        CliInputs.ExitCodesHelp,
        "",
        "Example:",
        "  ntksharp kernel --arch \"Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5))\" \\",
        "                  --x1 train.npy --get ntk --out k_dd",
        "  ntksharp kernel --arch \"Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5))\" \\",
        "                  --x1 test.npy --x2 train.npy --get ntk --out k_td",
        "  ntksharp predict --ntk-train k_dd/ntk.npy --ntk-test k_td/ntk.npy --y-train y.npy \\",
        "                   --times 0,1,10,inf --out prediction");

    public int Run(CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
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
        bool progressOn = !args.Flag("no-progress");
        var solver = ParseSolver(args.Optional("solver"));
        double tolerance = args.OptionalDouble("tolerance") ?? 1e-10;
        var maxKrylovText = args.Optional("max-krylov-dim");
        args.EnsureAllUsed();
        if (!(tolerance > 0 && tolerance < 1)) throw new CliException($"--tolerance must lie in (0, 1) (got {tolerance.ToString(CultureInfo.InvariantCulture)})");
        int? maxKrylov = maxKrylovText is null ? null
            : int.TryParse(maxKrylovText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int mk) && mk > 0 ? mk
            : throw new CliException($"--max-krylov-dim: '{maxKrylovText}' is not a positive integer");
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

        if (nngpGiven == 3 && solver == PredictionSolver.Iterative)
            throw new CliException("--solver iterative computes means only; the NTK-ensemble covariance (--nngp-train, --nngp-test, --nngp-test-test) needs --solver eigen (or auto)");
        int n = PeekSquareOrder(ntkTrainPath);
        var options = new GradientDescentOptions
        {
            LearningRate = eta, DiagonalRegularization = reg, RegularizationIsAbsolute = regAbsolute,
            Solver = nngpGiven == 3 ? PredictionSolver.Eigen : solver, IterativeTolerance = tolerance, MaxKrylovDimension = maxKrylov,
        };
        bool iterative = options.Solver == PredictionSolver.Iterative
                         || (options.Solver == PredictionSolver.Auto && n >= options.AutoIterativeThreshold);
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

        Matrix<double>? ntkTrain = null, nngpTrain = null, nngpTest = null, nngpTt = null;
        if (nngpGiven == 3)
        {
            ntkTrain = ReadMatrix(ntkTrainPath, "ntk-train");
            CheckSymmetric(ntkTrain, "ntk-train");
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
        // --solver iterative always maps the train kernel; auto maps it only when it is large (N > 16384, > 2 GiB),
        // and otherwise reads it so that the eigen route remains available as auto's fallback.
        bool map = options.Solver == PredictionSolver.Iterative || (iterative && n > AutoMapOrder);
        MappedNpyMatrix? mapped = map ? TryMap(ntkTrainPath) : null;
        var computeClock = Stopwatch.StartNew();
        // Progress by stage: the train kernel (read, checked, factorised or mapped), the means, the ensemble covariance.
        int stages = nngpTrain is null ? 2 : 3, stage = 0;
        var console = new ConsoleProgress(stderr, "predict", progressOn);
        void Done()
        {
            cancellationToken.ThrowIfCancellationRequested();
            console.Report(new Kernels.KernelProgress(++stage, stages));
        }
        (string, string)[] names = [("ntkTrainTrain", "--ntk-train"), ("ntkTestTrain", "--ntk-test"), ("yTrain", "--y-train"),
            ("nngpTrainTrain", "--nngp-train"), ("nngpTestTrain", "--nngp-test"), ("nngpTestTest", "--nngp-test-test"),
            ("times", "--times"), ("steps", "--steps"), ("LearningRate", "--learning-rate"), ("DiagonalRegularization", "--diag-reg"),
            ("a diagonal regularisation", "a diagonal regularisation (--diag-reg)")];
        try
        {
            var mse = CliErrors.Library(() => ntkTrain is not null ? new GradientDescentMse(ntkTrain, y, options)
                : mapped is not null ? new GradientDescentMse(mapped, y, options)
                : GradientDescentMse.FromRowMajor(ReadSquareRowMajor(ntkTrainPath, n), n, y, options), names);
            Done();

            MeanPrediction means;
            IReadOnlyList<GaussianPrediction>? ensemble = null;
            try
            {
                // The learning-rate check gets its own sentence; every other argument error is renamed to the options.
                means = CliErrors.Library(() =>
                {
                    try
                    {
                        return steps is not null ? mse.PredictMeansAfterSteps(steps, ntkTest, null, cancellationToken)
                            : mse.PredictMeans(times!, ntkTest, null, cancellationToken);
                    }
                    catch (ArgumentOutOfRangeException e) when (e.ParamName == nameof(GradientDescentOptions.LearningRate))
                    {
                        throw new CliException($"--learning-rate {eta.ToString(CultureInfo.InvariantCulture)}: " + CliErrors.Clean(e).Replace("λ", "lambda", StringComparison.Ordinal));
                    }
                }, names);
            }
            catch (IterativeConvergenceException e)
            {
                throw new CliException("--solver iterative: " + e.Message);
            }
            var r = means.Report;
            Done();
            if (nngpTrain is not null)
            {
                var ens = CliErrors.Library(() => new GradientDescentMseEnsemble(nngpTrain, ntkTrain!, y, options), names);
                ensemble = CliErrors.Library(() => steps is not null
                    ? ens.PredictAfterSteps(EnsembleKernel.Ntk, steps, nngpTest!, ntkTest, nngpTt, cancellationToken)
                    : ens.Predict(EnsembleKernel.Ntk, times!, nngpTest!, ntkTest, nngpTt, cancellationToken), names);
                Done();
            }
            console.Finish();
            double computeSeconds = computeClock.Elapsed.TotalSeconds;
            var train = means.Train;
            var test = means.Test;

            CheckFinite(train, "mean_train", times, steps, ntkTrain, ntkTest, yArray.Data);
            CheckFinite(test, "mean_test", times, steps, ntkTrain, ntkTest, yArray.Data);
            if (ensemble is not null) CheckFinite([.. ensemble.Select(e => e.Covariance!)], "cov_test", times, steps, ntkTrain, ntkTest, yArray.Data);
            bool vectorY = yArray.Rank == 1;
            output.Write("mean_train.npy", path => WriteStack(path, train, vectorY));
            output.Write("mean_test.npy", path => WriteStack(path, test, vectorY));
            if (ensemble is not null) output.Write("cov_test.npy", path => WriteStack(path, ensemble.Select(e => e.Covariance!).ToList(), false));
            output.Commit();
            if (progressOn) stderr.WriteLine(r.Solver == PredictionSolver.Iterative
                ? FormattableString.Invariant($"solver: iterative (block Lanczos, {r.Iterations} iterations, Krylov dimension {r.KrylovDimension}, estimated relative error {r.EstimatedRelativeError:G3}{(r.Exact ? ", exact: invariant subspace" : "")}{(mapped is not null ? ", train kernel memory-mapped" : "")})")
                : "solver: eigen" + (r.FellBack ? " (the iterative route did not converge within its auto budget)" : ""));

            int count = train.Count;
            string when = steps is not null
                ? $"steps {string.Join(",", steps)}"
                : $"times {string.Join(",", times!.Select(t => double.IsPositiveInfinity(t) ? "inf" : t.ToString("G6", CultureInfo.InvariantCulture)))}";
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"predict: {n} train, {m} test, {k} outputs, {when} -> {Path.Combine(outDir, "mean_train.npy")} ({Shape(count, n, k, vectorY)}), {Path.Combine(outDir, "mean_test.npy")} ({Shape(count, m, k, vectorY)})") +
                (ensemble is null ? "" : $", {Path.Combine(outDir, "cov_test.npy")} ({count}, {m}, {m})") +
                string.Create(CultureInfo.InvariantCulture, $"; computed in {computeSeconds:F3} s, total {clock.Elapsed.TotalSeconds:F3} s"));
            return 0;
        }
        finally
        {
            console.Finish();
            mapped?.Dispose();
        }
    }

    /// <summary>The N above which <c>--solver auto</c> memory-maps the train kernel instead of reading it.</summary>
    internal const int AutoMapOrder = 16384;

    private static PredictionSolver ParseSolver(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "auto" => PredictionSolver.Auto,
        "eigen" => PredictionSolver.Eigen,
        "iterative" => PredictionSolver.Iterative,
        _ => throw new CliException($"--solver: '{text}' is not one of auto, eigen, iterative"),
    };

    /// <summary>N of the square train kernel, from the .npy header only.</summary>
    private static int PeekSquareOrder(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("--ntk-train: the file name is empty");
        if (Directory.Exists(path)) throw new CliException($"--ntk-train: '{path}' is a folder, not a .npy file");
        if (!File.Exists(path)) throw new CliException($"--ntk-train: file '{path}' not found");
        NpyHeader header;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            header = Npy.ReadHeader(stream).Header;
        }
        catch (NpyFormatException e)
        {
            throw new CliException($"--ntk-train: {path}: {CliErrors.OneLine(e.Message)}");
        }
        catch (EndOfStreamException)
        {
            throw new CliException($"--ntk-train: {path} is truncated (shorter than its header says)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--ntk-train: cannot read {path}: {CliErrors.IoReason(e)}", CliException.IoFailure);
        }
        if (header.Descr.Length < 2 || header.Descr[^2] != 'f')
            throw new CliException($"--ntk-train: {path} has dtype '{header.Descr}'; kernel matrices must be float32 or float64 (integer and bool arrays are rejected: save a.astype(np.float64))");
        string shape = NpyHeader.FormatShape(header.Shape);
        if (header.Shape.Length != 2) throw new CliException($"--ntk-train must be a 2-d matrix; {path} has shape {shape}");
        if (header.Shape[0] == 0 || header.Shape[1] == 0) throw new CliException($"--ntk-train is empty ({shape})");
        if (header.Shape[0] != header.Shape[1]) throw new CliException($"--ntk-train must be square; it is {header.Shape[0]} x {header.Shape[1]}");
        return header.Shape[0];
    }

    /// <summary>The memory-mapped train kernel, or null when its storage cannot be mapped (not little-endian
    /// float64/float32): then it is read into memory.</summary>
    private static MappedNpyMatrix? TryMap(string path)
    {
        try
        {
            return MappedNpyMatrix.Open(path);
        }
        catch (NpyFormatException)
        {
            return null;
        }
    }

    /// <summary>The train kernel's C-order values in one huge-page-advised array (no transposed copy).</summary>
    private static double[] ReadSquareRowMajor(string path, int n)
    {
        var a = CliInputs.ReadArray(path, "ntk-train", "kernel matrices");
        if (a.Rank != 2 || a.Shape[0] != n || a.Shape[1] != n) throw new CliException($"--ntk-train changed while being read ({path})");
        return a.Data;
    }

    private static string Shape(int t, int rows, int k, bool vector) => vector ? $"{t}, {rows}" : $"{t}, {rows}, {k}";

    /// <summary>Rejects non-finite predictions, naming the overflowing scale of the kernel and the targets.</summary>
    private static void CheckFinite(IReadOnlyList<Matrix<double>> stack, string output, double[]? times, int[]? steps,
        Matrix<double>? ntkTrain, Matrix<double> ntkTest, double[] y)
    {
        for (int t = 0; t < stack.Count; t++)
        {
            if (stack[t].Enumerate().All(double.IsFinite)) continue;
            string at = times is not null ? $"t = {times[t].ToString("G6", CultureInfo.InvariantCulture)}" : $"{steps![t]} steps";
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{output} at {at} is not finite: the computation overflows double precision (about 1.8e308); the largest |entry| of --ntk-train is {(ntkTrain is null ? "not measured (it was not read into memory)" : ntkTrain.Enumerate().Max(Math.Abs).ToString("G3", CultureInfo.InvariantCulture))}, of --ntk-test {ntkTest.Enumerate().Max(Math.Abs):G3} and of --y-train {y.Max(Math.Abs):G3}: rescale the kernels (e.g. recompute them on standardised inputs) or the targets"));
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
