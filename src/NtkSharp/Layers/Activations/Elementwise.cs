using NtkSharp.Kernels;
using NtkSharp.Kernels.Duals;

namespace NtkSharp.Layers;

/// <summary>
/// Any pointwise φ given as C# delegates (neural-tangents' <c>ElementwiseNumerical</c>): T and Ṫ by
/// <see cref="QuadratureDual"/> (as Tanh's), φ′ from <see cref="Dphi"/> or, when it is null, a fourth-order central
/// difference of φ. CPU engine only: a C# delegate cannot be compiled to device code, so the GPU engines refuse it with
/// a message naming the layer (the built-in Tanh, Sigmoid, Softplus and Silu do run on the GPU). Its <see cref="ToString"/> cannot be read back
/// (a delegate has no architecture text): <see cref="Layer.Parse(string)"/> says so.
/// </summary>
public sealed record Elementwise : Activation
{
    private readonly ActivationSpec _spec;

    /// <summary>Creates the layer (and registers its host family for the process).</summary>
    /// <param name="function">φ.</param>
    /// <param name="derivative">φ′, or null for a central difference of φ.</param>
    /// <param name="label">A name for messages and <see cref="ToString"/>.</param>
    public Elementwise(Func<double, double> function, Func<double, double>? derivative = null, string label = "φ")
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(label);
        Function = function;
        Dphi = derivative;
        Label = label;
        _spec = ActivationRegistry.RegisterHost(
            new QuadratureFamily<DelegateFunction>(ActivationKind.Host, new DelegateFunction(function, derivative)));
    }

    /// <summary>φ.</summary>
    public Func<double, double> Function { get; }

    /// <summary>φ′ (null: a central difference of φ).</summary>
    public Func<double, double>? Dphi { get; }

    /// <summary>The name in messages.</summary>
    public string Label { get; }

    internal override ActivationSpec Spec => _spec;

    /// <inheritdoc />
    public override string Name => "Elementwise";

    /// <summary><c>Elementwise(&lt;C# delegate Label&gt;)</c>: not architecture text (no parser can rebuild a delegate).</summary>
    public override string ToString() => $"Elementwise(<C# delegate {Label}>)";

    /// <inheritdoc />
    public bool Equals(Elementwise? other) => other is not null && Function == other.Function && Dphi == other.Dphi && Label == other.Label;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Function, Dphi, Label);
}

public static partial class Stax
{
    /// <summary>Any φ as a C# delegate; its dual by quadrature (CPU engine only; the layer's text cannot be parsed back).</summary>
    /// <param name="phi">φ.</param>
    /// <param name="dphi">φ′ (null: a central difference of φ).</param>
    /// <param name="label">A name for messages.</param>
    public static Elementwise Elementwise(Func<double, double> phi, Func<double, double>? dphi = null, string label = "φ") => new(phi, dphi, label);
}
