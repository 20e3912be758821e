using NtkSharp.Kernels;
using NtkSharp.Layers;

namespace NtkSharp.Compute.Gpu;

/// <summary>One <see cref="SpatialInstruction"/> as a blittable struct for the device; the window index maps of its
/// axes (<see cref="AxisWindow.Source"/>) live in a shared int table at <see cref="HMap"/>/<see cref="WMap"/>.</summary>
internal readonly record struct SpatialDeviceInstruction(
    SpatialOpCode Op, int Reg, int Src, int InH, int InW, int OutH, int OutW,
    double W2, double B2, Parameterization Parameterization, double FanIn, double BiasNtk, double Scale,
    ActivationKind Kind, double A, double B, int SlotOffset,
    int HMap, int HTaps, int HIn, int HOut, int WMap, int WTaps, int WIn, int WOut);

/// <summary>The scalar description of a spatial program and of one launch (a kernel argument).</summary>
/// <param name="Full">1 for the full layout [h][h′][w][w′], 0 for the diagonal layout.</param>
/// <param name="InH">Input height.</param>
/// <param name="InW">Input width.</param>
/// <param name="InC">Input channels.</param>
/// <param name="Slots">Recorded variances per example.</param>
/// <param name="MaxSize">Doubles per register tensor.</param>
/// <param name="Registers">Registers of the program.</param>
/// <param name="WantNtk">1: propagate Θ.</param>
/// <param name="Self">1: the self pass (pair (i, i), recording variances).</param>
/// <param name="Tile">The tile of pairs of this launch (Self: I0 is the first example, Rows the count).</param>
internal readonly record struct SpatialArgs(int Full, int InH, int InW, int InC, int Slots, int MaxSize, int Registers,
    int WantNtk, int Self, TileGeometry Tile);

/// <summary>A <see cref="SpatialProgram"/> flattened for the device: instructions and window maps.</summary>
internal sealed class SpatialDeviceProgram
{
    public SpatialDeviceProgram(SpatialProgram program)
    {
        Program = program;
        var maps = new List<int>();
        var code = new SpatialDeviceInstruction[program.Code.Length];
        for (int i = 0; i < code.Length; i++)
        {
            var s = program.Code[i];
            (int hMap, int hTaps, int hIn, int hOut) = Map(s.AxisH, maps);
            (int wMap, int wTaps, int wIn, int wOut) = Map(s.AxisW, maps);
            code[i] = new SpatialDeviceInstruction(s.Op, s.Reg, s.Src, s.InH, s.InW, s.OutH, s.OutW, s.W2, s.B2,
                s.Standard ? Parameterization.Standard : Parameterization.Ntk, s.FanIn, s.BiasNtk, s.Scale, s.Kind, s.A, s.B,
                s.SlotOffset, hMap, hTaps, hIn, hOut, wMap, wTaps, wIn, wOut);
        }
        Code = code;
        Maps = maps.Count == 0 ? [0] : [.. maps];
    }

    public SpatialProgram Program { get; }

    public SpatialDeviceInstruction[] Code { get; }

    public int[] Maps { get; }

    /// <summary>Doubles of device workspace per concurrent pair: K and Θ per register, and a scratch tensor.</summary>
    public long WorkspacePerPair => (2L * Program.Registers + 1) * Program.MaxSize;

    public SpatialArgs Args(bool wantNtk, bool self, TileGeometry tile) => new(
        Program.Layout == SpatialLayout.Full ? 1 : 0, Program.InH, Program.InW, Program.InC, Program.SlotTotal,
        Program.MaxSize, Program.Registers, wantNtk ? 1 : 0, self ? 1 : 0, tile);

    private static (int Offset, int Taps, int In, int Out) Map(AxisWindow? axis, List<int> maps)
    {
        if (axis is null) return (0, 0, 0, 0);
        int offset = maps.Count;
        maps.AddRange(axis.Source);
        return (offset, axis.Taps, axis.InLength, axis.OutLength);
    }
}
