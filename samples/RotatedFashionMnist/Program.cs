using System.Diagnostics;
using System.Globalization;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

// Rotated Fashion-MNIST at infinite width (Gerken & Kessel, ICML 2024, "orbit-same predictions"): the mean of an
// infinitely wide CNN ensemble trained (t = ∞, NTK, MSE on one-hot labels) on C_k-augmented Fashion-MNIST, and the
// number of rotations g ∈ C_k of a test image for which its predicted class equals that of the unrotated image
// (k = the maximum), on Fashion-MNIST test images and out of distribution on MNIST digits.
// Usage: RotatedFashionMnist [dataDir=data] [outDir=out/RotatedFashionMnist] [--train N=200] [--test M=100] [--ood M=100]
//                            [--downsample f=1] [--groups 4,8,16] [--seed s=1] [--no-plain] [--diag-reg r=0] [--averaged]
// C4 (exact pixel permutations) uses the group-averaged NTK Θᴳ (exactly the augmented mean); C8/C16 (interpolated
// rotations, only approximately a group) use explicit augmentation (|G|·N images) unless --averaged asks for the
// symmetrised Θᴳ, which for these is only an approximation of the augmented mean.
// dataDir holds fashion-mnist/ and mnist/ from fetch-data.sh, or the original IDX files (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-… for Fashion-MNIST; mnist/t10k-… for MNIST), optionally .gz.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string dataDir = "data", outDir = Path.Combine("out", "RotatedFashionMnist");
int nTrain = 200, nTest = 100, nOod = 100, factor = 1, seed = 1;
int[] orders = [4, 8, 16];
bool plain = true;
double diagReg = 0;
bool explicitAug = true;
var positional = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--train": nTrain = int.Parse(args[++i]); break;
        case "--test": nTest = int.Parse(args[++i]); break;
        case "--ood": nOod = int.Parse(args[++i]); break;
        case "--downsample": factor = int.Parse(args[++i]); break;
        case "--seed": seed = int.Parse(args[++i]); break;
        case "--groups": orders = args[++i].Split(',').Select(int.Parse).ToArray(); break;
        case "--no-plain": plain = false; break;
        case "--averaged": explicitAug = false; break;
        case "--diag-reg": diagReg = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: positional.Add(args[i]); break;
    }
}
if (positional.Count > 0) dataDir = positional[0];
if (positional.Count > 1) outDir = positional[1];
if (nTrain % 10 != 0 || nTest % 10 != 0 || nOod % 10 != 0) throw new ArgumentException("--train, --test and --ood must be multiples of 10 (class-balanced sets).");
Directory.CreateDirectory(outDir);
var total = Stopwatch.StartNew();
void Log(string s) => Console.WriteLine(s);

Console.WriteLine("Rotated Fashion-MNIST at infinite width — orbit-same predictions (Gerken & Kessel, ICML 2024)");
var clock = Stopwatch.StartNew();
var (fashionTrainPool, fashionTestPool, mnistPool) = DataSources.Load(dataDir);
var rng = new Random(seed);
var used = new HashSet<int>();
var train = fashionTrainPool.Select(fashionTrainPool.Balanced(nTrain / 10, rng, used)).Downsample(factor);
if (!ReferenceEquals(fashionTrainPool, fashionTestPool)) used = [];
var test = fashionTestPool.Select(fashionTestPool.Balanced(nTest / 10, rng, used)).Downsample(factor);
var ood = mnistPool.Select(mnistPool.Balanced(nOod / 10, rng, [])).Downsample(factor);
string fashionText = ReferenceEquals(fashionTrainPool, fashionTestPool)
    ? $"{fashionTrainPool.Count} Fashion-MNIST (one pool, train and test drawn disjointly)"
    : $"{fashionTrainPool.Count} train + {fashionTestPool.Count} test Fashion-MNIST";
Log($"data: {fashionText}, {mnistPool.Count} MNIST images loaded in {clock.Elapsed.TotalSeconds:F1} s; " +
    $"using N_train = {train.Count}, N_test = {test.Count}, N_MNIST = {ood.Count} (class-balanced, seed {seed}), {train.Size}×{train.Size} pixels{(factor > 1 ? $" (28×28 average-pooled by {factor})" : "")}");

// Infinite-width CNN, NTK parameterisation; Flatten readout (GAP would be C4-invariant by construction).
var network = Stax.Serial(
    Stax.Conv(64, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(),
    Stax.Conv(64, (3, 3), padding: Padding.Same, wStd: 1.5, bStd: 0.1), Stax.Relu(),
    Stax.Flatten(), Stax.Dense(10, wStd: 1.5, bStd: 0.1));
var kf = new KernelFunction(network);
Log("network: Conv(3×3, SAME)–ReLU–Conv(3×3, SAME)–ReLU–Flatten–Dense(10), σ_w = 1.5, σ_b = 0.1, NTK at t = ∞");

var options = new GradientDescentOptions { DiagonalRegularization = diagReg };
var rows = new List<OrbitRow>();
AugmentedMean? plainMean = null;
if (plain)
{
    clock.Restart();
    plainMean = AugmentedMean.Fit(kf, train.ToTensor(), train.OneHot(10), null, AugmentationMode.None, options);
    Log($"no augmentation: train kernel ({train.Count}²) {clock.Elapsed.TotalSeconds:F1} s");
}
foreach (int k in orders)
{
    rows.Add(OrbitExperiment.Augmented(kf, k, train, test, ood, options, explicitAug, Log));
    if (plainMean is not null) rows.Add(OrbitExperiment.Plain(kf, plainMean, k, test, ood, Log));
}

var table = ResultTable.Markdown(rows, train, test, ood, factor, seed);
Console.WriteLine();
Console.WriteLine(table);
File.WriteAllText(Path.Combine(outDir, "results.md"), table);
string plotFiles = ResultPlot.Save(rows, Path.Combine(outDir, "orbit_same"));
Console.WriteLine($"Written {Path.GetFullPath(Path.Combine(outDir, "results.md"))} and {plotFiles}. Total time {total.Elapsed.TotalSeconds:F1} s.");
