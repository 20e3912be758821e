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

    /// <summary>Dropout: reg ← <see cref="FcInstruction.W2"/>·reg (W2 = 1/rate) in the self pass, unchanged otherwise.</summary>
    Dropout = 4,

    /// <summary>reg ← LayerNorm of reg: (K − μ₁μ₂)/(s₁s₂), Θ/(s₁s₂) with μ at slot <see cref="FcInstruction.Slot"/> and s
    /// at the next one (<see cref="LayerNormMath"/>); ε in <see cref="FcInstruction.B2"/>.</summary>
    LayerNorm = 5,
}

/// <summary>One step of a fully-connected kernel program (a blittable struct — no bool — so that the GPU kernels can
/// read the same array on the device). <see cref="B2"/> is σ_b² of an affine step and ε of a LayerNorm step.
/// <see cref="Coeff"/> numbers the example's coefficient record of a quadrature activation
/// (<see cref="ActivationFamily.QuadratureDegree"/> &gt; 0) for the GPU kernels, −1 otherwise.</summary>
internal readonly record struct FcInstruction(
    FcOpCode Op, int Reg, int Src,
    double W2, double B2, Parameterization Parameterization, double FanIn, double BiasNtk,
    ActivationSpec Activation, int Slot, int Coeff = -1)
{
    /// <summary>True for the standard parameterisation (Θ then depends on the fan-in).</summary>
    public bool Standard => Parameterization == Parameterization.Standard;
}

/// <summary>
/// A fully-connected architecture compiled into a flat register program over the per-entry pair (K, Θ):
/// the whole depth is applied to one Gram entry in registers, so each entry is read and written once.
/// Variance slots record K(x, x) before every nonlinearity; a pass over the self pairs fills them.
/// </summary>
internal sealed partial class FcProgram
{
    private FcProgram(FcInstruction[] code, string[] paths, int registers, int slots)
    {
        Code = code;
        Paths = paths;
        Families = [.. code.Select(c => c.Op == FcOpCode.Activation ? ActivationRegistry.Family(c.Activation) : null)];
        for (int pc = 0; pc < code.Length; pc++)
        {
            if (code[pc].Op == FcOpCode.LayerNorm) Limits.AddScales(code[pc].Slot, 1, code[pc].B2, paths[pc]);
            if (Families[pc] is not { } f) continue;
            Limits.Add(code[pc].Slot, 1, code[pc].Activation, f, paths[pc]);
            if (f.QuadratureDegree > 0) code[pc] = code[pc] with { Coeff = QuadratureSets++ };
        }
        Registers = registers;
        Slots = slots;
        NeedsMeans = code.Any(c => c.Op == FcOpCode.LayerNorm);
    }

    /// <summary>A LayerNorm step reads the feature means: the self pass tracks them (<see cref="Run"/> with a means
    /// span), on the host in every engine.</summary>
    public bool NeedsMeans { get; }

    public FcInstruction[] Code { get; }

    /// <summary>Per instruction, the layer that emitted it (\"Relu at [1][0]\", for error messages).</summary>
    public string[] Paths { get; }

    /// <summary>The activations that can diverge, by slot (checked against the self pass's variances).</summary>
    public VarianceLimits Limits { get; } = new();

    /// <summary>Per instruction, the registry family of an activation step (null for other steps).</summary>
    public ActivationFamily?[] Families { get; }

    /// <summary>Throws the engines' common error when an activation has no device body.</summary>
    /// <exception cref="NotSupportedException">An activation runs on the host only.</exception>
    public void RequireDeviceBodies()
    {
        for (int pc = 0; pc < Code.Length; pc++)
        {
            if (Families[pc] is { HasDeviceBody: false }) throw ActivationRegistry.NoDeviceBody(Paths[pc]);
        }
    }

    public int Registers { get; }

    public int Slots { get; }

    /// <summary>Coefficient records per example: one per quadrature activation (numbered by <see cref="FcInstruction.Coeff"/>).</summary>
    public int QuadratureSets { get; }

    /// <summary>Validates and compiles <paramref name="network"/> for inputs of <paramref name="inputWidth"/> features, or
    /// returns null when it holds a layer that is not per-entry (tests and error bounds).</summary>
    public static FcProgram? TryCompile(Layer network, int inputWidth) => From(KernelPlan.Compile(network, [inputWidth]));

    /// <summary>The fused form of <paramref name="plan"/>, or null when a step is not per entry
    /// (<see cref="KernelPlan.PerEntry"/>). One instruction per plan step, in the same order: the slot of a nonlinearity
    /// is its variance record offset (one position per vector).</summary>
    public static FcProgram? From(KernelPlan plan)
    {
        if (!plan.PerEntry) return null;
        var code = new FcInstruction[plan.Steps.Length];
        for (int i = 0; i < code.Length; i++)
        {
            var s = plan.Steps[i];
            code[i] = s.Op switch
            {
                SpatialOpCode.Affine => new FcInstruction(FcOpCode.Affine, s.Reg, s.Reg, s.W2, s.B2,
                    s.Standard ? Parameterization.Standard : Parameterization.Ntk, s.FanIn, s.BiasNtk, default, -1),
                SpatialOpCode.Activation => new FcInstruction(FcOpCode.Activation, s.Reg, s.Reg, 0, 0, default, 0, 0, s.Activation, s.SlotOffset),
                SpatialOpCode.Copy => new FcInstruction(FcOpCode.Copy, s.Reg, s.Src, 0, 0, default, 0, 0, default, -1),
                SpatialOpCode.LayerNorm => new FcInstruction(FcOpCode.LayerNorm, s.Reg, s.Reg, 0, s.Epsilon, default, 0, 0, default, s.SlotOffset),
                SpatialOpCode.Dropout => new FcInstruction(FcOpCode.Dropout, s.Reg, s.Reg, s.Scale, 0, default, 0, 0, default, -1),
                _ => new FcInstruction(FcOpCode.Add, s.Reg, s.Src, 0, 0, default, 0, 0, default, -1),
            };
        }
        return new FcProgram(code, [.. plan.Steps.Select(s => s.Layer)], plan.Registers, plan.SlotTotal);
    }

    /// <summary>
    /// Runs the program on one Gram entry k0 = x·x'/d. <paramref name="var1"/>/<paramref name="var2"/> hold the
    /// per-slot variances of the two inputs (a LayerNorm's mean and scale); when <paramref name="record"/> is not empty
    /// the pre-activation value of every slot is written there first (the self pass, where var1 = var2 = record; the
    /// engines then check the records against <see cref="Limits"/>). Activations go through their registry family, so
    /// activations with no device body run here too. <paramref name="self"/> marks the self pass (x, x) of one example,
    /// where Dropout scales (the symmetric Gram's diagonal and the recorded variances).
    /// </summary>
    /// <param name="k0">The input Gram entry.</param>
    /// <param name="var1">The first input's slot values.</param>
    /// <param name="var2">The second input's slot values.</param>
    /// <param name="record">Where the self pass records the slots (empty for pairs).</param>
    /// <param name="k">K per register (scratch).</param>
    /// <param name="t">Θ per register (scratch).</param>
    /// <param name="nngp">The output's K.</param>
    /// <param name="ntk">The output's Θ.</param>
    /// <param name="self">The self pass (x, x) of one example (Dropout scales there).</param>
    /// <param name="mean0">The self pass of a program that <see cref="NeedsMeans"/>: the input's feature mean Σx/d.</param>
    /// <param name="m">The self pass of a program that <see cref="NeedsMeans"/>: one feature mean per register, tracked
    /// along (0 after an affine layer or LayerNorm, E[φ(u)] after a nonlinearity, copied and summed by FanOut and
    /// FanInSum) and recorded with the scale by every LayerNorm; empty otherwise.</param>
    public void Run(double k0, ReadOnlySpan<double> var1, ReadOnlySpan<double> var2, Span<double> record,
        Span<double> k, Span<double> t, out double nngp, out double ntk, bool self = false, double mean0 = 0.0, Span<double> m = default)
    {
        k[0] = k0;
        t[0] = 0.0;
        bool means = !m.IsEmpty;
        if (means) m[0] = mean0;
        var code = Code;
        for (int pc = 0; pc < code.Length; pc++)
        {
            ref readonly var ins = ref code[pc];
            int r = ins.Reg, slot = ins.Slot;
            switch (ins.Op)
            {
                case FcOpCode.Activation:
                {
                    var family = Families[pc]!;
                    if (!record.IsEmpty) record[slot] = k[r];
                    family.Dual(ins.Activation, var1[slot], k[r], var2[slot], out double tv, out double td);
                    k[r] = tv;
                    t[r] *= td;
                    if (means) m[r] = family.Mean(ins.Activation, var1[slot]);
                    break;
                }
                case FcOpCode.LayerNorm:
                    if (!record.IsEmpty)
                    {
                        double mu = means ? m[r] : 0.0;
                        record[slot] = mu;
                        record[slot + 1] = LayerNormMath.Scale(k[r], mu, ins.B2);
                    }
                    LayerNormMath.Normalize(ref k[r], ref t[r], var1[slot], var1[slot + 1], var2[slot], var2[slot + 1]);
                    if (means) m[r] = 0.0;
                    break;
                default:
                    Step(in ins, ref k[r], ref t[r], k[ins.Src], t[ins.Src], 0.0, 0.0, self);
                    if (means)
                    {
                        if (ins.Op == FcOpCode.Affine) m[r] = 0.0;
                        else if (ins.Op == FcOpCode.Copy) m[r] = m[ins.Src];
                        else if (ins.Op == FcOpCode.Add) m[r] += m[ins.Src];
                    }
                    break;
            }
        }
        nngp = k[0];
        ntk = t[0];
    }

    /// <summary>
    /// Executes one instruction on register (<paramref name="k"/>, <paramref name="t"/>) given the source register's
    /// values and the variances of the instruction's slot. The single definition of the per-entry layer updates, shared
    /// by <see cref="Run"/> and the GPU kernels (which interpret the same instruction array on the device).
    /// </summary>
    /// <remarks>
    /// Dense: K ← σ_w²K + σ_b², Θ ← K_new + σ_w²Θ (NTK parameterisation) or Θ ← n_in·K + [bias]·1 + σ_w²Θ (standard,
    /// Sohl-Dickstein et al. 2020). Nonlinearity: K ← T(c₁₁, K, c₂₂), Θ ← Ṫ·Θ (Jacot et al. 2018; Lee et al. 2019).
    /// FanOut copies and FanInSum adds both kernels. Dropout (neural-tangents' train mode) multiplies K and Θ by 1/rate
    /// in the self pass (<paramref name="self"/>: one example with itself, whose values are the per-example variances and
    /// the symmetric Gram's diagonal) and leaves every pair of two examples unchanged. LayerNorm reads four slot values
    /// and is applied by the callers (<see cref="LayerNormMath.Normalize"/>).
    /// </remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static void Step(in FcInstruction ins, ref double k, ref double t, double kSrc, double tSrc, double var1, double var2,
        bool self)
    {
        switch (ins.Op)
        {
            case FcOpCode.Affine:
            {
                double kin = k;
                double kout = ins.W2 * kin + ins.B2;
                t = ins.Standard ? ins.FanIn * kin + ins.BiasNtk + ins.W2 * t : kout + ins.W2 * t;
                k = kout;
                break;
            }
            case FcOpCode.Activation:
            {
                DeviceActivations.Dual(ins.Activation, var1, k, var2, out double tv, out double td);
                k = tv;
                t *= td;
                break;
            }
            case FcOpCode.Copy:
                k = kSrc;
                t = tSrc;
                break;
            case FcOpCode.Add:
                k += kSrc;
                t += tSrc;
                break;
            case FcOpCode.Dropout:
                if (self)
                {
                    k *= ins.W2;
                    t *= ins.W2;
                }
                break;
        }
    }
}
