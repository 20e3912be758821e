using NtkSharp.Kernels;
using Xunit;

namespace NtkSharp.Tests.Kernels.Duals;

/// <summary>
/// The registry's run forms (<see cref="ActivationFamily.Run(in ActivationSpec, ReadOnlySpan{double}, double, Span{double}, Span{double})"/>
/// and its per-entry-variance overload; SIMD lanes where the family has a vector body, the scalar body for the tail) of
/// every closed-form activation: against the independent two-dimensional quadrature of <see cref="DualReference"/> to
/// 1e-9 relative (the bar of <see cref="ClosedFormDualTests"/>, over the same covariances: |ρ| → 1 and = 1, tiny and
/// large variances), and against the scalar device body (what the GPU engine evaluates) to 1e-12 relative, on every
/// lane position and on a run mixing all covariances lane by lane. No NaN or ∞ anywhere.
/// </summary>
public class CatalogueRunFormTests
{
    private const double QuadratureTolerance = 1e-9;
    private const double ParityTolerance = 1e-12;

    /// <summary>Long enough for two 512-bit vectors and a scalar tail of 3.</summary>
    private const int RunLength = 19;

    [Theory]
    [MemberData(nameof(ClosedFormDualTests.Cases), MemberType = typeof(ClosedFormDualTests))]
    public void Run_Covariance_MatchesQuadratureAndDeviceBody(string activation, int covariance)
    {
        var c = CatalogueCases.Get(activation);
        var layer = c.Layer ?? throw new InvalidOperationException($"{activation} has no layer");
        var (c11, rho, c22) = ClosedFormDualTests.Covariances[covariance];
        double c12 = rho * Math.Sqrt(c11 * c22);
        var (tRef, tdRef, scale, scaleDot) = CatalogueCases.Reference(c, c11, c12, c22);
        layer.Family.Dual(layer.Spec, c11, c12, c22, out double tDev, out double tdDev);

        var v11 = Enumerable.Repeat(c11, RunLength).ToArray();
        var v22 = Enumerable.Repeat(c22, RunLength).ToArray();
        foreach (bool perEntry in new[] { false, true })
        {
            var k = Enumerable.Repeat(c12, RunLength).ToArray();
            var theta = Enumerable.Repeat(1.0, RunLength).ToArray();
            var kOnly = Enumerable.Repeat(c12, RunLength).ToArray();
            if (perEntry)
            {
                layer.Family.Run(layer.Spec, v11, v22, k, theta);
                layer.Family.Run(layer.Spec, v11, v22, kOnly, default);
            }
            else
            {
                layer.Family.Run(layer.Spec, v11, c22, k, theta);
                layer.Family.Run(layer.Spec, v11, c22, kOnly, default);
            }
            for (int i = 0; i < RunLength; i++)
            {
                string at = $"{activation} at ({c11}, {rho}, {c22}), entry {i}, per-entry c22 {perEntry}";
                Assert.True(double.IsFinite(k[i]) && double.IsFinite(theta[i]), $"{at}: T = {k[i]:R}, Ṫ = {theta[i]:R}");
                Assert.Equal(k[i], kOnly[i]);
                double errT = Math.Abs(k[i] - tRef) / Math.Max(scale, Math.Abs(tRef));
                double errTd = scaleDot == 0 ? Math.Abs(theta[i]) : Math.Abs(theta[i] - tdRef) / Math.Max(scaleDot, Math.Abs(tdRef));
                Assert.True(errT <= QuadratureTolerance, $"{at}: T = {k[i]:R}, quadrature {tRef:R}, relative error {errT:E2}");
                Assert.True(errTd <= QuadratureTolerance, $"{at}: Ṫ = {theta[i]:R}, quadrature {tdRef:R}, relative error {errTd:E2}");
                double parT = Math.Abs(k[i] - tDev) / Math.Max(scale, Math.Abs(tDev));
                double parTd = scaleDot == 0 ? Math.Abs(theta[i] - tdDev) : Math.Abs(theta[i] - tdDev) / Math.Max(scaleDot, Math.Abs(tdDev));
                Assert.True(parT <= ParityTolerance, $"{at}: T = {k[i]:R}, device body {tDev:R}, relative difference {parT:E2}");
                Assert.True(parTd <= ParityTolerance, $"{at}: Ṫ = {theta[i]:R}, device body {tdDev:R}, relative difference {parTd:E2}");
            }
        }
    }

    public static TheoryData<string> Names() => CatalogueCases.Names();

    /// <summary>One run holding every covariance (and random ones) in turn, so neighbouring lanes differ in variance,
    /// correlation and branch (sinh near/far, ρ = ±1 next to ρ = 0), against the device body entry by entry, relative to
    /// the Cauchy–Schwarz bound √(T(c₁₁, c₁₁, c₁₁)·T(c₂₂, c₂₂, c₂₂)) of each entry.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Run_MixedLanes_MatchesDeviceBody(string activation)
    {
        var c = CatalogueCases.Get(activation);
        var layer = c.Layer ?? throw new InvalidOperationException($"{activation} has no layer");
        var rng = new Random(5);
        var triples = ClosedFormDualTests.Covariances.Where(v => Math.Max(v.C11, v.C22) < c.MaxVariance).ToList();
        double top = Math.Min(3.0, c.MaxVariance) - 0.05;
        for (int i = 0; i < 45; i++) triples.Add((0.05 + top * rng.NextDouble(), 2 * rng.NextDouble() - 1, 0.05 + top * rng.NextDouble()));
        int n = triples.Count;
        var c11 = triples.Select(v => v.C11).ToArray();
        var c22 = triples.Select(v => v.C22).ToArray();
        var c12 = triples.Select(v => v.Rho * Math.Sqrt(v.C11 * v.C22)).ToArray();
        var k = (double[])c12.Clone();
        var theta = Enumerable.Range(0, n).Select(i => 0.5 + i % 3).ToArray();
        layer.Family.Run(layer.Spec, c11, c22, k, theta);
        for (int i = 0; i < n; i++)
        {
            var f = layer.Family;
            f.Dual(layer.Spec, c11[i], c12[i], c22[i], out double t, out double td);
            f.Dual(layer.Spec, c11[i], c11[i], c11[i], out double t11, out double td11);
            f.Dual(layer.Spec, c22[i], c22[i], c22[i], out double t22, out double td22);
            double theta0 = 0.5 + i % 3;
            string at = $"{activation} at ({c11[i]:R}, {c12[i]:R}, {c22[i]:R}), entry {i}";
            Assert.True(double.IsFinite(k[i]) && double.IsFinite(theta[i]), $"{at}: T = {k[i]:R}, Θ·Ṫ = {theta[i]:R}");
            double parT = Math.Abs(k[i] - t) / Math.Max(Math.Sqrt(Math.Abs(t11 * t22)), Math.Abs(t));
            double tdScale = Math.Max(Math.Sqrt(Math.Abs(td11 * td22)), Math.Abs(td)) * theta0;
            double parTd = tdScale == 0 ? Math.Abs(theta[i]) : Math.Abs(theta[i] - td * theta0) / tdScale;
            Assert.True(parT <= ParityTolerance, $"{at}: run T = {k[i]:R}, device body {t:R}, relative difference {parT:E2}");
            Assert.True(parTd <= ParityTolerance, $"{at}: run Θ·Ṫ = {theta[i]:R}, device body {td * theta0:R}, relative difference {parTd:E2}");
        }
    }
}
