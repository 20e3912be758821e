using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NtkSharp.Kernels;

/// <summary>The run form of <see cref="FcProgram"/>: every instruction applied to a run of entries with SIMD.</summary>
internal sealed partial class FcProgram
{
    /// <summary>
    /// Runs the program on a run of Gram entries that share the second input (a segment of one column of the Gram
    /// matrix), instruction by instruction over the whole run, so each instruction is a vector loop over data that
    /// stays in L1. Same semantics as <see cref="Run"/> applied to every entry.
    /// </summary>
    /// <param name="k0">In: the input Gram entries x·x'/d. Out: the NNGP entries (register 0's K).</param>
    /// <param name="theta0">Out: the NTK entries (register 0's Θ); empty to compute the NNGP only.</param>
    /// <param name="var1">Slot-major variances of the first inputs: slot s of the run's entry i at
    /// <c>var1[s·var1Stride + i]</c>.</param>
    /// <param name="var1Stride">The distance between two slots in <paramref name="var1"/>.</param>
    /// <param name="var2">The per-slot variances of the shared second input.</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/>(run length) values for registers 1, 2, ….</param>
    public void RunRun(Span<double> k0, Span<double> theta0, ReadOnlySpan<double> var1, int var1Stride,
        ReadOnlySpan<double> var2, Span<double> scratch)
    {
        int n = k0.Length;
        bool ntk = !theta0.IsEmpty;
        if (ntk) theta0.Clear();
        var code = Code;
        for (int pc = 0; pc < code.Length; pc++)
        {
            ref readonly var ins = ref code[pc];
            var k = Reg(ins.Reg, k0, theta0, scratch, n, false);
            var t = ntk ? Reg(ins.Reg, k0, theta0, scratch, n, true) : default;
            switch (ins.Op)
            {
                case FcOpCode.Affine:
                    Affine(ins, k, t);
                    break;
                case FcOpCode.Activation:
                    Families[pc]!.Run(ins.Activation, var1.Slice(ins.Slot * var1Stride, n), var2[ins.Slot], k, t);
                    break;
                case FcOpCode.Copy:
                    Reg(ins.Src, k0, theta0, scratch, n, false).CopyTo(k);
                    if (ntk) Reg(ins.Src, k0, theta0, scratch, n, true).CopyTo(t);
                    break;
                case FcOpCode.Add:
                    AddInPlace(k, Reg(ins.Src, k0, theta0, scratch, n, false));
                    if (ntk) AddInPlace(t, Reg(ins.Src, k0, theta0, scratch, n, true));
                    break;
                case FcOpCode.Dropout:
                    break; // pairs of two examples are unchanged; the symmetric diagonal comes from the self pass

            }
        }
    }

    /// <summary>The scratch length <see cref="RunRun"/> needs for runs of up to <paramref name="runLength"/> entries.</summary>
    public int ScratchLength(int runLength) => 2 * (Registers - 1) * runLength;

    private Span<double> Reg(int r, Span<double> k0, Span<double> theta0, Span<double> scratch, int n, bool ntk)
    {
        if (r == 0) return ntk ? theta0 : k0;
        int block = scratch.Length / (2 * (Registers - 1));
        return scratch.Slice(((ntk ? Registers - 1 : 0) + r - 1) * block, n);
    }

    private static void Affine(in FcInstruction ins, Span<double> k, Span<double> t)
    {
        if (Vector512.IsHardwareAccelerated)
            AffineVector<Simd512, Vector512<double>>(ins, k, t);
        else if (Vector256.IsHardwareAccelerated)
            AffineVector<Simd256, Vector256<double>>(ins, k, t);
        else
            AffineScalar(ins, k, t, 0);
    }

    /// <summary>K ← w²K + b²; Θ ← K' + w²Θ (NTK parameterisation) or fanIn·K + [bias] + w²Θ (standard), as in <see cref="Run"/>.</summary>
    private static void AffineVector<TOps, TV>(in FcInstruction ins, Span<double> k, Span<double> t)
        where TOps : struct, ISimdOps<TV>
        where TV : struct
    {
        int n = k.Length, w = TOps.Count, end = n - n % w;
        bool ntk = !t.IsEmpty;
        ref double rk = ref MemoryMarshal.GetReference(k);
        ref double rt = ref MemoryMarshal.GetReference(t);
        TV w2 = TOps.Broadcast(ins.W2), b2 = TOps.Broadcast(ins.B2), fanIn = TOps.Broadcast(ins.FanIn), biasNtk = TOps.Broadcast(ins.BiasNtk);
        for (int i = 0; i < end; i += w)
        {
            nuint o = (nuint)i;
            TV kin = TOps.Load(ref rk, o);
            TV kout = TOps.Add(TOps.Multiply(w2, kin), b2);
            TOps.Store(kout, ref rk, o);
            if (ntk)
            {
                TV tw = TOps.Multiply(w2, TOps.Load(ref rt, o));
                TV tout = ins.Standard ? TOps.Add(TOps.Add(TOps.Multiply(fanIn, kin), biasNtk), tw) : TOps.Add(kout, tw);
                TOps.Store(tout, ref rt, o);
            }
        }
        AffineScalar(ins, k, t, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AffineScalar(in FcInstruction ins, Span<double> k, Span<double> t, int start)
    {
        bool ntk = !t.IsEmpty;
        for (int i = start; i < k.Length; i++)
        {
            double kin = k[i];
            double kout = ins.W2 * kin + ins.B2;
            if (ntk) t[i] = ins.Standard ? ins.FanIn * kin + ins.BiasNtk + ins.W2 * t[i] : kout + ins.W2 * t[i];
            k[i] = kout;
        }
    }

    private static void AddInPlace(Span<double> target, ReadOnlySpan<double> source)
    {
        for (int i = 0; i < target.Length; i++) target[i] += source[i];
    }
}
