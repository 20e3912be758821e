using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>
/// A convolutional architecture compiled, for one input shape, into a register program over the per-pair spatial
/// covariance tensors (K, Θ) (the layout algebra of neural-tangents' <c>stax</c>, Novak et al. 2020). The layout is
/// decided here: <see cref="SpatialLayout.Full"/> when the network pools, <see cref="SpatialLayout.Diagonal"/> otherwise.
/// </summary>
internal sealed partial class SpatialProgram
{
    private SpatialProgram(SpatialLayout layout, int h, int w, int c, SpatialInstruction[] code, int registers, int slotTotal, int maxSize)
    {
        Layout = layout;
        InH = h;
        InW = w;
        InC = c;
        Code = code;
        Registers = registers;
        SlotTotal = slotTotal;
        MaxSize = maxSize;
        foreach (var ins in code)
        {
            if (ins.Family is { } f) Limits.Add(ins.SlotOffset, ins.InH * ins.InW, ins.Activation, f, ins.Layer);
        }
    }

    public SpatialLayout Layout { get; }

    public int InH { get; }

    public int InW { get; }

    public int InC { get; }

    public SpatialInstruction[] Code { get; }

    public int Registers { get; }

    /// <summary>Doubles of diagonal variances recorded per example (Σ over nonlinearities of the positions they see).</summary>
    public int SlotTotal { get; }

    /// <summary>The activations that can diverge, by record offset (checked against the self pass's variances).</summary>
    public VarianceLimits Limits { get; } = new();

    /// <summary>The largest tensor (doubles) any register or temporary holds.</summary>
    public int MaxSize { get; }

    /// <summary>Doubles of one tensor of spatial size (h, w) in this program's layout.</summary>
    public int Size(int h, int w) => Layout == SpatialLayout.Full ? h * w * h * w : h * w;

    /// <summary>Compiles <paramref name="network"/> (already validated) for examples of shape (H, W, C) or (L, C).</summary>
    /// <param name="network">The architecture.</param>
    /// <param name="exampleShape">The per-example input shape.</param>
    /// <param name="layout">Force a layout (tests); null picks the cheapest exact one.</param>
    /// <exception cref="ArchitectureException">The network ends with a spatial signal, or a forced diagonal layout
    /// meets a pooling layer.</exception>
    /// <exception cref="NotSupportedException">Inputs of another rank.</exception>
    public static SpatialProgram Compile(Layer network, int[] exampleShape, SpatialLayout? layout = null)
    {
        var (h, w, c) = exampleShape.Length switch
        {
            3 => (exampleShape[0], exampleShape[1], exampleShape[2]),
            2 => (exampleShape[0], 1, exampleShape[1]),
            _ => throw new NotSupportedException(
                $"The spatial kernel engine takes images (N, H, W, C) or signals (N, L, C); got examples of shape ({string.Join(", ", exampleShape)})."),
        };
        var chosen = layout ?? (Pools(network) ? SpatialLayout.Full : SpatialLayout.Diagonal);
        var compiler = new Compiler(chosen);
        var outs = compiler.Emit(network, [new Signal(0, h, w, c, true, true)], "");
        if (outs.Count != 1 || outs[0].Reg != 0) throw new InvalidOperationException("A validated network must end in register 0.");
        if (outs[0].Spatial)
            throw new ArchitectureException(
                $"the network's output is still spatial ({outs[0].H}×{outs[0].W}×{outs[0].C} per example), so its kernel is not a number per pair of inputs; end it with Flatten() or GlobalAvgPool() and a Dense readout.",
                "");
        int max = compiler.Size(h, w);
        foreach (var ins in compiler.Code) max = Math.Max(max, Math.Max(compiler.Size(ins.InH, ins.InW), compiler.Size(ins.OutH, ins.OutW)));
        return new SpatialProgram(chosen, h, w, c, [.. compiler.Code], compiler.Registers, compiler.SlotTotal, max);
    }

    /// <summary>Whether the network holds a layer that needs covariances between different positions.</summary>
    private static bool Pools(Layer layer) => layer switch
    {
        PoolingLayer or GlobalPoolingLayer => true,
        Serial s => s.Layers.Any(Pools),
        ParallelLayer p => p.Branches.Any(Pools),
        _ => false,
    };

    private readonly record struct Signal(int Reg, int H, int W, double C, bool Spatial, bool ThetaZero = false);

    private sealed class Compiler(SpatialLayout layout)
    {
        public List<SpatialInstruction> Code { get; } = [];

        public int Registers { get; private set; } = 1;

        public int SlotTotal { get; private set; }

        public int Size(int h, int w) => layout == SpatialLayout.Full ? h * w * h * w : h * w;

        public List<Signal> Emit(Layer layer, List<Signal> ins, string path)
        {
            switch (layer)
            {
                case Serial s:
                {
                    var cur = ins;
                    for (int i = 0; i < s.Layers.Length; i++) cur = Emit(s.Layers[i], cur, Layer.Child(path, i));
                    return cur;
                }
                case Dense d:
                {
                    var x = ins[0];
                    Code.Add(new SpatialInstruction
                    {
                        Op = SpatialOpCode.Affine, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W,
                        W2 = d.WStd * d.WStd, B2 = d.BStd * d.BStd, Standard = d.Parameterization == Parameterization.Standard,
                        FanIn = x.C, BiasNtk = d.HasBias ? 1.0 : 0.0,
                    });
                    return [x with { C = d.Width, ThetaZero = false }];
                }
                case Conv cv:
                {
                    var x = ins[0];
                    var ah = new AxisWindow(x.H, cv.Filter.H, cv.Strides.H, cv.Padding);
                    var aw = new AxisWindow(x.W, cv.Filter.W, cv.Strides.W, cv.Padding);
                    Code.Add(new SpatialInstruction
                    {
                        Op = SpatialOpCode.Conv, Reg = x.Reg, InH = x.H, InW = x.W, OutH = ah.OutLength, OutW = aw.OutLength,
                        AxisH = ah, AxisW = aw, Scale = 1.0 / (cv.Filter.H * cv.Filter.W), ThetaZero = x.ThetaZero,
                        W2 = cv.WStd * cv.WStd, B2 = cv.BStd * cv.BStd, Standard = cv.Parameterization == Parameterization.Standard,
                        FanIn = x.C * cv.Filter.H * cv.Filter.W, BiasNtk = cv.HasBias ? 1.0 : 0.0,
                    });
                    return [new Signal(x.Reg, ah.OutLength, aw.OutLength, cv.Channels, true)];
                }
                case PoolingLayer pl:
                {
                    RequireFull(pl, path);
                    var x = ins[0];
                    var ah = new AxisWindow(x.H, pl.Window.H, pl.Strides.H, pl.Padding);
                    var aw = new AxisWindow(x.W, pl.Window.W, pl.Strides.W, pl.Padding);
                    double c = pl.IsAverage ? 1.0 / (pl.Window.H * pl.Window.W) : 1.0;
                    Code.Add(new SpatialInstruction
                    {
                        Op = SpatialOpCode.Pool, Reg = x.Reg, InH = x.H, InW = x.W, OutH = ah.OutLength, OutW = aw.OutLength,
                        AxisH = ah, AxisW = aw, Scale = c * c, ThetaZero = x.ThetaZero,
                    });
                    return [x with { H = ah.OutLength, W = aw.OutLength }];
                }
                case GlobalPoolingLayer g:
                {
                    RequireFull(g, path);
                    var x = ins[0];
                    double c = g.IsAverage ? 1.0 / (x.H * x.W) : 1.0;
                    Code.Add(new SpatialInstruction
                    {
                        Op = SpatialOpCode.GlobalPool, Reg = x.Reg, InH = x.H, InW = x.W, OutH = 1, OutW = 1, Scale = c * c,
                    });
                    return [new Signal(x.Reg, 1, 1, x.C, false, x.ThetaZero)];
                }
                case Flatten:
                {
                    var x = ins[0];
                    Code.Add(new SpatialInstruction
                    {
                        Op = SpatialOpCode.Flatten, Reg = x.Reg, InH = x.H, InW = x.W, OutH = 1, OutW = 1, Scale = 1.0 / (x.H * x.W),
                    });
                    return [new Signal(x.Reg, 1, 1, x.C * x.H * x.W, false, x.ThetaZero)];
                }
                case Activation a:
                {
                    var x = ins[0];
                    Code.Add(new SpatialInstruction
                    {
                        Op = SpatialOpCode.Activation, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W,
                        Activation = a.Spec, Family = a.Family, Layer = $"{a.Name} at {path}", SlotOffset = SlotTotal,
                    });
                    SlotTotal += x.H * x.W;
                    return [x];
                }
                case Identity:
                    return ins;
                case FanOut f:
                {
                    var x = ins[0];
                    var outs = new List<Signal> { x };
                    for (int k = 1; k < f.Count; k++)
                    {
                        int nr = Registers++;
                        Code.Add(new SpatialInstruction { Op = SpatialOpCode.Copy, Reg = nr, Src = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W });
                        outs.Add(x with { Reg = nr });
                    }
                    return outs;
                }
                case ParallelLayer p:
                {
                    var outs = new List<Signal>();
                    for (int k = 0; k < p.Branches.Length; k++) outs.Add(Emit(p.Branches[k], [ins[k]], Layer.Child(path, k))[0]);
                    return outs;
                }
                case FanInSum:
                {
                    var target = ins[0];
                    for (int k = 1; k < ins.Count; k++)
                        Code.Add(new SpatialInstruction { Op = SpatialOpCode.Add, Reg = target.Reg, Src = ins[k].Reg, InH = target.H, InW = target.W, OutH = target.H, OutW = target.W });
                    return [target with { ThetaZero = ins.All(x => x.ThetaZero) }];
                }
                default:
                    throw new NotSupportedException($"The CPU engine has no kernel for layer {layer.Name} at {path} on spatial inputs.");
            }
        }

        private void RequireFull(Layer layer, string path)
        {
            if (layout != SpatialLayout.Full)
                throw new ArchitectureException(
                    $"{layer.Name} needs the covariances between different positions, which the diagonal spatial layout does not keep; use the full layout.",
                    path);
        }
    }
}
