using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>Tanh: φ(x) = tanh x, φ′(x) = 1 − tanh²x. No closed-form dual: computed by <see cref="QuadratureDual"/>.</summary>
internal readonly struct TanhFunction : IScalarActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Value(double x) => DeviceMath.Tanh(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Derivative(double x)
    {
        double t = DeviceMath.Tanh(x);
        return (1.0 - t) * (1.0 + t);
    }

    /// <inheritdoc />
    public double SharpnessScale => 1.0;
}
