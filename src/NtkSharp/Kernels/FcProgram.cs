using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>The instruction set of <see cref="FcProgram"/>.</summary>
internal enum FcOpCode
{
    /// <summary>reg ← affine(reg).</summary>
    Affine = 0,

    /// <summary>reg ← dual activation of reg (variance slot <see cref="FcInstruction.Slot"/>).</summary>
    Activation = 1,

    /// <summary>reg ← src (FanOut).</summary>
    Copy = 2,

    /// <summary>reg ← reg + src (FanInSum).</summary>
    Add = 3,
}

/// <summary>One step of a fully-connected kernel program (a plain struct so that GPU kernels can read it).</summary>
internal readonly record struct FcInstruction(
    FcOpCode Op, int Reg, int Src,
    double W2, double B2, bool Standard, double FanIn, double BiasNtk,
    ActivationKind Kind, double A, double B, int Slot);

/// <summary>
/// A fully-connected architecture compiled into a flat register program over the per-entry pair (K, Θ):
/// the whole depth is applied to one Gram entry in registers, so each entry is read and written once.
/// Variance slots record K(x, x) before every nonlinearity; a pass over the self pairs fills them.
/// </summary>
internal sealed partial class FcProgram
{
    private FcProgram(FcInstruction[] code, int registers, int slots)
    {
        Code = code;
        Registers = registers;
        Slots = slots;
    }

    public FcInstruction[] Code { get; }

    public int Registers { get; }

    public int Slots { get; }

    /// <summary>Compiles <paramref name="network"/> for inputs of <paramref name="inputWidth"/> features, or returns null
    /// when it holds a layer that is not per-entry (convolution, pooling…).</summary>
    public static FcProgram? TryCompile(Layer network, int inputWidth)
    {
        var code = new List<FcInstruction>();
        int registers = 1, slots = 0;
        var outs = Emit(network, [(0, (double)inputWidth)], code, ref registers, ref slots);
        if (outs is null) return null;
        if (outs.Count != 1 || outs[0].Reg != 0) throw new InvalidOperationException("A validated network must end in register 0.");
        return new FcProgram([.. code], registers, slots);
    }

    private static List<(int Reg, double Width)>? Emit(Layer layer, List<(int Reg, double Width)> ins,
        List<FcInstruction> code, ref int registers, ref int slots)
    {
        switch (layer)
        {
            case Serial s:
                var cur = ins;
                foreach (var l in s.Layers)
                {
                    cur = Emit(l, cur, code, ref registers, ref slots);
                    if (cur is null) return null;
                }
                return cur;
            case Dense d:
            {
                var (r, w) = ins[0];
                code.Add(new FcInstruction(FcOpCode.Affine, r, r, d.WStd * d.WStd, d.BStd * d.BStd,
                    d.Parameterization == Parameterization.Standard, w, d.HasBias ? 1.0 : 0.0, default, 0, 0, -1));
                return [(r, d.Width)];
            }
            case Activation a:
            {
                var (r, w) = ins[0];
                code.Add(new FcInstruction(FcOpCode.Activation, r, r, 0, 0, false, 0, 0, a.Kind, a.A, a.B, slots++));
                return [(r, w)];
            }
            case Identity:
                return ins;
            case FanOut f:
            {
                var (r, w) = ins[0];
                var outs = new List<(int, double)> { (r, w) };
                for (int k = 1; k < f.Count; k++)
                {
                    int nr = registers++;
                    code.Add(new FcInstruction(FcOpCode.Copy, nr, r, 0, 0, false, 0, 0, default, 0, 0, -1));
                    outs.Add((nr, w));
                }
                return outs;
            }
            case ParallelLayer p:
            {
                var outs = new List<(int, double)>();
                for (int k = 0; k < p.Branches.Length; k++)
                {
                    var o = Emit(p.Branches[k], [ins[k]], code, ref registers, ref slots);
                    if (o is null) return null;
                    outs.Add(o[0]);
                }
                return outs;
            }
            case FanInSum:
            {
                var target = ins[0];
                for (int k = 1; k < ins.Count; k++)
                    code.Add(new FcInstruction(FcOpCode.Add, target.Reg, ins[k].Reg, 0, 0, false, 0, 0, default, 0, 0, -1));
                return [target];
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// Runs the program on one Gram entry k0 = x·x'/d. <paramref name="var1"/>/<paramref name="var2"/> hold the
    /// per-slot variances of the two inputs; when <paramref name="record"/> is not empty the pre-activation value of
    /// every slot is written there first (the self pass, where var1 = var2 = record).
    /// </summary>
    public void Run(double k0, ReadOnlySpan<double> var1, ReadOnlySpan<double> var2, Span<double> record,
        Span<double> k, Span<double> t, out double nngp, out double ntk)
    {
        k[0] = k0;
        t[0] = 0.0;
        var code = Code;
        for (int pc = 0; pc < code.Length; pc++)
        {
            ref readonly var ins = ref code[pc];
            int r = ins.Reg;
            switch (ins.Op)
            {
                case FcOpCode.Affine:
                {
                    double kin = k[r];
                    double kout = ins.W2 * kin + ins.B2;
                    t[r] = ins.Standard ? ins.FanIn * kin + ins.BiasNtk + ins.W2 * t[r] : kout + ins.W2 * t[r];
                    k[r] = kout;
                    break;
                }
                case FcOpCode.Activation:
                {
                    if (!record.IsEmpty) record[ins.Slot] = k[r];
                    DualActivations.Evaluate(ins.Kind, ins.A, ins.B, var1[ins.Slot], k[r], var2[ins.Slot], out double tv, out double td);
                    k[r] = tv;
                    t[r] *= td;
                    break;
                }
                case FcOpCode.Copy:
                    k[r] = k[ins.Src];
                    t[r] = t[ins.Src];
                    break;
                case FcOpCode.Add:
                    k[r] += k[ins.Src];
                    t[r] += t[ins.Src];
                    break;
            }
        }
        nngp = k[0];
        ntk = t[0];
    }
}
