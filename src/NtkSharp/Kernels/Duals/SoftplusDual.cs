using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>Softplus: φ(x) = ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)), φ′ = 1/(1 + e^(−x)). No closed-form dual:
/// computed by <see cref="QuadratureDual"/>.</summary>
internal readonly struct SoftplusFunction : IScalarActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Value(double x) => (x > 0.0 ? x : 0.0) + DeviceMath.Log1pUnit(DeviceMath.Exp(-Math.Abs(x)));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Derivative(double x) => SigmoidFunction.Logistic(x);

    /// <inheritdoc />
    public double SharpnessScale => 1.0;
}
