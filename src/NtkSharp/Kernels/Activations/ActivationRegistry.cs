using NtkSharp.Layers;

namespace NtkSharp.Kernels;

/// <summary>
/// The activation registry on the CPU: from an <see cref="ActivationSpec"/> to its <see cref="ActivationFamily"/>.
/// Every activation with a device body has one family here (numbered by its <see cref="ActivationKind"/>, one line
/// each); activations with no device body (<see cref="ActivationKind.Host"/>, e.g. a C# delegate) register a family
/// object at run time and carry its number in <see cref="ActivationSpec.N"/>.
/// </summary>
internal static class ActivationRegistry
{
    private static readonly ActivationFamily[] Families = Table(
        new IdentityFamily(),
        new ABReluFamily(),
        new ErfFamily(),
        new GeluFamily(),
        new SinFamily(),
        new RbfFamily(),
        new GaussianFamily(),
        new ExpFamily(),
        new MonomialFamily(),
        new RectifiedMonomialFamily(),
        new PolynomialFamily(),
        new HermiteFamily(),
        Tanh.Quadrature,
        Sigmoid.Quadrature,
        Softplus.Quadrature,
        Silu.Quadrature);

    private static readonly List<ActivationFamily> HostFamilies = [];

    /// <summary>The family of <paramref name="s"/>.</summary>
    /// <exception cref="ArgumentException">The spec names no registered family.</exception>
    public static ActivationFamily Family(in ActivationSpec s)
    {
        if (s.Kind == ActivationKind.Host)
        {
            lock (HostFamilies)
            {
                if ((uint)s.N < (uint)HostFamilies.Count) return HostFamilies[s.N];
            }
        }
        else if ((int)s.Kind < Families.Length && Families[(int)s.Kind] is { } f)
        {
            return f;
        }
        throw new ArgumentException($"No activation family is registered for {s.Kind} (number {s.N}).", nameof(s));
    }

    /// <summary>Registers a family with no device body and returns the spec that names it (kind
    /// <see cref="ActivationKind.Host"/>, <see cref="ActivationSpec.N"/> its number). Families live for the process.</summary>
    /// <exception cref="ArgumentException"><paramref name="family"/> claims a device body.</exception>
    public static ActivationSpec RegisterHost(ActivationFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (family.HasDeviceBody || family.Kind != ActivationKind.Host)
            throw new ArgumentException("Only families of kind Host without a device body register at run time.", nameof(family));
        lock (HostFamilies)
        {
            HostFamilies.Add(family);
            return new ActivationSpec(ActivationKind.Host, N: HostFamilies.Count - 1);
        }
    }

    /// <summary>Throws the engines' common error for an activation that has no device body.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    /// <param name="layer">The layer and where it sits, e.g. "Elementwise at [2]".</param>
    public static NotSupportedException NoDeviceBody(string layer) => new(
        $"{layer} has no device body (it is evaluated by host code, such as a C# delegate, which cannot be compiled to device code), so the GPU engine cannot run it; " +
        "use the CPU engine (ComputeBackend.Cpu). The built-in quadrature nonlinearities Tanh(), Sigmoid(), Softplus() and Silu() do run on the GPU engine.");

    private static ActivationFamily[] Table(params ActivationFamily[] families)
    {
        var table = new ActivationFamily[families.Max(f => (int)f.Kind) + 1];
        foreach (var f in families) table[(int)f.Kind] = f;
        return table;
    }
}
