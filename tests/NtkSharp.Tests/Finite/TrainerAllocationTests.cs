using NtkSharp.Finite;
using NtkSharp.Finite.Ensembles;
using Xunit;
using static NtkSharp.Layers.Stax;

namespace NtkSharp.Tests.Finite;

public class TrainerAllocationTests
{
    /// <summary>The step loop reuses its buffers: 200 more steps allocate (almost) nothing more than 10 steps.</summary>
    [Fact]
    public void Run_MoreSteps_AllocateNoMoreOnTheTrainingThread()
    {
        var net = FiniteNetwork.Create(Serial(Dense(32, bStd: 0.1), Relu(), Dense(32), Erf(), Dense(2)), 3);
        var x = new double[] { 1, 0.5, -0.3, 0.2, -1, 0.8, 0.4, 0.4, 0.1, -0.6, 0.3, 1.2 };
        var y = new double[] { 0.1, -0.2, 0.3, 0.0, -0.5, 0.2, 0.7, -0.1 };
        var trainer = new Trainer(net, 4);
        long Allocated(int steps, int? batch)
        {
            var o = new EnsembleOptions { Members = 1, LearningRate = 0.1, Checkpoints = [steps], BatchSize = batch };
            var outputs = new double[2 * 2];
            var losses = new double[1];
            trainer.Run(0, o, x, y, x, 4, 2, [steps], outputs, losses, 4, () => true); // warm-up (JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Run(0, o, x, y, x, 4, 2, [steps], outputs, losses, 4, () => true);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        // Warm up both paths long enough for tiered JIT / on-stack replacement to finish, so that the measured runs
        // see only the training loop's own allocations (a loaded CI machine otherwise tiers up mid-measurement).
        for (int round = 0; round < 3; round++)
        {
            Allocated(500, null);
            Allocated(500, 2);
        }
        foreach (int? batch in new int?[] { null, 2 })
        {
            long few = Allocated(10, batch), many = Allocated(210, batch);
            Assert.True(many - few < 1024, $"batch {batch}: 200 extra steps allocated {many - few} bytes");
        }
    }
}
