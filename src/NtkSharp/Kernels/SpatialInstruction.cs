namespace NtkSharp.Kernels;

/// <summary>The instruction set of <see cref="SpatialProgram"/>.</summary>
internal enum SpatialOpCode
{
    /// <summary>Per-entry affine map of a Dense layer (acting on the channel axis at every position).</summary>
    Affine = 0,

    /// <summary>Normalised window sum of a convolution followed by its affine map.</summary>
    Conv = 1,

    /// <summary>Window sum of AvgPool/SumPool over both positions of a pair (full layout).</summary>
    Pool = 2,

    /// <summary>Sum over all pairs of positions (global pooling, full layout).</summary>
    GlobalPool = 3,

    /// <summary>Mean of the spatial diagonal.</summary>
    Flatten = 4,

    /// <summary>Dual of a nonlinearity per entry, with the diagonal variances of the variances at <see cref="SpatialInstruction.SlotOffset"/>.</summary>
    Activation = 5,

    /// <summary>reg ← src (FanOut).</summary>
    Copy = 6,

    /// <summary>reg ← reg + src (FanInSum).</summary>
    Add = 7,

    /// <summary>LiftingConv: an image's covariance to |G| blocks K_u, each the window sum with offsets (d, u·d),
    /// followed by the affine map (<see cref="GroupSpatial"/>).</summary>
    Lift = 8,

    /// <summary>GroupConv: every block K_u ← window sum with offsets (d, u·d), followed by the affine map.</summary>
    GroupConv = 9,

    /// <summary>GroupPool: the mean of the blocks, (1/|G|)·Σ_u K_u.</summary>
    GroupPool = 10,

    /// <summary>Dropout (train mode): in the self pass only, K and Θ of the same position (block 0's spatial diagonal)
    /// times <see cref="SpatialInstruction.Scale"/> = 1/rate; the identity between different examples.</summary>
    Dropout = 11,
}

/// <summary>One step of a <see cref="KernelPlan"/> (run by a <see cref="SpatialProgram"/> or, per entry, an
/// <see cref="FcProgram"/>) on the pair (K, Θ) of spatial covariance tensors of a register.</summary>
internal sealed record SpatialInstruction
{
    public required SpatialOpCode Op { get; init; }

    public required int Reg { get; init; }

    public int Src { get; init; }

    /// <summary>Spatial size (H, W) of the register before the step.</summary>
    public int InH { get; init; }

    /// <inheritdoc cref="InH"/>
    public int InW { get; init; }

    /// <summary>Spatial size (H, W) after the step (1 × 1 after a readout).</summary>
    public int OutH { get; init; }

    /// <inheritdoc cref="OutH"/>
    public int OutW { get; init; }

    /// <summary>Window along H (Conv, Pool).</summary>
    public AxisWindow? AxisH { get; init; }

    /// <summary>Window along W (Conv, Pool).</summary>
    public AxisWindow? AxisW { get; init; }

    /// <summary>σ_w² of an affine step.</summary>
    public double W2 { get; init; }

    /// <summary>σ_b² of an affine step.</summary>
    public double B2 { get; init; }

    /// <summary>Standard parameterisation.</summary>
    public bool Standard { get; init; }

    /// <summary>Fan-in of a standard-parameterised affine step (C, or C·h·w for a convolution).</summary>
    public double FanIn { get; init; }

    /// <summary>1 when a standard-parameterised step has a bias (its NTK contribution), else 0.</summary>
    public double BiasNtk { get; init; }

    /// <summary>Multiplier after a window or global sum (1/(h·w) of a Conv; c² of a pooling).</summary>
    public double Scale { get; init; }

    /// <summary>The nonlinearity of an Activation step.</summary>
    public ActivationSpec Activation { get; init; }

    /// <summary>The registry family of <see cref="Activation"/> (Activation steps only).</summary>
    public ActivationFamily? Family { get; init; }

    /// <summary>The layer that emitted the step and where it sits ("Relu at [1]"), for error messages.</summary>
    public string Layer { get; init; } = "";

    /// <summary>The register's Θ is identically zero before this step (no affine layer yet): linear maps of Θ are skipped.</summary>
    public bool ThetaZero { get; init; }

    /// <summary>Offset of the activation's diagonal variances in an example's variance record.</summary>
    public int SlotOffset { get; init; }

    /// <summary>Blocks of the register before the step: |G| for a signal on G × ℤ² in the full layout (one tensor
    /// K_u per u = g′g⁻¹, identity first), else 1.</summary>
    public int InBlocks { get; init; } = 1;

    /// <summary>Blocks after the step.</summary>
    public int OutBlocks { get; init; } = 1;

    /// <summary>Lift/GroupConv: per block u, u's matrix as the images of (1, 0) and (0, 1): [u₀₀, u₁₀, u₀₁, u₁₁].</summary>
    public int[][]? GroupMatrices { get; init; }
}
