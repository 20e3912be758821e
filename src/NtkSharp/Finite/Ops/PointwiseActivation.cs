using System.Runtime.CompilerServices;
using NtkSharp.Kernels;

namespace NtkSharp.Finite.Ops;

/// <summary>
/// φ and φ' of the pointwise activations of finite networks (<see cref="ActivationKind"/>), the one place these formulas
/// live: <see cref="ActivationOp"/> on the CPU and the GPU ensemble kernels both call it, so that the two compute the same
/// values. Plain arithmetic only (<see cref="DeviceMath"/> for erf and exp), so it compiles into ILGPU kernels.
/// </summary>
/// <remarks>The ABRelu family φ(z) = a·min(z, 0) + b·max(z, 0) takes the right slope b at the kink z = 0 (as
/// <see cref="DualActivations.Derivative"/>); Erf has φ'(z) = 2/√π·e^(−z²); Identity has φ' = 1.</remarks>
internal static class PointwiseActivation
{
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215;

    /// <summary>φ(<paramref name="z"/>) for activation <paramref name="kind"/> with ABRelu slopes <paramref name="a"/>, <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value(ActivationKind kind, double a, double b, double z) => kind switch
    {
        ActivationKind.ABRelu => z < 0.0 ? a * z : b * z,
        ActivationKind.Erf => DeviceMath.Erf(z),
        _ => z,
    };

    /// <summary>φ'(<paramref name="z"/>) (see the class remarks for the kink).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(ActivationKind kind, double a, double b, double z) => kind switch
    {
        ActivationKind.ABRelu => z < 0.0 ? a : b,
        ActivationKind.Erf => TwoOverSqrtPi * DeviceMath.Exp(-z * z),
        _ => 1.0,
    };
}
