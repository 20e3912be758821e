using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

/// <summary>
/// The experiment on polar images (<see cref="PolarGrid"/>): every rotation by 2π/k with k dividing the number of angles
/// is an exact cyclic shift of the angle axis (<see cref="Groups.Polar"/>), so C8 and C16 act exactly and the augmented
/// infinite-width mean is exactly invariant (Gerken &amp; Kessel, ICML 2024, Thm. 4) — unlike the interpolated Cartesian
/// C8/C16. The CNN has padding (Same, Circular): zeros along the radius, wrap-around along the angle, so its kernel is
/// invariant under simultaneous angle shifts and the group-averaged NTK is the augmented mean's kernel.
/// </summary>
internal static class PolarExperiment
{
    private static readonly double[] Times = [double.PositiveInfinity];

    public static List<OrbitRow> Run(ImageSet train, ImageSet test, ImageSet ood, int radii, int angles, IReadOnlyList<int> orders, bool plain,
        GradientDescentOptions options, Action<string> log)
    {
        foreach (int k in orders)
        {
            if (angles % k != 0) throw new ArgumentException($"--polar: {angles} angles are not a multiple of the group order {k} (--groups); use a multiple of every order, e.g. {Lcm(orders)}.");
        }
        var clock = Stopwatch.StartNew();
        var grid = new PolarGrid(train.Size, radii, angles);
        var xTrain = grid.ToPolar(train.ToTensor());
        var xTest = grid.ToPolar(test.ToTensor());
        var xOod = grid.ToPolar(ood.ToTensor());
        log($"polar grid: {train.Size}×{train.Size} → {radii} radii × {angles} angles (r_max = {grid.Centre:G4} px), resampled in {clock.Elapsed.TotalSeconds:F1} s");
        var network = Stax.Serial(
            Stax.Conv(64, (3, 3), (Padding.Same, Padding.Circular), wStd: 1.5, bStd: 0.1), Stax.Relu(),
            Stax.Conv(64, (3, 3), (Padding.Same, Padding.Circular), wStd: 1.5, bStd: 0.1), Stax.Relu(),
            Stax.Flatten(), Stax.Dense(10, wStd: 1.5, bStd: 0.1));
        log($"polar network: {network}");
        var kf = new KernelFunction(network);
        var y = train.OneHot(10);
        var rows = new List<OrbitRow>();
        AugmentedMean? plainMean = plain ? AugmentedMean.Fit(kf, xTrain, y, null, AugmentationMode.None, options) : null;
        foreach (int k in orders)
        {
            var group = Groups.Polar(k, xTrain.ExampleShape);
            clock.Restart();
            var mean = AugmentedMean.Fit(kf, xTrain, y, group, AugmentationMode.GroupAveraged, options);
            log($"  {group.Name}: fit (Θᴳ: {train.Count} × {k}·{train.Count} kernel entries) {clock.Elapsed.TotalSeconds:F1} s");
            rows.Add(OrbitExperiment.Measure(group, mean.AtTimes(Times), "augmented (group-averaged NTK, polar)", xTest, test.Labels, xOod, 0, clock, log));
            if (plainMean is not null)
            {
                clock.Restart();
                rows.Add(OrbitExperiment.Measure(group, plainMean.AtTimes(Times), null, xTest, test.Labels, xOod, 0, clock, log));
            }
        }
        return rows;
    }

    private static int Lcm(IEnumerable<int> values) => values.Aggregate(1, (a, b) => a / Gcd(a, b) * b);

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
