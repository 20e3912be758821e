using NtkSharp.Kernels;
using NtkSharp.Layers;
using Xunit;

namespace NtkSharp.Tests.Kernels;

public class ReluKernelClosedFormTests
{
    /// <summary>One hidden ReLU layer, NTK parameterisation, no bias: the arc-cosine closed form
    /// K = |x||x'|/(2πd)·(sin θ + (π − θ) cos θ) (Cho &amp; Saul 2009), Θ = K + (x·x'/d)(π − θ)/(2π).</summary>
    [Fact]
    public void Compute_OneHiddenReluLayer_MatchesArcCosineClosedForm()
    {
        var x = new double[,] { { 1.0, 2.0, -0.5 }, { -1.0, 0.3, 2.0 }, { 0.5, 0.5, 0.5 } };
        var kf = new KernelFunction(Stax.Serial(Stax.Dense(100), Stax.Relu(), Stax.Dense(1)));
        var r = kf.Compute(x);
        int d = 3;
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double dot = 0, ni = 0, nj = 0;
                for (int c = 0; c < d; c++)
                {
                    dot += x[i, c] * x[j, c];
                    ni += x[i, c] * x[i, c];
                    nj += x[j, c] * x[j, c];
                }
                double cos = Math.Clamp(dot / Math.Sqrt(ni * nj), -1, 1);
                double th = Math.Acos(cos);
                double k = Math.Sqrt(ni * nj) / d / (2 * Math.PI) * (Math.Sin(th) + (Math.PI - th) * cos);
                double ntk = k + dot / d * (Math.PI - th) / (2 * Math.PI);
                Assert.Equal(k, r.Nngp![i, j], 1e-7);
                Assert.Equal(ntk, r.Ntk![i, j], 1e-7);
            }
        }
    }
}
