using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

/// <summary>Emergent equivariance for convolutional kernels on small images: exact with square odd filters and Same or
/// Circular padding, broken by a non-square filter.</summary>
public class CnnEquivarianceTests
{
    private static readonly double[] Times = [0, 0.1, 1, 10, 1000, double.PositiveInfinity];
    private const int Size = 5;

    private static Layer Cnn((int, int) filter, Padding padding, bool gap = false) => Stax.Serial(
        Stax.Conv(8, filter, padding: padding, wStd: 1.5, bStd: 0.1), Stax.Relu(),
        Stax.Conv(8, filter, padding: padding, wStd: 1.5, bStd: 0.1), Stax.Relu(),
        gap ? Stax.GlobalAvgPool() : Stax.Flatten(), Stax.Dense(1, wStd: 1.5, bStd: 0.1));

    private static Tensor Images(int seed, int n, double scale = 1.0, double shift = 0.0)
    {
        var rng = new Random(seed);
        var data = new double[n * Size * Size];
        for (int i = 0; i < data.Length; i++) data[i] = shift + scale * (rng.NextDouble() * 2 - 1);
        return new Tensor(data, n, Size, Size, 1);
    }

    /// <summary>Targets: an invariant pair, or the image's centre of mass (an ℝ² vector that rotates with the image).</summary>
    private static Matrix<double> Targets(Tensor x, bool vector) => Matrix<double>.Build.Dense(x.Count, 2, (e, c) =>
    {
        double s = 0;
        for (int i = 0; i < Size; i++)
        {
            for (int j = 0; j < Size; j++)
            {
                double v = x.Data[e * Size * Size + i * Size + j];
                s += vector ? v * (c == 0 ? j - 2.0 : 2.0 - i) : c == 0 ? v : v * v;
            }
        }
        return s;
    });

    public static TheoryData<bool, string> Cases() => new()
    {
        { false, "train" }, { false, "noise" }, { false, "ood" }, { true, "train" }, { true, "noise" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AugmentedMean_CnnFullD4Augmentation_EquivariantToRoundingAtEveryTime(bool vector, string where)
    {
        var g = Groups.D4([Size, Size, 1], vector ? OutputRepresentation.Vector : OutputRepresentation.Invariant);
        var x = Images(1, 3);
        var mean = AugmentedMean.Fit(new KernelFunction(Cnn((3, 3), Padding.Same)), x, Targets(x, vector), g, AugmentationMode.Explicit);
        var test = where switch
        {
            "train" => x,
            "noise" => Images(2, 3, 2.0),
            _ => Images(3, 2, 0.2, shift: 3.0),
        };
        foreach (var r in Equivariance.Measure(mean.AtTimes(Times), Times, g, test))
            Assert.True(r.MaxRelativeError <= 1e-10, $"t = {r.Time}: {r.MaxRelativeError:E2}");
    }

    [Fact]
    public void AugmentedMean_CnnWithoutAugmentation_IsNotEquivariant()
    {
        var g = Groups.C4([Size, Size, 1]);
        var x = Images(1, 4);
        var mean = AugmentedMean.Fit(new KernelFunction(Cnn((3, 3), Padding.Same)), x, Targets(x, false), null, AugmentationMode.None);
        double[] times = [10, double.PositiveInfinity];
        Assert.All(Equivariance.Measure(mean.AtTimes(times), times, g, Images(2, 3, 2.0)), r => Assert.True(r.MaxRelativeError > 0.05, $"{r.MaxRelativeError:E2}"));
    }

    [Theory]
    [InlineData(Padding.Same, false)]
    [InlineData(Padding.Circular, false)]
    [InlineData(Padding.Same, true)]
    public void KernelSymmetry_SquareOddFilter_HoldsUnderD4(Padding padding, bool gap)
    {
        var r = KernelSymmetry.Check(Cnn((3, 3), padding, gap), Groups.D4([Size, Size, 1]), Images(4, 3));
        Assert.True(r.IsSymmetric, $"{r}");
    }

    [Fact]
    public void KernelSymmetry_CircularPadding_HoldsUnderTranslationsWithGlobalPooling()
    {
        var r = KernelSymmetry.Check(Cnn((3, 3), Padding.Circular, gap: true), Groups.Translations([Size, Size, 1]), Images(5, 2));
        Assert.True(r.IsSymmetric, $"{r}");
        // Zero (Same) padding breaks translation symmetry.
        var s = KernelSymmetry.Check(Cnn((3, 3), Padding.Same, gap: true), Groups.Translations([Size, Size, 1]), Images(5, 2));
        Assert.False(s.IsSymmetric);
    }

    [Fact]
    public void KernelSymmetry_NonSquareFilterUnderC4_ReportsViolationAndMeanIsNotEquivariant()
    {
        var cnn = Cnn((3, 1), Padding.Same);
        var c4 = Groups.C4([Size, Size, 1]);
        var check = KernelSymmetry.Check(cnn, c4, Images(6, 3));
        Assert.False(check.IsSymmetric);
        Assert.True(check.MaxNtkViolation > 1e-3, $"{check}");
        // 180° rotation maps a vertical 3×1 filter onto itself: the kernel is C2-symmetric.
        Assert.True(KernelSymmetry.Check(cnn, c4.Subgroup("C2", [0, 2]), Images(6, 3)).IsSymmetric);

        var x = Images(1, 3);
        var mean = AugmentedMean.Fit(new KernelFunction(cnn), x, Targets(x, false), c4, AugmentationMode.Explicit);
        var report = Equivariance.Measure(mean.AtTimes([double.PositiveInfinity]), [double.PositiveInfinity], c4, Images(2, 3, 2.0))[0];
        Assert.True(report.MaxRelativeError > 1e-3, $"{report.MaxRelativeError:E2}");
        Assert.Throws<ArgumentException>(() => AugmentedMean.Fit(new KernelFunction(cnn), x, Targets(x, false), c4, AugmentationMode.GroupAveraged));
    }

    [Fact]
    public void GroupAveragedKernel_Cnn_EqualsExplicitAugmentation()
    {
        var g = Groups.C4([Size, Size, 1]);
        var x = Images(7, 3);
        var y = Targets(x, false);
        var kf = new KernelFunction(Cnn((3, 3), Padding.Same));
        var a = AugmentedMean.Fit(kf, x, y, g, AugmentationMode.Explicit).Predict(Images(8, 2, 2.0), Times);
        var b = AugmentedMean.Fit(kf, x, y, g, AugmentationMode.GroupAveraged).Predict(Images(8, 2, 2.0), Times);
        for (int t = 0; t < Times.Length; t++)
        {
            double scale = Math.Max(a[t].Enumerate().Max(Math.Abs), 1e-300);
            Assert.True((a[t] - b[t]).Enumerate().Max(Math.Abs) <= 1e-10 * scale, $"t = {Times[t]}");
        }
    }
}
