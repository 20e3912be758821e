namespace NtkSharp.Kernels;

/// <summary>The per-thread scratch of a <see cref="SpatialProgram"/>: one (K, Θ) tensor per register and one temporary,
/// each of <see cref="SpatialProgram.MaxSize"/> doubles, reused for every pair a thread computes.</summary>
internal sealed class SpatialWorkspace
{
    public SpatialWorkspace(SpatialProgram program)
    {
        K = new double[program.Registers][];
        T = new double[program.Registers][];
        for (int r = 0; r < program.Registers; r++)
        {
            K[r] = new double[program.MaxSize];
            T[r] = new double[program.MaxSize];
        }
        Tmp = new double[program.MaxSize];
        GroupMid = new double[program.GroupScratch];
        if (program.NeedsMeans)
        {
            M = new double[program.Registers][];
            for (int r = 0; r < program.Registers; r++) M[r] = new double[program.MaxPositions];
            MeanTmp = new double[program.MaxPositions];
        }
        if (program.Layout == SpatialLayout.Full)
        {
            Var1Plane = new double[program.InW * program.InW];
            Var2Planes = new double[program.InH * program.InW * program.InW];
        }
    }

    /// <summary>Bytes one workspace holds for <paramref name="program"/>.</summary>
    public static long Bytes(SpatialProgram program) =>
        8L * ((2L * program.Registers + 1) * program.MaxSize + program.GroupScratch + (program.Layout == SpatialLayout.Full ? (program.InH + 1L) * program.InW * program.InW : 0)
            + (program.NeedsMeans ? (program.Registers + 1L) * program.MaxPositions : 0)) + 256L * program.Registers;

    public double[][] K { get; }

    public double[][] T { get; }

    public double[] Tmp { get; }

    /// <summary>The first pass of a group convolution's window (<see cref="SpatialProgram.GroupScratch"/> doubles).</summary>
    public double[] GroupMid { get; }

    /// <summary>Per register, the feature mean at each position (the self pass of a program with a LayerNorm,
    /// <see cref="SpatialProgram.NeedsMeans"/>); empty otherwise.</summary>
    public double[][] M { get; } = [];

    /// <summary>Scratch of <see cref="SpatialProgram.MaxPositions"/> doubles for the means' pooling windows.</summary>
    public double[] MeanTmp { get; } = [];

    /// <summary>Full layout: the first input's variances of one [w][w′] plane (v1(h, w) broadcast along w′).</summary>
    public double[] Var1Plane { get; } = [];

    /// <summary>Full layout: per h′, the second input's variances of a [w][w′] plane (v2(h′, w′) repeated along w).</summary>
    public double[] Var2Planes { get; } = [];
}
