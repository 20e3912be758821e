using NtkSharp.Kernels;

namespace NtkSharp.Prediction;

/// <summary>The spectrum of a kernel over a group orbit, block by irrep (see <see cref="KernelSpectrum.OverGroup"/>).</summary>
public sealed class GroupSpectrum
{
    internal GroupSpectrum(string groupName, int groupOrder, int inputCount, KernelOutputs kernel, IReadOnlyList<IrrepBlock> blocks,
        double orbitTrace, double symmetryViolation)
    {
        GroupName = groupName;
        GroupOrder = groupOrder;
        InputCount = inputCount;
        Kernel = kernel;
        Blocks = blocks;
        OrbitTrace = orbitTrace;
        SymmetryViolation = symmetryViolation;
    }

    /// <summary>The group's name.</summary>
    public string GroupName { get; }

    /// <summary>|G|.</summary>
    public int GroupOrder { get; }

    /// <summary>N, the number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>Which kernel (Ntk or Nngp).</summary>
    public KernelOutputs Kernel { get; }

    /// <summary>One block per irrep, the trivial one first.</summary>
    public IReadOnlyList<IrrepBlock> Blocks { get; }

    /// <summary>tr of the orbit Gram matrix, |G|·Σᵢ K(xᵢ, xᵢ).</summary>
    public double OrbitTrace { get; }

    /// <summary>The measured relative violation of K(ρ(g)x, ρ(g)x') = K(x, x') on the data (see
    /// <see cref="KernelSpectrum.OverGroup"/>).</summary>
    public double SymmetryViolation { get; }

    /// <summary>The block of the irrep named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No irrep of that name.</exception>
    public IrrepBlock this[string name] => Blocks.FirstOrDefault(b => b.Name == name)
        ?? throw new KeyNotFoundException($"{GroupName} has no irrep named '{name}'; its irreps are {string.Join(", ", Blocks.Select(b => b.Name))}.");

    /// <summary>All N·|G| eigenvalues of the orbit Gram matrix (each block's repeated dim ρ times), descending.</summary>
    public double[] OrbitGramEigenvalues()
    {
        var all = new List<double>(InputCount * GroupOrder);
        foreach (var b in Blocks)
        {
            for (int r = 0; r < b.Dimension; r++) all.AddRange(b.Eigenvalues);
        }
        all.Sort((a, c) => c.CompareTo(a));
        return all.ToArray();
    }
}
