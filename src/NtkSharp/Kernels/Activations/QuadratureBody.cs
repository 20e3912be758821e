using System.Runtime.CompilerServices;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Kernels;

/// <summary>
/// The device body of a nonlinearity whose dual has no closed form (Tanh, Sigmoid, Softplus, Silu): φ and φ′ from
/// <typeparamref name="TF"/>, and as its dual the direct two-dimensional quadrature of <see cref="QuadratureDual.Direct{TF}"/>
/// (accurate everywhere, but about 10⁶ evaluations of φ). The engines call that only for the entries where the Mehler
/// series fails its tail bound: every other entry is a Horner sum over coefficient records computed once per example
/// and position (<see cref="QuadratureSteps"/>), on the CPU and on the device alike.
/// </summary>
/// <typeparam name="TF">The scalar function.</typeparam>
internal readonly struct QuadratureBody<TF> : IActivationBody
    where TF : struct, IScalarActivation
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Value(in ActivationSpec s, double x) => default(TF).Value(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Derivative(in ActivationSpec s, double x) => default(TF).Derivative(x);

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => QuadratureDual.Direct(default(TF), c11, c12, c22, out t, out tDot);
}

/// <summary>φ and φ′ of a spec through the device dispatch (<see cref="DeviceActivations"/>), so that device code
/// computes a quadrature activation's coefficients knowing only its spec. The built-in quadrature functions
/// (<see cref="TanhFunction"/>, <see cref="SigmoidFunction"/>, <see cref="SoftplusFunction"/>, <see cref="SiluFunction"/>)
/// all have transition width (<see cref="IScalarActivation.SharpnessScale"/>) 1, so this one does too.</summary>
internal readonly struct RegistryFunction(ActivationSpec spec) : IScalarActivation
{
    private readonly ActivationSpec _spec = spec;

    /// <inheritdoc />
    public double Value(double x) => DeviceActivations.Value(_spec, x);

    /// <inheritdoc />
    public double Derivative(double x) => DeviceActivations.Derivative(_spec, x);

    /// <inheritdoc />
    public double SharpnessScale => 1.0;
}

/// <summary>
/// The steps of a quadrature activation in the GPU kernels, over coefficient records in a store
/// (<see cref="ICoefficientStore"/>): the record of one variance (<see cref="Prepare{TS}"/>, in the self pass), and the
/// dual of one entry — the truncated Mehler series where its tail bound holds, else the body's direct quadrature
/// through the device dispatch — exactly as <see cref="QuadratureDual.Dual{TF}"/> does on the CPU.
/// </summary>
internal static class QuadratureSteps
{
    /// <summary>Writes the coefficient record of <paramref name="s"/> at <paramref name="variance"/> to
    /// <paramref name="store"/>[<paramref name="at"/> …].</summary>
    public static void Prepare<TS>(in ActivationSpec s, double variance, int degree, TS store, long at)
        where TS : struct, ICoefficientStore
        => QuadratureDual.Prepare(new RegistryFunction(s), variance, degree, store, at);

    /// <summary>T and Ṫ of one entry from the records of its two variances.</summary>
    public static void Dual<TS1, TS2>(in ActivationSpec s, int degree, TS1 s1, long at1, TS2 s2, long at2,
        double c11, double c12, double c22, out double t, out double tDot)
        where TS1 : struct, ICoefficientStore
        where TS2 : struct, ICoefficientStore
    {
        if (QuadratureDual.TrySeries(degree, s1, at1, s2, at2, QuadratureDual.Correlation(c11, c12, c22), out t, out tDot)) return;
        DeviceActivations.Dual(s, c11, c12, c22, out t, out tDot);
    }
}
