using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Finite.Ensembles;
using NtkSharp.Layers;
using NtkSharp.Tests.Convolutions;
using NtkSharp.Tests.TestSupport;
using Xunit;

namespace NtkSharp.Tests.Group;

/// <summary>Finite GCNNs: hand-written backpropagation against central finite differences, the empirical NTK against
/// the Jacobian's Gram matrix, and ensemble training.</summary>
public class GroupFiniteTests
{
    public static TheoryData<PlanarGroup, GroupSupport, Padding> Cases() => new()
    {
        { PlanarGroup.P4, GroupSupport.Full, Padding.Same },
        { PlanarGroup.P4M, GroupSupport.Identity, Padding.Circular },
        { PlanarGroup.P4M, GroupSupport.Full, Padding.Same },
    };

    private static Layer Net(PlanarGroup g, GroupSupport support, Padding padding, Parameterization par = Parameterization.Ntk) => Stax.Serial(
        Stax.LiftingConv(3, g, (3, 3), padding, wStd: 1.3, bStd: 0.2, parameterization: par), Stax.Relu(),
        Stax.GroupConv(2, g, (3, 3), padding, bStd: 0.3, support: support, parameterization: par), Stax.Erf(),
        Stax.GroupPool(), Stax.GlobalAvgPool(), Stax.Dense(2, bStd: 0.1));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_RandomCotangent_MatchesCentralFiniteDifferences(PlanarGroup g, GroupSupport support, Padding padding)
    {
        var net = FiniteNetwork.Create(Net(g, support, padding, Parameterization.Standard), 4, 3, 2);
        var p = net.Init(5);
        var x = ConvTestData.Images(101, 2, 4, 3, 2);
        FiniteDifferences.AssertGradientMatches(net, p, x, 2);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EmpiricalNtk_EqualsJacobianGram(PlanarGroup g, GroupSupport support, Padding padding)
    {
        var net = FiniteNetwork.Create(Net(g, support, padding), 4, 4, 1);
        var p = net.Init(6);
        var x = ConvTestData.Images(102, 3, 4, 4, 1);
        var j = net.Jacobian(p, x); // (N·K) × P
        var gram = j * j.Transpose();
        var ntk = net.EmpiricalNtk(p, x);
        int k = net.OutputSize;
        for (int a = 0; a < 3; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                double s = 0;
                for (int o = 0; o < k; o++) s += gram[a * k + o, b * k + o];
                s /= k;
                Assert.True(Math.Abs(s - ntk[a, b]) <= 1e-10 * (1 + Math.Abs(s)), $"Θ̂[{a},{b}] = {ntk[a, b]:G12}, from the Jacobian {s:G12}");
            }
        }
    }

    [Fact]
    public void Train_GcnnEnsemble_LowersTheLossAndStaysExactlyInvariant()
    {
        var layer = Net(PlanarGroup.P4M, GroupSupport.Full, Padding.Circular);
        var x = ConvTestData.Images(103, 4, 4, 4, 1);
        var y = Matrix<double>.Build.Dense(4, 2, (i, o) => Math.Sin(i + 2.0 * o));
        var test = ConvTestData.Images(104, 2, 4, 4, 1);
        var turned = ConvTestData.Remap(test, GroupInvarianceTests.PointMaps(4, true)[5]);
        var both = new Tensor([.. test.Data, .. turned.Data], [4, 4, 4, 1]);
        var result = Ensemble.Train(layer, x, y, both, new EnsembleOptions { Members = 3, LearningRate = 1.0, Checkpoints = [0, 40], Seed = 4 });
        double first = result.MeanTrainingLoss(0), last = result.MeanTrainingLoss(1);
        Assert.True(last < 0.7 * first, $"training loss {first:G4} → {last:G4}");
        for (int m = 0; m < 3; m++)
        {
            var f = result.MemberOutput(1, m);
            double d = (f.SubMatrix(0, 2, 0, 2) - f.SubMatrix(2, 2, 0, 2)).Enumerate().Max(Math.Abs);
            Assert.True(d <= 1e-10 * (1 + f.Enumerate().Max(Math.Abs)), $"member {m}: max |f(g·x) − f(x)| after training = {d:E3}");
        }
    }
}
