using NtkSharp.Finite;
using NtkSharp.Finite.Ops;
using NtkSharp.Kernels;

namespace NtkSharp.Layers;

/// <summary>
/// A fully-connected layer acting on the last (channel) axis.
/// </summary>
/// <remarks>
/// <para>NTK parameterisation: z = wStd/√fanIn·W·x + bStd·b, W, b ~ N(0, 1), with kernel update
/// K' = wStd²·K + bStd², Θ' = wStd²·Θ + K'.</para>
/// <para>Standard parameterisation: z = W·x + b, W ~ N(0, wStd²/fanIn), b ~ N(0, bStd²), with
/// K' = wStd²·K + bStd² and Θ' = fanIn·K + wStd²·Θ + [bias]·1, where fanIn is the declared width of
/// the incoming layer (Sohl-Dickstein et al. 2020, "On the infinite width limit of neural networks with a
/// standard parameterization"; neural-tangents' <c>Dense</c>).</para>
/// <para>A bias exists iff <see cref="BStd"/> &gt; 0 (neural-tangents' <c>b_std=None</c> for 0).</para>
/// </remarks>
public sealed record Dense : Layer
{
    /// <summary>Creates the layer; see <see cref="Stax.Dense"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A width ≤ 0 or a negative or non-finite standard deviation.</exception>
    public Dense(int width, double wStd = 1.0, double bStd = 0.0, Parameterization parameterization = Parameterization.Ntk)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Dense width must be positive.");
        LayerChecks.Std(wStd, nameof(wStd));
        LayerChecks.Std(bStd, nameof(bStd));
        if (!Enum.IsDefined(parameterization)) throw new ArgumentOutOfRangeException(nameof(parameterization));
        Width = width;
        WStd = wStd;
        BStd = bStd;
        Parameterization = parameterization;
    }

    /// <summary>Output channels (the declared width; irrelevant to the NTK-parameterised kernels).</summary>
    public int Width { get; }

    /// <summary>Weight standard deviation σ_w.</summary>
    public double WStd { get; }

    /// <summary>Bias standard deviation σ_b (0: no bias).</summary>
    public double BStd { get; }

    /// <summary>The weight scaling convention.</summary>
    public Parameterization Parameterization { get; }

    /// <summary>Whether the layer has a bias (σ_b &gt; 0).</summary>
    public bool HasBias => BStd > 0.0;

    /// <inheritdoc />
    public override string Name => "Dense";

    internal override Branch[] Compose(Branch[] inputs, string path)
    {
        var b = Single(inputs, path);
        int[]? shape = null;
        if (b.Shape is { } s)
        {
            shape = (int[])s.Clone();
            shape[^1] = Width;
        }
        return [new Branch(true, true, shape)];
    }

    /// <summary>K ← σ_w²K + σ_b² on the channel axis at every position; Θ ← K' + σ_w²Θ (NTK) or fan-in·K + [bias] + σ_w²Θ
    /// (standard).</summary>
    internal override void EmitKernel(KernelPlanBuilder plan, LayerNode node)
    {
        var x = plan.Input(node);
        plan.Add(node, new SpatialInstruction
        {
            Op = SpatialOpCode.Affine, Reg = x.Reg, InH = x.H, InW = x.W, OutH = x.H, OutW = x.W,
            W2 = WStd * WStd, B2 = BStd * BStd, Standard = Parameterization == Parameterization.Standard,
            FanIn = x.C, BiasNtk = HasBias ? 1.0 : 0.0,
        });
        plan.Bind(node.Output, x with { C = Width, ThetaZero = false });
    }

    internal override void EmitFinite(FiniteGraphBuilder finite, LayerNode node)
    {
        int input = finite.Input(node);
        var inShape = finite.Shape(input);
        int fanIn = inShape[^1];
        int positions = inShape.Aggregate(1, (x, y) => x * y) / fanIn;
        var outShape = (int[])inShape.Clone();
        outShape[^1] = Width;
        int output = finite.AddRegister(outShape);
        int offset = finite.AllocateParameters(checked(fanIn * Width + (HasBias ? Width : 0)));
        finite.Add(new DenseOp(node.Path, input, output, offset, fanIn, positions, this));
        finite.Bind(node.Output, output);
    }

    /// <inheritdoc />
    public override string ToString() => ArchitectureText.Call("Dense", [Width],
        ("wStd", WStd, 1.0), ("bStd", BStd, 0.0), ("parameterization", Parameterization, Parameterization.Ntk));
}
