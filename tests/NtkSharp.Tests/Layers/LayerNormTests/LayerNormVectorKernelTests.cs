using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Layers.LayerNormTests;

/// <summary>
/// LayerNorm on vectors (the fused FC program) against the independent layer-by-layer reference of
/// <see cref="VectorReference"/>: after Dense (neural-tangents' K/√((K₁₁ + ε)(K₂₂ + ε))), after nonlinearities with a
/// non-zero mean (ReLU, Erf with c ≠ 0, Exp, Gelu: the mean E[φ(u)] subtracted), on the raw input, after FanInSum and in
/// residual branches, in both parameterisations; to 1e-9 relative to the kernel's diagonal scale.
/// </summary>
public class LayerNormVectorKernelTests
{
    private const double Tolerance = 1e-9;

    private static readonly double[] X1 = [0.9, -0.4, 1.3, 0.2, -0.7];
    private static readonly double[] X2 = [-0.2, 0.8, 0.5, 1.1, 0.3];

    private static double ReluFn(double x) => Math.Max(x, 0);

    private static double Step(double x) => x > 0 ? 1 : 0;

    private static double ErfAbc(double x) => 0.8 * MathNet.Numerics.SpecialFunctions.Erf(1.5 * x) + 0.3;

    private static double ErfAbcDerivative(double x) => 0.8 * 1.5 * 2 / Math.Sqrt(Math.PI) * Math.Exp(-2.25 * x * x);

    private static double GeluFn(double x) => x * 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    private static double GeluDerivative(double x) =>
        0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2)) + x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);

    public static TheoryData<string> Names() => [.. Cases.Keys];

    private static readonly Dictionary<string, (Layer Net, Func<VectorReference, VectorReference> Reference)> Cases = new()
    {
        // neural-tangents' formula: after an affine layer μ = 0.
        ["AfterDense"] = (Serial(Dense(64, wStd: 1.3, bStd: 0.2), LayerNorm(), Dense(1, wStd: 0.9, bStd: 0.1)),
            r => r.Dense(1.3, 0.2).LayerNorm().Dense(0.9, 0.1)),
        ["AfterDenseStandard"] = (Serial(Dense(64, wStd: 1.3, bStd: 0.2, parameterization: Parameterization.Standard), LayerNorm(),
                Dense(3, wStd: 0.9, bStd: 0.1, parameterization: Parameterization.Standard)),
            r => r.Dense(1.3, 0.2, true, 5).LayerNorm().Dense(0.9, 0.1, true, 64)),
        ["AfterRelu"] = (Serial(Dense(64, wStd: 1.2, bStd: 0.3), Relu(), LayerNorm(), Dense(1)),
            r => r.Dense(1.2, 0.3).Phi(ReluFn, Step, degree: 1).LayerNorm().Dense(1)),
        ["AfterReluStandard"] = (Serial(Dense(64, wStd: 1.2, parameterization: Parameterization.Standard), Relu(), LayerNorm(),
                Dense(1, bStd: 0.5, parameterization: Parameterization.Standard)),
            r => r.Dense(1.2, 0, true, 5).Phi(ReluFn, Step, degree: 1).LayerNorm().Dense(1, 0.5, true, 64)),
        ["AfterErfWithOffset"] = (Serial(Dense(64, wStd: 1.1, bStd: 0.1), Erf(0.8, 1.5, 0.3), LayerNorm(), Dense(1)),
            r => r.Dense(1.1, 0.1).Phi(ErfAbc, ErfAbcDerivative).LayerNorm().Dense(1)),
        ["AfterExp"] = (Serial(Dense(64, wStd: 0.9), Exp(0.5, 0.6), LayerNorm(), Dense(1, bStd: 0.2)),
            r => r.Dense(0.9).Phi(x => 0.5 * Math.Exp(0.6 * x), x => 0.3 * Math.Exp(0.6 * x)).LayerNorm().Dense(1, 0.2)),
        ["AfterGeluTwice"] = (Serial(Dense(64, bStd: 0.1), Gelu(), LayerNorm(), Dense(64, wStd: 1.4), Gelu(), LayerNorm(), Dense(1)),
            r => r.Dense(1, 0.1).Phi(GeluFn, GeluDerivative).LayerNorm().Dense(1.4).Phi(GeluFn, GeluDerivative).LayerNorm().Dense(1)),
        // Then a nonlinearity: the output of a LayerNorm of a Gaussian signal is Gaussian.
        ["ThenRelu"] = (Serial(Dense(64, wStd: 1.5, bStd: 0.4), LayerNorm(), Relu(), LayerNorm(), Dense(1)),
            r => r.Dense(1.5, 0.4).LayerNorm().Phi(ReluFn, Step, degree: 1).LayerNorm().Dense(1)),
        // The raw input: its own channel means (the kernel of the normalised inputs).
        ["RawInput"] = (Serial(LayerNorm(), Dense(1, bStd: 0.3)), r => r.LayerNorm().Dense(1, 0.3)),
        ["RawInputEps"] = (Serial(LayerNorm(eps: 0.25), Dense(1)), r => r.LayerNorm(0.25).Dense(1)),
        // FanInSum of a fresh branch and a ReLU (mean μ_relu + 0), then LayerNorm.
        ["AfterFanInSum"] = (Serial(Dense(64, bStd: 0.2), FanOut(2), Parallel(Serial(Relu(), Dense(64, wStd: 1.3)), Relu()), FanInSum(),
                LayerNorm(), Dense(1)),
            r =>
            {
                var h = r.Dense(1, 0.2).Phi(ReluFn, Step, degree: 1);
                return h.Dense(1.3).Plus(h).LayerNorm().Dense(1);
            }),
        // Dropout (train mode) before and after: the self variances scaled by 1/rate, pairs of examples unchanged.
        ["AroundDropout"] = (Serial(Dense(64, wStd: 1.2, bStd: 0.1), Relu(), Dropout(0.7), LayerNorm(), Dense(64), Dropout(0.8), LayerNorm(), Dense(1)),
            r => r.Dense(1.2, 0.1).Phi(ReluFn, Step, degree: 1).Dropout(0.7).LayerNorm().Dense(1).Dropout(0.8).LayerNorm().Dense(1)),
        // A pre-norm residual block: LayerNorm inside the branch, then after the sum.
        ["ResidualBranch"] = (Serial(Dense(64, bStd: 0.1), FanOut(2), Parallel(Serial(Relu(), LayerNorm(), Dense(64, wStd: 1.2)), Identity()),
                FanInSum(), LayerNorm(), Dense(1)),
            r =>
            {
                var h = r.Dense(1, 0.1);
                return h.Phi(ReluFn, Step, degree: 1).LayerNorm().Dense(1.2).Plus(h).LayerNorm().Dense(1);
            }),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Compute_TwoInputs_MatchesIndependentReference(string name)
    {
        var (net, reference) = Cases[name];
        var x = Matrix<double>.Build.DenseOfRowArrays(X1, X2);
        var result = new KernelFunction(net).Compute(x);
        var r = reference(VectorReference.Input(X1, X2));
        Close(name + " NNGP", result.Nngp!, r.K11, r.K12, r.K22);
        Close(name + " NTK", result.Ntk!, r.T11, r.T12, r.T22);
        var cross = new KernelFunction(net).Compute(x.SubMatrix(0, 1, 0, 5), x.SubMatrix(1, 1, 0, 5));
        Close(name + " NNGP x1×x2", cross.Nngp![0, 0], r.K12, Math.Sqrt(r.K11 * r.K22));
        Close(name + " NTK x1×x2", cross.Ntk![0, 0], r.T12, Math.Sqrt(r.T11 * r.T22));
    }

    private static void Close(string what, Matrix<double> m, double k11, double k12, double k22)
    {
        double scale = Math.Max(Math.Abs(k11), Math.Abs(k22));
        Close(what + "[0,0]", m[0, 0], k11, scale);
        Close(what + "[0,1]", m[0, 1], k12, scale);
        Close(what + "[1,0]", m[1, 0], k12, scale);
        Close(what + "[1,1]", m[1, 1], k22, scale);
    }

    private static void Close(string what, double actual, double expected, double scale) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * scale,
            $"{what}: engine {actual:R}, reference {expected:R}, difference {Math.Abs(actual - expected) / scale:E2} of the scale");
}
