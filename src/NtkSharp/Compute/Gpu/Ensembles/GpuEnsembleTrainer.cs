using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp.Finite;
using NtkSharp.Finite.Ensembles;

namespace NtkSharp.Compute.Gpu.Ensembles;

/// <summary>
/// Trains all members of an ensemble together on a GPU context, step for step as the CPU <see cref="Trainer"/> trains
/// each one: the same initial parameters (<see cref="FiniteNetwork.InitInto"/> stream m, drawn on the host and
/// uploaded), the same mini-batches (<see cref="EpochShuffle"/>, as per-member index tables uploaded each step), the
/// same loss, checkpoints and divergence rule. Each step is one forward and one backward pass of all members
/// (<see cref="DeviceNetwork"/>), a loss kernel whose M losses come back to the host for the divergence check, and the
/// update θ ← θ − η·g on the device.
/// </summary>
internal static class GpuEnsembleTrainer
{
    public static EnsembleResult Train(ComputeContext device, FiniteNetwork net, Tensor xTrain, double[] y, Tensor xTest, int[] steps,
        EnsembleOptions o, IProgress<EnsembleProgress>? progress, CancellationToken ct)
    {
        DeviceNetwork.CheckSupported(net.Graph);
        ct.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        int members = o.Members, p = net.ParameterCount, nTrain = xTrain.Count, nTest = xTest.Count, k = net.OutputSize;
        int d = net.Graph.InputSize, block = nTest * k, capacity = Math.Max(nTrain, nTest);
        var parameters = new double[checked((long)members * p)];
        for (int m = 0; m < members; m++) net.InitInto(parameters.AsSpan(m * p, p), o.Seed, m);
        var ntk0 = o.RecordNtk ? Trainer.Ntk(net, parameters.AsSpan(0, p), xTrain) : null;
        var outputs = new double[checked((long)steps.Length * members * block)];
        var losses = new double[steps.Length * members];
        var snapshots = o.KeepParameters ? Ensemble.SnapshotBuffer(steps.Length, members, p) : null;
        (int Member, int Step, double Loss)? divergence;
        lock (device.Gate)
        {
            var accelerator = device.Accelerator;
            var kernels = device.Kernels.Ensemble;
            var gemm = new BatchedGemm(kernels, device.DeviceGemm);
            using var network = new DeviceNetwork(accelerator, kernels, gemm, net.Graph, members, capacity);
            network.Parameters.View.CopyFromCPU(parameters);
            using var state = new DeviceData(accelerator, xTrain, y, xTest, members, o.BatchSize);
            divergence = new Run(network, kernels, state, o, steps, nTrain, nTest, k, d, capacity, outputs, losses, snapshots, progress, ct).Execute();
            if (divergence is null && o.RecordNtk)
            {
                ArrayView<double> all = network.Parameters.View;
                all.SubView(0, p).CopyToCPU(parameters.AsSpan(0, p));
            }
        }
        if (divergence is { } div) throw Ensemble.Diverged(net, xTrain, xTest, y.Length, o, div.Member, div.Step, div.Loss);
        var ntk1 = o.RecordNtk ? Trainer.Ntk(net, parameters.AsSpan(0, p), xTrain) : null;
        Ensemble.CheckOutputs(outputs, xTest, net);
        return new EnsembleResult(steps, members, nTest, k, outputs, losses, ntk0, ntk1, clock.Elapsed, net, snapshots);
    }

    /// <summary>The training data on the device, and the mini-batch buffers and index tables when training by SGD.</summary>
    private sealed class DeviceData : IDisposable
    {
        public DeviceData(Accelerator accelerator, Tensor xTrain, double[] y, Tensor xTest, int members, int? batch)
        {
            try
            {
                XTrain = accelerator.Allocate1D(xTrain.Data);
                XTest = accelerator.Allocate1D(xTest.Data);
                Y = accelerator.Allocate1D(y);
                Losses = accelerator.Allocate1D<double>(members);
                if (batch is { } b)
                {
                    int d = xTrain.ExampleSize, k = y.Length / xTrain.Count;
                    BatchX = accelerator.Allocate1D<double>((long)members * b * d);
                    BatchY = accelerator.Allocate1D<double>((long)members * b * k);
                    Indices = accelerator.Allocate1D<int>((long)members * b);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public MemoryBuffer1D<double, Stride1D.Dense> XTrain { get; } = null!;

        public MemoryBuffer1D<double, Stride1D.Dense> XTest { get; } = null!;

        public MemoryBuffer1D<double, Stride1D.Dense> Y { get; } = null!;

        public MemoryBuffer1D<double, Stride1D.Dense> Losses { get; } = null!;

        public MemoryBuffer1D<double, Stride1D.Dense>? BatchX { get; }

        public MemoryBuffer1D<double, Stride1D.Dense>? BatchY { get; }

        public MemoryBuffer1D<int, Stride1D.Dense>? Indices { get; }

        public void Dispose()
        {
            XTrain?.Dispose();
            XTest?.Dispose();
            Y?.Dispose();
            Losses?.Dispose();
            BatchX?.Dispose();
            BatchY?.Dispose();
            Indices?.Dispose();
        }
    }

    /// <summary>The step loop of one training run (device work under the context's gate).</summary>
    private sealed class Run(DeviceNetwork network, EnsembleKernelSet kernels, DeviceData data, EnsembleOptions o, int[] steps,
        int nTrain, int nTest, int k, int d, int capacity, double[] outputs, double[] losses, double[]? snapshots, IProgress<EnsembleProgress>? progress,
        CancellationToken ct)
    {
        private readonly int _members = o.Members;
        private readonly double[] _threshold = Enumerable.Repeat(double.NaN, o.Members).ToArray();
        private readonly double[] _loss = new double[o.Members];

        /// <summary>Trains to the last checkpoint; returns the divergence (lowest member at the earliest step) or null.</summary>
        public (int Member, int Step, double Loss)? Execute()
        {
            var trainInput = new MemberBatch(data.XTrain, 0, 0);
            var testInput = new MemberBatch(data.XTest, 0, 0);
            var targets = new MemberBatch(data.Y, 0, 0);
            int batch = o.BatchSize ?? nTrain, block = nTest * k, total = steps[^1], ci = 0;
            var shuffles = new EpochShuffle[_members];
            var indices = o.BatchSize is null ? Array.Empty<int>() : new int[_members * batch];
            for (int m = 0; m < _members && o.BatchSize is not null; m++) shuffles[m] = new EpochShuffle(o.Seed, m, nTrain, new int[nTrain]);
            var host = new double[(long)_members * capacity * k];
            long done = 0, totalWork = (long)_members * total, reportEvery = Math.Max(1, totalWork / 1000);
            bool forwardCurrent = false;
            for (int step = 0; ; step++)
            {
                if (ci < steps.Length && steps[ci] == step)
                {
                    network.DropoutKey = null; // test outputs in test mode, as the CPU trainer
                    network.Forward(testInput, nTest);
                    network.Output.Buffer.View.CopyToCPU(host);
                    (int Member, int Step, double Loss)? bad = null;
                    for (int m = _members - 1; m >= 0; m--)
                    {
                        var f = host.AsSpan((int)((long)m * capacity * k), block);
                        if (!IsFinite(f)) bad = (m, step, double.PositiveInfinity);
                        f.CopyTo(outputs.AsSpan((int)(((long)ci * _members + m) * block), block));
                    }
                    if (snapshots is not null)
                    {
                        ArrayView<double> all = network.Parameters.View;
                        int size = (int)all.Length;
                        all.CopyToCPU(snapshots.AsSpan(ci * size, size));
                    }
                    network.DropoutKey = DropoutMask.CallKey(o.Seed, step, DropoutMask.TrainPhase);
                    network.Forward(trainInput, nTrain);
                    forwardCurrent = true;
                    Losses(nTrain, targets);
                    for (int m = 0; m < _members; m++) losses[ci * _members + m] = _loss[m];
                    if (Check(step) is { } div && (bad is null || div.Member < bad.Value.Member)) bad = div;
                    if (bad is not null) return bad;
                    ci++;
                }
                if (step == total) return null;
                ct.ThrowIfCancellationRequested();
                long before = done;
                done += _members;
                if (progress is not null && (done / reportEvery != before / reportEvery || done == totalWork))
                    progress.Report(new EnsembleProgress(done, totalWork));
                int nb;
                MemberBatch yb;
                if (o.BatchSize is null)
                {
                    network.DropoutKey = DropoutMask.CallKey(o.Seed, step, DropoutMask.TrainPhase);
                    if (!forwardCurrent) network.Forward(trainInput, nTrain);
                    nb = nTrain;
                    yb = targets;
                }
                else
                {
                    for (int m = 0; m < _members; m++) shuffles[m].Next(batch).CopyTo(indices.AsSpan(m * batch, batch));
                    data.Indices!.View.CopyFromCPU(indices);
                    kernels.Gather(_members, batch, d, data.XTrain.View, data.Indices.View, data.BatchX!.View);
                    kernels.Gather(_members, batch, k, data.Y.View, data.Indices.View, data.BatchY!.View);
                    network.DropoutKey = DropoutMask.CallKey(o.Seed, step, DropoutMask.BatchPhase);
                    network.Forward(new MemberBatch(data.BatchX, 0, (long)batch * d), batch);
                    nb = batch;
                    yb = new MemberBatch(data.BatchY, 0, (long)batch * k);
                }
                forwardCurrent = false;
                Losses(nb, yb);
                if (Check(step) is { } diverged) return diverged;
                network.Backward(nb);
                kernels.Step(network.Parameters.Length, network.Parameters.View, network.Gradient.View, -o.LearningRate);
            }
        }

        /// <summary>Residuals into the output gradient and every member's loss over <paramref name="examples"/> rows.</summary>
        private void Losses(int examples, MemberBatch targets)
        {
            kernels.Residual(_members, examples * k, network.Output, targets, network.OutputGradient, data.Losses.View);
            data.Losses.View.CopyToCPU(_loss);
        }

        /// <summary>Sets each member's threshold from its first loss; returns the lowest member over it, if any.</summary>
        private (int Member, int Step, double Loss)? Check(int step)
        {
            for (int m = 0; m < _members; m++)
            {
                if (double.IsNaN(_threshold[m])) _threshold[m] = o.DivergenceFactor * (_loss[m] + 1.0);
                if (!(_loss[m] <= _threshold[m])) return (m, step, _loss[m]);
            }
            return null;
        }

        private static bool IsFinite(ReadOnlySpan<double> values)
        {
            foreach (double v in values)
            {
                if (!double.IsFinite(v)) return false;
            }
            return true;
        }
    }
}
