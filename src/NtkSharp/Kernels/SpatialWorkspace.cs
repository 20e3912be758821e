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
    }

    /// <summary>Bytes one workspace holds for <paramref name="program"/>.</summary>
    public static long Bytes(SpatialProgram program) =>
        8L * ((2L * program.Registers + 1) * program.MaxSize) + 256L * program.Registers;

    public double[][] K { get; }

    public double[][] T { get; }

    public double[] Tmp { get; }
}
