using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Compute.Gpu;

/// <summary>One <see cref="SpatialInstruction"/> as a blittable struct for the device; the window index maps of its
/// axes (<see cref="AxisWindow.Source"/>) live in a shared int table at <see cref="HMap"/>/<see cref="WMap"/>.
/// <see cref="ThetaZero"/> is 1 where the CPU program skips the linear maps of an identically zero Θ. Signals on
/// G × ℤ² hold <see cref="InBlocks"/> tensors (one per u = g′g⁻¹); a group convolution's matrices u = [u₀₀, u₁₀, u₀₁, u₁₁]
/// are in the int table at <see cref="GroupMap"/> + 4u. A quadrature activation's coefficient records (one per position
/// m of its input) are an example's records <see cref="CoeffOffset"/> + m (see <see cref="QuadratureArgs"/>); −1 for
/// other steps.</summary>
internal readonly record struct SpatialDeviceInstruction(
    SpatialOpCode Op, int Reg, int Src, int InH, int InW, int OutH, int OutW,
    double W2, double B2, Parameterization Parameterization, double FanIn, double BiasNtk, double Scale,
    ActivationSpec Activation, int SlotOffset, int ThetaZero,
    int HMap, int HTaps, int HIn, int HOut, int WMap, int WTaps, int WIn, int WOut,
    int InBlocks, int OutBlocks, int GroupMap, int CoeffOffset);

/// <summary>Which pairs of examples a launch's linear pair indices L = First + e stand for.</summary>
internal enum SpatialPairMode
{
    /// <summary>The self pass: example L with itself, recording every nonlinearity's input diagonal.</summary>
    Self = 0,

    /// <summary>(L mod N1, L div N1): the N1×N2 grid in column-major order.</summary>
    Rectangular = 1,

    /// <summary>The strict upper triangle i &lt; j of the symmetric N×N grid, column by column: (0, 1), (0, 2), (1, 2), (0, 3), …</summary>
    StrictUpper = 2,
}

/// <summary>The scalar description of a spatial program and of one launch (a kernel argument).</summary>
/// <param name="Full">1 for the full layout [h][h′][w][w′], 0 for the diagonal layout.</param>
/// <param name="InH">Input height.</param>
/// <param name="InW">Input width.</param>
/// <param name="InC">Input channels.</param>
/// <param name="Slots">Recorded variances per example.</param>
/// <param name="MaxSize">Doubles per register tensor.</param>
/// <param name="Registers">Registers of the program.</param>
/// <param name="WantNtk">1: propagate Θ.</param>
/// <param name="Mode">How linear pair indices map to pairs of examples.</param>
/// <param name="N1">Examples in x1 (the leading dimension of <see cref="SpatialPairMode.Rectangular"/>).</param>
/// <param name="First">The linear pair index of the launch's entry 0.</param>
/// <param name="Count">Pairs in this launch.</param>
/// <param name="Stride">Workspace addressing: the thread kernel's interleave stride (element q of launch entry e at
/// q·Stride + e), or the group kernel's doubles per group slice (element q of group g at g·Stride + q).</param>
/// <param name="Quad">Where the quadrature activations' coefficient records of an example sit.</param>
internal readonly record struct SpatialArgs(int Full, int InH, int InW, int InC, int Slots, int MaxSize, int Registers,
    int WantNtk, SpatialPairMode Mode, int N1, long First, int Count, long Stride, QuadratureArgs Quad);

/// <summary>A <see cref="SpatialProgram"/> flattened for the device: instructions and window maps.</summary>
internal sealed class SpatialDeviceProgram
{
    /// <exception cref="NotSupportedException">An activation of the program has no device body.</exception>
    public SpatialDeviceProgram(SpatialProgram program)
    {
        Program = program;
        foreach (var s in program.Code)
        {
            if (s.Family is { HasDeviceBody: false }) throw ActivationRegistry.NoDeviceBody(s.Layer);
        }
        var maps = new List<int>();
        var code = new SpatialDeviceInstruction[program.Code.Length];
        int sets = 0;
        for (int i = 0; i < code.Length; i++)
        {
            var s = program.Code[i];
            int coeff = -1;
            if (s.Family is { QuadratureDegree: > 0 })
            {
                coeff = sets;
                sets += s.InH * s.InW;
            }
            (int hMap, int hTaps, int hIn, int hOut) = Map(s.AxisH, maps);
            (int wMap, int wTaps, int wIn, int wOut) = Map(s.AxisW, maps);
            code[i] = new SpatialDeviceInstruction(s.Op, s.Reg, s.Src, s.InH, s.InW, s.OutH, s.OutW, s.W2, s.B2,
                s.Standard ? Parameterization.Standard : Parameterization.Ntk, s.FanIn, s.BiasNtk, s.Scale, s.Activation,
                s.SlotOffset, s.ThetaZero ? 1 : 0, hMap, hTaps, hIn, hOut, wMap, wTaps, wIn, wOut, s.InBlocks, s.OutBlocks, GroupMap(s.GroupMatrices, maps), coeff);
        }
        Code = code;
        Maps = maps.Count == 0 ? [0] : [.. maps];
        Quad = new QuadratureArgs(sets, QuadratureMemory.Degree(program.Code.Select(s => s.Family)));
    }

    public SpatialProgram Program { get; }

    public SpatialDeviceInstruction[] Code { get; }

    public int[] Maps { get; }

    /// <summary>The quadrature activations' coefficient records per example (one per position of each).</summary>
    public QuadratureArgs Quad { get; }

    /// <summary>Doubles of device workspace per concurrent pair: K and Θ per register, and a scratch tensor.</summary>
    public long WorkspacePerPair => (2L * Program.Registers + 1) * Program.MaxSize;

    public SpatialArgs Args(bool wantNtk, SpatialPairMode mode, int n1, long first, int count, long stride) => new(
        Program.Layout == SpatialLayout.Full ? 1 : 0, Program.InH, Program.InW, Program.InC, Program.SlotTotal,
        Program.MaxSize, Program.Registers, wantNtk ? 1 : 0, mode, n1, first, count, stride, Quad);

    private static int GroupMap(int[][]? matrices, List<int> maps)
    {
        if (matrices is null) return 0;
        int offset = maps.Count;
        foreach (var u in matrices) maps.AddRange(u);
        return offset;
    }

    private static (int Offset, int Taps, int In, int Out) Map(AxisWindow? axis, List<int> maps)
    {
        if (axis is null) return (0, 0, 0, 0);
        int offset = maps.Count;
        maps.AddRange(axis.Source);
        return (offset, axis.Taps, axis.InLength, axis.OutLength);
    }
}
