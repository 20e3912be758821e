using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Symmetry;
using Xunit;

namespace NtkSharp.Tests.Symmetry;

public class EquivarianceMetricTests
{
    private static readonly Tensor Points = new([1.0, 0.5, -0.3, 2.0, 0.7, -1.2], 3, 2);

    [Fact]
    public void Measure_ExactlyInvariantFunction_ZeroErrorFullOrbitCounts()
    {
        // f(x) = (|x|², x₁²x₂², 1) is invariant under D4.
        var g = Groups.D4([2]);
        var report = Equivariance.Measure(x => Matrix<double>.Build.Dense(x.Count, 3, (i, c) =>
        {
            double a = x.Data[2 * i], b = x.Data[2 * i + 1];
            return c == 0 ? a * a + b * b : c == 1 ? a * a * b * b : 1.0;
        }), g, Points);
        Assert.True(report.MaxRelativeError < 1e-15);
        Assert.True(report.MaxOrbitRelativeStd < 1e-15);
        Assert.All(report.OrbitSameCounts!, c => Assert.Equal(8, c));
        Assert.Equal(8, report.GroupOrder);
    }

    [Fact]
    public void Measure_ExactlyEquivariantFunction_ZeroErrorUnderVectorRepresentation()
    {
        // f(x) = |x|·x is D4-equivariant on ℝ²; as an invariant target it is not.
        Matrix<double> F(Tensor x) => Matrix<double>.Build.Dense(x.Count, 2, (i, c) =>
            Math.Sqrt(x.Data[2 * i] * x.Data[2 * i] + x.Data[2 * i + 1] * x.Data[2 * i + 1]) * x.Data[2 * i + c]);
        var eq = Equivariance.Measure(F, Groups.D4([2], OutputRepresentation.Vector), Points);
        Assert.True(eq.MaxRelativeError < 1e-15);
        Assert.True(eq.MaxOrbitRelativeStd < 1e-15);
        var inv = Equivariance.Measure(F, Groups.D4([2]), Points);
        Assert.True(inv.MaxRelativeError > 1.0);
    }

    [Fact]
    public void Measure_LinearFunctionUnderC4_MatchesHandComputedErrorsAndCounts()
    {
        // f(x) = (x₁, 0): rotating by 90° gives f(rx) = (−x₂, 0); relative error |x₁ + x₂|/|x₁| for invariant targets.
        var g = Groups.C4([2]);
        var x = new Tensor([1.0, 0.5], 1, 2);
        var report = Equivariance.Measure(t => Matrix<double>.Build.Dense(t.Count, 2, (i, c) => c == 0 ? t.Data[2 * i] : 0.0), g, x);
        // r: (−0.5, 0) vs (1, 0) → 1.5; r²: (−1, 0) → 2; r³: (0.5, 0) → 0.5.
        Assert.Equal(0, report.RelativeErrors[0, 0]);
        Assert.Equal(1.5, report.RelativeErrors[0, 1], 14);
        Assert.Equal(2.0, report.RelativeErrors[0, 2], 14);
        Assert.Equal(0.5, report.RelativeErrors[0, 3], 14);
        Assert.Equal(2.0, report.MaxRelativeError, 14);
        Assert.Equal(4.0 / 3.0, report.MeanRelativeError, 14);
        // argmax of (1, 0) is 0; of (−0.5, 0) and (−1, 0) it is 1; of (0.5, 0) it is 0: identity and r³ agree.
        Assert.Equal(2, report.OrbitSameCounts![0]);
        // z over the orbit: 1, −0.5, −1, 0.5 in the first output: mean 0 → relative spread +∞.
        Assert.True(double.IsPositiveInfinity(report.OrbitRelativeStd[0]));
    }

    [Fact]
    public void Measure_WrongPredictorShape_Throws()
    {
        var g = Groups.C4([2]);
        Assert.Throws<ArgumentException>(() => Equivariance.Measure(t => Matrix<double>.Build.Dense(1, 1), g, Points));
        Assert.Throws<ArgumentException>(() => Equivariance.Measure(t => Matrix<double>.Build.Dense(t.Count, 1, double.NaN), g, Points));
        Assert.Throws<ArgumentException>(() => Equivariance.Measure(t => Matrix<double>.Build.Dense(t.Count, 3), Groups.C4([2], OutputRepresentation.Vector), Points));
        Assert.Throws<ArgumentException>(() => Equivariance.Measure(t => Matrix<double>.Build.Dense(t.Count, 1), g, new Tensor(new double[3], 1, 3)));
    }

    [Fact]
    public void ToString_LinearFunctionUnderC4_PrintsTheHandComputedErrorsReadably()
    {
        // As above: relative errors 0, 1.5, 2, 0.5 for the single input; two outputs, so orbit-same counts are defined.
        var g = Groups.C4([2]);
        var report = Equivariance.Measure(t => Matrix<double>.Build.Dense(t.Count, 2, (i, c) => c == 0 ? t.Data[2 * i] : 0.0), g,
            new Tensor([1.0, 0.5], 1, 2));
        string text = report.ToString();
        Assert.DoesNotContain("System.", text);
        Assert.Contains("|G| = 4, 1 inputs", text);
        Assert.Contains("max 2", text);
        Assert.Contains("input 0: relative errors [0, 1.5, 2, 0.5]", text);
        Assert.Contains("t = n/a", text);
    }
}
