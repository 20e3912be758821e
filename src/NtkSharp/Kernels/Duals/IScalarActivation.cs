namespace NtkSharp.Kernels.Duals;

/// <summary>A scalar nonlinearity φ with its derivative, as a struct so that <see cref="QuadratureDual"/>'s loops are
/// specialised per function (no delegate call per node).</summary>
internal interface IScalarActivation
{
    /// <summary>φ(x).</summary>
    double Value(double x);

    /// <summary>φ′(x).</summary>
    double Derivative(double x);

    /// <summary>The width of φ's transition region around 0 in x (1 for tanh, logistic, softplus and silu); the
    /// quadrature refines its panels down to a fraction of it.</summary>
    double SharpnessScale { get; }
}

/// <summary>A user-supplied φ (and φ′, or a central difference of φ when none is given) for
/// <c>Stax.Elementwise</c>: CPU only.</summary>
internal readonly struct DelegateFunction(Func<double, double> phi, Func<double, double>? dphi) : IScalarActivation
{
    /// <inheritdoc />
    public double Value(double x) => phi(x);

    /// <inheritdoc />
    public double Derivative(double x)
    {
        if (dphi is not null) return dphi(x);
        // Fourth-order central difference with h ~ ε^(1/5)·max(1, |x|): error ~ ε^(4/5) ≈ 3e-13 relative for smooth φ.
        double h = 7.4e-4 * Math.Max(1.0, Math.Abs(x));
        return (8.0 * (phi(x + h) - phi(x - h)) - (phi(x + 2 * h) - phi(x - 2 * h))) / (12.0 * h);
    }

    /// <inheritdoc />
    public double SharpnessScale => 1.0;
}
