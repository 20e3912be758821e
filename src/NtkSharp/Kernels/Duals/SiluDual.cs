using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>Silu (swish): φ(x) = x·σ(x), σ the logistic function; φ′ = σ(x)·(1 + x·(1 − σ(x))). No closed-form dual:
/// computed by <see cref="QuadratureDual"/>.</summary>
internal readonly struct SiluFunction : IScalarActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Value(double x) => x * SigmoidFunction.Logistic(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Derivative(double x)
    {
        double s = SigmoidFunction.Logistic(x);
        return s * (1.0 + x * (1.0 - s));
    }

    /// <inheritdoc />
    public double SharpnessScale => 1.0;
}
