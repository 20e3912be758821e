using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>Sigmoid (logistic): φ(x) = 1/(1 + e^(−x)), φ′ = φ·(1 − φ). No closed-form dual: computed by
/// <see cref="QuadratureDual"/>.</summary>
internal readonly struct SigmoidFunction : IScalarActivation
{
    /// <summary>1/(1 + e^(−x)) without overflow (e^(−|x|) only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Logistic(double x)
    {
        double e = DeviceMath.Exp(-Math.Abs(x));
        return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Value(double x) => Logistic(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Derivative(double x)
    {
        double e = DeviceMath.Exp(-Math.Abs(x));
        double d = 1.0 + e;
        return e / (d * d);
    }

    /// <inheritdoc />
    public double SharpnessScale => 1.0;
}
