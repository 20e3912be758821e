using System.Numerics;
using System.Runtime.InteropServices;
using Matrix = MathNet.Numerics.LinearAlgebra.Matrix<double>;

namespace NtkSharp.Finite.Ensembles;

/// <summary>
/// One worker's training state: a workspace for the largest batch, parameter and gradient vectors and SGD buffers,
/// all allocated once and reused by every member the worker trains.
/// </summary>
internal sealed class Trainer
{
    private readonly FiniteNetwork _net;
    private readonly FiniteWorkspace _ws;
    private readonly double[] _p, _g, _yBatch;
    private readonly int[] _order;

    public Trainer(FiniteNetwork net, int capacity)
    {
        _net = net;
        _ws = new FiniteWorkspace(net.Graph, capacity);
        _p = new double[net.ParameterCount];
        _g = new double[net.ParameterCount];
        _yBatch = new double[capacity * net.OutputSize];
        _order = new int[capacity];
    }

    /// <summary>The empirical NTK on <paramref name="x"/> of the current parameters, or of member
    /// <paramref name="member"/>'s initial parameters when <paramref name="initialise"/>.</summary>
    public Matrix Ntk(long seed, int member, Tensor x, bool initialise)
    {
        if (initialise) _net.InitInto(_p, seed, member);
        return Ntk(_net, _p, x);
    }

    /// <summary>The empirical NTK Θ̂(x, x) of <paramref name="net"/> at parameters <paramref name="parameters"/>.</summary>
    public static Matrix Ntk(FiniteNetwork net, ReadOnlySpan<double> parameters, Tensor x)
    {
        int n = x.Count;
        var ws = new FiniteWorkspace(net.Graph, n, net.OutputSize);
        var t = new double[n * n];
        net.EmpiricalKernelsInto(parameters, ws, x.Data, n, [], t);
        return Matrix.Build.Dense(n, n, (i, j) => t[i * n + j]);
    }

    /// <summary>
    /// Trains member <paramref name="member"/> to the last checkpoint, writing test outputs and full-batch training
    /// losses at the checkpoints. Returns the divergence (step, loss), or null when it finished or was stopped
    /// (<paramref name="tick"/> returned false before a step). When <paramref name="snapshots"/> is given, the member's
    /// parameters at checkpoint c are copied to offset (c·M + member)·P of it.
    /// </summary>
    public (int Step, double Loss)? Run(int member, EnsembleOptions o, double[] x, double[] y, double[] xTest, int nTrain, int nTest,
        int[] steps, double[] outputs, double[] losses, int block, Func<bool> tick, double[]? snapshots = null)
    {
        var graph = _net.Graph;
        int k = _net.OutputSize, members = o.Members, inSize = graph.InputSize;
        _net.InitInto(_p, o.Seed, member);
        var shuffle = new EpochShuffle(o.Seed, member, nTrain, _order);
        int batch = o.BatchSize ?? nTrain;
        bool fullBatch = batch == nTrain && o.BatchSize is null;
        double eta = o.LearningRate, threshold = double.NaN;
        bool inputHoldsTrain = false, forwardCurrent = false;
        int ci = 0, total = steps[^1];
        for (int step = 0; ; step++)
        {
            if (ci < steps.Length && steps[ci] == step)
            {
                _ws.DropoutKey = null; // test outputs in test mode (what Evaluate reproduces)
                var ft = _net.Forward(_p, _ws, xTest, nTest);
                for (int i = 0; i < ft.Length; i++)
                {
                    if (!double.IsFinite(ft[i])) return (step, double.PositiveInfinity);
                }
                ft.CopyTo(outputs.AsSpan((int)(((long)ci * members + member) * block), block));
                if (snapshots is not null) _p.CopyTo(snapshots.AsSpan((int)(((long)ci * members + member) * _p.Length), _p.Length));
                _ws.DropoutKey = DropoutMask.MemberKey(DropoutMask.CallKey(o.Seed, step, DropoutMask.TrainPhase), member);
                var f = _net.Forward(_p, _ws, x, nTrain);
                inputHoldsTrain = forwardCurrent = true;
                double loss = Loss(f, y, []);
                losses[ci * members + member] = loss;
                if (double.IsNaN(threshold)) threshold = o.DivergenceFactor * (loss + 1.0);
                if (!(loss <= threshold)) return (step, loss);
                ci++;
            }
            if (step == total) return null;
            if (!tick()) return null;
            Span<double> fb;
            ReadOnlySpan<double> yb;
            int nb;
            if (fullBatch)
            {
                if (!forwardCurrent)
                {
                    _ws.DropoutKey = DropoutMask.MemberKey(DropoutMask.CallKey(o.Seed, step, DropoutMask.TrainPhase), member);
                    if (!inputHoldsTrain) x.AsSpan(0, nTrain * inSize).CopyTo(_ws.Value(0, nTrain));
                    graph.Forward(_p, _ws, nTrain);
                    inputHoldsTrain = true;
                }
                nb = nTrain;
                fb = _ws.Value(graph.Output, nb);
                yb = y;
            }
            else
            {
                var indices = shuffle.Next(batch);
                var input = _ws.Value(0, batch);
                for (int b = 0; b < batch; b++)
                {
                    int e = indices[b];
                    x.AsSpan(e * inSize, inSize).CopyTo(input.Slice(b * inSize, inSize));
                    y.AsSpan(e * k, k).CopyTo(_yBatch.AsSpan(b * k, k));
                }
                inputHoldsTrain = false;
                _ws.DropoutKey = DropoutMask.MemberKey(DropoutMask.CallKey(o.Seed, step, DropoutMask.BatchPhase), member);
                graph.Forward(_p, _ws, batch);
                nb = batch;
                fb = _ws.Value(graph.Output, nb);
                yb = _yBatch.AsSpan(0, nb * k);
            }
            forwardCurrent = false;
            double stepLoss = Loss(fb, yb, _ws.Gradient(graph.Output, nb));
            if (double.IsNaN(threshold)) threshold = o.DivergenceFactor * (stepLoss + 1.0);
            if (!(stepLoss <= threshold)) return (step, stepLoss);
            Array.Clear(_g);
            graph.Backward(_p, _ws, nb, 1, _g);
            Axpy(-eta, _g, _p);
        }
    }

    /// <summary>½·mean((f − y)²); when <paramref name="residual"/> is not empty it receives (f − y)/n.</summary>
    private static double Loss(ReadOnlySpan<double> f, ReadOnlySpan<double> y, Span<double> residual)
    {
        int n = f.Length;
        double s = 0, inv = 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            double r = f[i] - y[i];
            s += r * r;
            if (!residual.IsEmpty) residual[i] = r * inv;
        }
        return 0.5 * s * inv;
    }

    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var va = new Vector<double>(a);
            for (int v = 0; v < vx.Length; v++) vy[v] += va * vx[v];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }
}
