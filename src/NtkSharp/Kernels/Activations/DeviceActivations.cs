using System.Runtime.CompilerServices;
using NtkSharp.Kernels.Duals;
using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>
/// The device dispatch of the activation registry: from an <see cref="ActivationSpec"/> to its activation's static body
/// (<see cref="IActivationBody"/>). ILGPU kernels cannot make virtual calls, so this is a switch over
/// <see cref="ActivationKind"/> — the only one: φ, φ′ and the dual all go through <see cref="Evaluate"/>. The GPU
/// kernels (the FC tile and self passes through <see cref="FcProgram.Step"/>, the spatial interpreters, the ensemble's
/// element-wise kernels) and the scalar CPU paths read it; the CPU run forms go through <see cref="ActivationFamily"/>.
/// </summary>
/// <remarks>A <see cref="ActivationKind.Host"/> activation has no body here: the engines refuse it before a launch
/// (<see cref="ActivationFamily.HasDeviceBody"/>), and this dispatch would treat it as the identity. The quadrature
/// activations' dual here is their direct 2-D quadrature (<see cref="QuadratureBody{TF}"/>): the GPU kernels reach it
/// only through <see cref="QuadratureSteps.Dual{TS1, TS2}"/>, for the entries the Mehler series cannot take.</remarks>
internal static class DeviceActivations
{
    private const int DualQuery = 0, ValueQuery = 1, DerivativeQuery = 2;

    /// <summary>T = E[φ(u)φ(v)] and Ṫ = E[φ′(u)φ′(v)] for the Gaussian pair with covariances (c₁₁, c₁₂, c₂₂).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
        => Evaluate(s, DualQuery, c11, c12, c22, out t, out tDot);

    /// <summary>φ(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value(in ActivationSpec s, double x)
    {
        Evaluate(s, ValueQuery, x, 0.0, 0.0, out double y, out _);
        return y;
    }

    /// <summary>φ′(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(in ActivationSpec s, double x)
    {
        Evaluate(s, DerivativeQuery, x, 0.0, 0.0, out double y, out _);
        return y;
    }

    /// <summary>The one switch: one line per activation with a device body.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Evaluate(in ActivationSpec s, int query, double x, double y, double z, out double r0, out double r1)
    {
        switch (s.Kind)
        {
            case ActivationKind.ABRelu: Query<ABReluBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Erf: Query<ErfBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Gelu: Query<GeluBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Sin: Query<SinBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Rbf: Query<RbfBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Gaussian: Query<GaussianBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Exp: Query<ExpBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Monomial: Query<MonomialBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.RectifiedMonomial: Query<RectifiedMonomialBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Polynomial: Query<PolynomialBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Hermite: Query<HermiteBody>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Tanh: Query<QuadratureBody<TanhFunction>>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Sigmoid: Query<QuadratureBody<SigmoidFunction>>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Softplus: Query<QuadratureBody<SoftplusFunction>>(s, query, x, y, z, out r0, out r1); break;
            case ActivationKind.Silu: Query<QuadratureBody<SiluFunction>>(s, query, x, y, z, out r0, out r1); break;
            default: Query<IdentityBody>(s, query, x, y, z, out r0, out r1); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Query<TBody>(in ActivationSpec s, int query, double x, double y, double z, out double r0, out double r1)
        where TBody : struct, IActivationBody
    {
        TBody body = default;
        if (query == DualQuery)
        {
            body.Dual(s, x, y, z, out r0, out r1);
            return;
        }
        r0 = query == ValueQuery ? body.Value(s, x) : body.Derivative(s, x);
        r1 = 0.0;
    }
}
