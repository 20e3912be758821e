using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Prediction;
using NtkSharp.Symmetry;

/// <summary>One row of the result table.</summary>
/// <remarks>FashionSameSe and MnistSameSe are the standard errors of the mean orbit-same counts over the test images,
/// s/√n with s the counts' sample standard deviation.</remarks>
internal sealed record OrbitRow(
    string Group, int Order, bool Exact, bool Augmented, string Route, double FashionSame, double MnistSame, double Accuracy, double RotatedAccuracy,
    double TrainAsymmetry, double Seconds, double FashionSameSe = 0, double MnistSameSe = 0);

/// <summary>
/// The infinite-width ensemble mean μ_∞(x) = Θᴳ(x, X) Θᴳ(X, X)⁻¹ Y, trained on C_k-augmented data through the
/// group-averaged NTK Θᴳ(x, x') = (1/|G|) Σ_g Θ(x, ρ(g)x'), and its orbit-same predictions
/// #{g : argmax μ(ρ(g)x) = argmax μ(x)} (Gerken &amp; Kessel, ICML 2024, rotated Fashion-MNIST experiment).
/// </summary>
internal static class OrbitExperiment
{
    private static readonly double[] Times = [double.PositiveInfinity];

    /// <summary>With augmentation over C_k: exact (C4, pixel permutations) through <see cref="AugmentedMean"/>;
    /// interpolated (C8, C16) through the symmetrised group-averaged kernel.</summary>
    public static OrbitRow Augmented(KernelFunction kf, int k, ImageSet train, ImageSet test, ImageSet ood, GradientDescentOptions options, bool explicitForApproximate, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var x = train.ToTensor();
        var y = train.OneHot(10);
        var group = Groups.Cn(k, [train.Size, train.Size, 1]);
        Func<Tensor, IReadOnlyList<Matrix<double>>> predictor;
        double asym = 0;
        if (!group.IsExact && explicitForApproximate)
        {
            // The paper's route: explicit augmentation, |G|·N training images (|G|² more kernel work than Θᴳ).
            var mean = AugmentedMean.Fit(kf, x, y, group, AugmentationMode.Explicit, options);
            predictor = mean.AtTimes(Times);
        }
        else if (group.IsExact)
        {
            var mean = AugmentedMean.Fit(kf, x, y, group, AugmentationMode.GroupAveraged, options);
            predictor = mean.AtTimes(Times);
        }
        else
        {
            // Θᴳ(X, X) of an approximate (interpolated) rotation set is only approximately symmetric, so
            // GroupAveragedKernel.Compute(x, null) refuses it; we compute the N × N block explicitly, report its
            // asymmetry and use its symmetric part. μ is then only approximately the explicitly augmented mean.
            var kxx = GroupAveragedKernel.Compute(kf, group, x, x);
            double scale = kxx.Enumerate().Max(Math.Abs);
            asym = (kxx - kxx.Transpose()).Enumerate().Max(Math.Abs) / scale;
            var solver = new GradientDescentMse((kxx + kxx.Transpose()) * 0.5, y, options);
            var ev = solver.Eigen.EigenValues.ToArray();
            log($"  {group.Name}: eigenvalues of the symmetric part of Θᴳ(X,X): min/max = {ev.Min() / ev.Max():E2}");
            predictor = t => solver.TestMeans(Times, GroupAveragedKernel.Compute(kf, group, t, x));
        }
        log($"  {group.Name}: fit ({(group.IsExact || !explicitForApproximate ? $"Θᴳ: {train.Count} × {group.Order}·{train.Count}" : $"explicit: ({group.Order}·{train.Count})²")} kernel entries) {clock.Elapsed.TotalSeconds:F1} s");
        string route = !group.IsExact && explicitForApproximate ? "augmented (explicit, G·N images)" : group.IsExact ? "augmented (group-averaged NTK)" : "augmented (symmetrised group-averaged NTK)";
        return Measure(group, predictor, route, test, ood, asym, clock, log);
    }

    /// <summary>Without augmentation (plain NTK regression on the N training images), measured on the same orbits.</summary>
    public static OrbitRow Plain(KernelFunction kf, AugmentedMean plain, int k, ImageSet test, ImageSet ood, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var group = Groups.Cn(k, [test.Size, test.Size, 1]);
        return Measure(group, plain.AtTimes(Times), null, test, ood, 0, clock, log);
    }

    private static OrbitRow Measure(SymmetryGroup group, Func<Tensor, IReadOnlyList<Matrix<double>>> predictor, string? route,
        ImageSet test, ImageSet ood, double asym, Stopwatch clock, Action<string> log)
    {
        bool augmented = route is not null;
        Matrix<double>? last = null;
        IReadOnlyList<Matrix<double>> Capture(Tensor t)
        {
            var p = predictor(t);
            last = p[0];
            return p;
        }
        var onTest = Equivariance.Measure(Capture, Times, group, test.ToTensor())[0];
        var orbitPred = last!;
        int n = test.Count, correct = 0, correctRot = 0;
        for (int g = 0; g < group.Order; g++)
        {
            for (int i = 0; i < n; i++)
            {
                bool ok = orbitPred.Row(g * n + i).MaximumIndex() == test.Labels[i];
                if (ok) correctRot++;
                if (ok && g == group.Identity) correct++;
            }
        }
        log($"  {group.Name}{(augmented ? "" : " (no augmentation)")}: Fashion-MNIST orbits ({group.Order}·{n}) done at {clock.Elapsed.TotalSeconds:F1} s");
        var onOod = Equivariance.Measure(predictor, Times, group, ood.ToTensor())[0];
        log($"  {group.Name}{(augmented ? "" : " (no augmentation)")}: MNIST orbits ({group.Order}·{ood.Count}) done at {clock.Elapsed.TotalSeconds:F1} s");
        return new OrbitRow(group.Name, group.Order, group.IsExact, augmented, route ?? "no augmentation", onTest.MeanOrbitSameCount, onOod.MeanOrbitSameCount,
            (double)correct / n, (double)correctRot / (n * group.Order), asym, clock.Elapsed.TotalSeconds,
            StandardError(onTest.OrbitSameCounts), StandardError(onOod.OrbitSameCounts));
    }

    private static double StandardError(int[]? counts)
    {
        if (counts is null || counts.Length < 2) return 0;
        double mean = counts.Average();
        return Math.Sqrt(counts.Sum(c => (c - mean) * (c - mean)) / (counts.Length - 1) / counts.Length);
    }
}
