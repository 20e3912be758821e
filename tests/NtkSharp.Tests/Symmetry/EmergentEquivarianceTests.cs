using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

/// <summary>Gerken &amp; Kessel (ICML 2024): the infinite-width mean of deep ensembles trained on fully augmented data is
/// exactly equivariant at every training time, on and off the data.</summary>
public class EmergentEquivarianceTests
{
    private static readonly double[] Times = [0, 0.1, 1, 10, 1000, double.PositiveInfinity];

    private static Layer Mlp() => Stax.Serial(Stax.Dense(64, wStd: 1.5, bStd: 0.1), Stax.Relu(),
        Stax.Dense(64, wStd: 1.5, bStd: 0.1), Stax.Relu(), Stax.Dense(1, wStd: 1.5, bStd: 0.1));

    private static Tensor Gaussian(int seed, int n, int d, double scale = 1.0, double shift = 0.0)
    {
        var rng = new Random(seed);
        var data = new double[n * d];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            data[i] = shift + scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return new Tensor(data, n, d);
    }

    /// <summary>Training data on the unit circle (a 1-D manifold in ℝ²) with a C4-invariant or equivariant target.</summary>
    private static (Tensor X, Matrix<double> Y) CircleData(bool vector)
    {
        int n = 7;
        var x = new double[n * 2];
        var y = Matrix<double>.Build.Dense(n, 2);
        for (int i = 0; i < n; i++)
        {
            double phi = 0.3 + 0.77 * i;
            x[2 * i] = Math.Cos(phi);
            x[2 * i + 1] = Math.Sin(phi);
            if (vector)
            {
                y[i, 0] = Math.Cos(4 * phi) * Math.Cos(phi);
                y[i, 1] = Math.Cos(4 * phi) * Math.Sin(phi);
            }
            else
            {
                y[i, 0] = Math.Cos(4 * phi);
                y[i, 1] = Math.Sin(8 * phi) + 0.5;
            }
        }
        return (new Tensor(x, n, 2), y);
    }

    private static Tensor TestInputs(string where, Tensor train) => where switch
    {
        "train" => train,
        "noise" => Gaussian(11, 6, 2, 1.5),          // off the circle
        "ood" => Gaussian(12, 5, 2, 0.3, shift: 4.0), // far from the data
        _ => throw new ArgumentException(where),
    };

    public static TheoryData<bool, string> Cases() => new()
    {
        { false, "train" }, { false, "noise" }, { false, "ood" },
        { true, "train" }, { true, "noise" }, { true, "ood" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AugmentedMean_FullC4AugmentationOfMlp_EquivariantToRoundingAtEveryTime(bool vector, string where)
    {
        var output = vector ? OutputRepresentation.Vector : OutputRepresentation.Invariant;
        var g = Groups.C4([2], output);
        var (x, y) = CircleData(vector);
        var mean = AugmentedMean.Fit(new KernelFunction(Mlp()), x, y, g, AugmentationMode.Explicit);
        Assert.Equal(4 * 7 * 2, mean.RegressionSize);
        var reports = Equivariance.Measure(mean.AtTimes(Times), Times, g, TestInputs(where, x));
        foreach (var r in reports)
        {
            Assert.True(r.MaxRelativeError <= 1e-10, $"t = {r.Time}: {r.MaxRelativeError:E2}");
            Assert.True(r.MaxOrbitRelativeStd <= 1e-10, $"t = {r.Time}: orbit std {r.MaxOrbitRelativeStd:E2}");
        }
        // The mean is not trivially zero: at t = ∞ it interpolates the augmented targets.
        var train = mean.Predict(x, double.PositiveInfinity);
        Assert.True((train - y).Enumerate().Max(Math.Abs) < 1e-8);
    }

    [Fact]
    public void AugmentedMean_D4AugmentationOfMlpOnFlattenedImages_EquivariantOnNoiseImages()
    {
        var g = Groups.D4([3, 3, 1]);
        var x = Gaussian(21, 5, 9);
        var y = Matrix<double>.Build.Dense(5, 3, (i, c) => Math.Sin(i + 2 * c));
        var mean = AugmentedMean.Fit(new KernelFunction(Mlp()), x, y, g, AugmentationMode.Explicit);
        var reports = Equivariance.Measure(mean.AtTimes(Times), Times, g, Gaussian(22, 6, 9, 2.0));
        Assert.All(reports, r => Assert.True(r.MaxRelativeError <= 1e-10, $"t = {r.Time}: {r.MaxRelativeError:E2}"));
        Assert.All(reports, r => Assert.All(r.OrbitSameCounts!, c => Assert.Equal(8, c)));
        var steps = mean.PredictSteps(g.OrbitInputs(x), [1, 2, 3, 2000]);
        Assert.All(steps, s => Assert.True(Equivariance.FromOrbitPredictions(g, s, 5).MaxRelativeError <= 1e-10));
    }

    [Fact]
    public void AugmentedMean_PermutationsOfSetsWithPerElementOutputs_EquivariantOffTheData()
    {
        // Sets of 3 elements with 2 features (flattened to 6 values); one output per element, permuted with the set.
        var g = Groups.Permutations([3, 2], OutputRepresentation.Vector);
        var x = Gaussian(61, 4, 6);
        var y = Matrix<double>.Build.Dense(4, 3, (i, c) => x.Data[i * 6 + 2 * c] * x.Data[i * 6 + 2 * c + 1] + 0.3 * c);
        var mean = AugmentedMean.Fit(new KernelFunction(Mlp()), x, y, g, AugmentationMode.Explicit);
        var reports = Equivariance.Measure(mean.AtTimes(Times), Times, g, Gaussian(62, 5, 6, 2.0));
        Assert.All(reports, r => Assert.True(r.MaxRelativeError <= 1e-10, $"t = {r.Time}: {r.MaxRelativeError:E2}"));
        var control = AugmentedMean.Fit(new KernelFunction(Mlp()), x, y, null, AugmentationMode.None);
        Assert.True(Equivariance.Measure(control.AtTimes([double.PositiveInfinity]), [double.PositiveInfinity], g, Gaussian(62, 5, 6, 2.0))[0].MaxRelativeError > 0.1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AugmentedMean_WithoutAugmentation_IsNotEquivariant(bool vector)
    {
        var g = Groups.C4([2], vector ? OutputRepresentation.Vector : OutputRepresentation.Invariant);
        var (x, y) = CircleData(vector);
        var mean = AugmentedMean.Fit(new KernelFunction(Mlp()), x, y, null, AugmentationMode.None);
        double[] times = [1, 10, 1000, double.PositiveInfinity];
        var reports = Equivariance.Measure(mean.AtTimes(times), times, g, TestInputs("noise", x));
        Assert.All(reports, r => Assert.True(r.MaxRelativeError > 0.1, $"t = {r.Time}: {r.MaxRelativeError:E2}"));
    }

    [Fact]
    public void AugmentedMean_SubsetThatIsNotASubgroup_IsNotEquivariant()
    {
        var g = Groups.C4([2]);
        Assert.False(g.IsSubgroup([0, 1]));
        var (x, y) = CircleData(false);
        var mean = AugmentedMean.FitOnElements(new KernelFunction(Mlp()), x, y, g, [0, 1]);
        double[] times = [10, double.PositiveInfinity];
        var reports = Equivariance.Measure(mean.AtTimes(times), times, g, TestInputs("noise", x));
        Assert.All(reports, r => Assert.True(r.MaxRelativeError > 0.1, $"t = {r.Time}: {r.MaxRelativeError:E2}"));
        // Not even the element r that was augmented with: μ(r·x) ≠ μ(x) off the data.
        Assert.All(reports, r => Assert.True(Enumerable.Range(0, r.InputCount).Max(i => r.RelativeErrors[i, 1]) > 0.05));
    }

    [Fact]
    public void AugmentedMean_C2Augmentation_GivesC2ButNotC4Equivariance()
    {
        var c4 = Groups.C4([2]);
        var c2 = c4.Subgroup("C2", [0, 2]);
        var (x, y) = CircleData(false);
        var mean = AugmentedMean.Fit(new KernelFunction(Mlp()), x, y, c2, AugmentationMode.Explicit);
        double[] times = [10, 1000, double.PositiveInfinity];
        var test = TestInputs("noise", x);
        Assert.All(Equivariance.Measure(mean.AtTimes(times), times, c2, test), r => Assert.True(r.MaxRelativeError <= 1e-10));
        Assert.All(Equivariance.Measure(mean.AtTimes(times), times, c4, test), r => Assert.True(r.MaxRelativeError > 0.1));
    }

    public static TheoryData<bool, bool> AveragedCases() => new() { { false, false }, { true, false }, { false, true } };

    [Theory]
    [MemberData(nameof(AveragedCases))]
    public void GroupAveragedKernel_EqualsExplicitAugmentationAtEveryTimeAndStep(bool vector, bool nngp)
    {
        var g = Groups.D4([2], vector ? OutputRepresentation.Vector : OutputRepresentation.Invariant);
        var (x, y) = CircleData(vector);
        var kf = new KernelFunction(Mlp());
        var which = nngp ? KernelOutputs.Nngp : KernelOutputs.Ntk;
        var explicitMean = AugmentedMean.Fit(kf, x, y, g, AugmentationMode.Explicit, options: new GradientDescentOptions { LearningRate = 0.7 }, which: which);
        var averaged = AugmentedMean.Fit(kf, x, y, g, AugmentationMode.GroupAveraged, options: new GradientDescentOptions { LearningRate = 0.7 }, which: which);
        Assert.Equal(8 * explicitMean.Normalization, 8 * 8 * averaged.Normalization);
        var test = Tensor.From(Matrix<double>.Build.DenseOfRows([[0.2, -1.1], [1.5, 0.4], [-0.7, -0.7]]));
        var a = explicitMean.Predict(test, Times);
        var b = averaged.Predict(test, Times);
        for (int t = 0; t < Times.Length; t++)
        {
            double scale = Math.Max(a[t].Enumerate().Max(Math.Abs), 1e-300);
            Assert.True((a[t] - b[t]).Enumerate().Max(Math.Abs) <= 1e-10 * scale, $"t = {Times[t]}");
        }
        int[] steps = [0, 1, 2, 3, 50];
        var sa = explicitMean.PredictSteps(test, steps);
        var sb = averaged.PredictSteps(test, steps);
        for (int s = 0; s < steps.Length; s++)
        {
            double scale = Math.Max(sa[s].Enumerate().Max(Math.Abs), 1e-300);
            Assert.True((sa[s] - sb[s]).Enumerate().Max(Math.Abs) <= 1e-10 * scale, $"k = {steps[s]}");
        }
        // And the averaged mean is equivariant by construction.
        Assert.All(Equivariance.Measure(averaged.AtTimes(Times), Times, g, test), r => Assert.True(r.MaxRelativeError <= 1e-10));
    }

    [Fact]
    public void GroupAveragedKernel_InvariantCase_IsAverageOverOrbitAndSymmetric()
    {
        var g = Groups.C4([2]);
        var kf = new KernelFunction(Mlp());
        var x = Gaussian(31, 4, 2);
        var kg = GroupAveragedKernel.Compute(kf, g, x);
        // Independent: average of the plain kernel over rotated right arguments, one element at a time.
        var expected = Matrix<double>.Build.Dense(4, 4);
        for (int e = 0; e < 4; e++) expected += kf.Compute(x, g.ActOnInputs(e, x)).Ntk! / 4;
        Assert.True((kg - expected).Enumerate().Max(Math.Abs) < 1e-12);
        Assert.True((kg - kg.Transpose()).Enumerate().Max(Math.Abs) < 1e-14);
        // Θᴳ(ρ(g)x, x') = Θᴳ(x, x') in the left argument too.
        var kgRot = GroupAveragedKernel.Compute(kf, g, g.ActOnInputs(1, x), x);
        Assert.True((kgRot - kg).Enumerate().Max(Math.Abs) < 1e-12);
    }

    [Fact]
    public void KernelSymmetry_MlpUnderOrthogonalGroups_HoldsToRounding()
    {
        var x = Gaussian(41, 4, 2);
        var r1 = KernelSymmetry.Check(Mlp(), Groups.D4([2]), x);
        Assert.True(r1.IsSymmetric, $"{r1}");
        Assert.True(r1.MaxNtkViolation < 1e-12 && r1.MaxNngpViolation < 1e-12);
        var r2 = KernelSymmetry.Check(Mlp(), Groups.Cn(7, [2]), x);
        Assert.True(r2.IsSymmetric, $"{r2}");
        var r3 = KernelSymmetry.Check(Mlp(), Groups.Translations([3, 3, 1]), Gaussian(42, 3, 9));
        Assert.True(r3.IsSymmetric, $"{r3}");
    }

    /// <summary>A non-orthogonal representation of C3 on ℝ² (A = [[0, −1], [1, −1]], A³ = I): the MLP kernel, which
    /// depends on norms and inner products, is not symmetric under it, so augmentation does not make the mean
    /// equivariant — the theorem's assumption matters.</summary>
    [Fact]
    public void KernelSymmetry_NonOrthogonalRepresentation_ReportsViolationAndMeanIsNotEquivariant()
    {
        var a = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, -1 }, { 1, -1 } });
        var g = SymmetryGroup.FromMatrices("C3 (skew)", [2], [Matrix<double>.Build.DenseIdentity(2), a, a * a]);
        Assert.Equal(3, g.Order);
        var x = Gaussian(51, 4, 2);
        var check = KernelSymmetry.Check(Mlp(), g, x);
        Assert.False(check.IsSymmetric);
        Assert.True(check.MaxNtkViolation > 0.01 && check.MaxNngpViolation > 0.01);

        var (xt, yt) = CircleData(false);
        var mean = AugmentedMean.Fit(new KernelFunction(Mlp()), xt, yt, g, AugmentationMode.Explicit);
        var report = Equivariance.Measure(mean.AtTimes([double.PositiveInfinity]), [double.PositiveInfinity], g, Gaussian(52, 6, 2, 1.5))[0];
        Assert.True(report.MaxRelativeError > 0.05, $"{report.MaxRelativeError:E2}");
        Assert.Throws<ArgumentException>(() => AugmentedMean.Fit(new KernelFunction(Mlp()), xt, yt, g, AugmentationMode.GroupAveraged));
    }

    [Fact]
    public void AugmentedMean_BadArguments_Throw()
    {
        var (x, y) = CircleData(false);
        var kf = new KernelFunction(Mlp());
        Assert.Throws<ArgumentNullException>(() => AugmentedMean.Fit(kf, x, y, null, AugmentationMode.Explicit));
        Assert.Throws<ArgumentOutOfRangeException>(() => AugmentedMean.Fit(kf, x, y, null, AugmentationMode.None, options: new GradientDescentOptions { LearningRate = -1 }));
        Assert.Throws<ArgumentException>(() => AugmentedMean.Fit(kf, x, y.SubMatrix(0, 3, 0, 2), null, AugmentationMode.None));
        var m = AugmentedMean.Fit(kf, x, y, null, AugmentationMode.None);
        Assert.Throws<ArgumentException>(() => m.Predict(x, [-1.0]));
        Assert.Throws<ArgumentException>(() => m.Predict(x, [double.NaN]));
        Assert.Throws<ArgumentException>(() => AugmentedMean.Fit(kf, x, Matrix<double>.Build.Dense(7, 3), Groups.C4([2], OutputRepresentation.Vector), AugmentationMode.Explicit));
    }
}
