namespace NtkSharp.Kernels;

/// <summary>φ(x) = x: T = c₁₂, Ṫ = 1 (the device dispatch's default).</summary>
internal readonly struct IdentityBody : IActivationBody
{
    /// <inheritdoc />
    public double Value(in ActivationSpec s, double x) => x;

    /// <inheritdoc />
    public double Derivative(in ActivationSpec s, double x) => 1.0;

    /// <inheritdoc />
    public void Dual(in ActivationSpec s, double c11, double c12, double c22, out double t, out double tDot)
    {
        t = c12;
        tDot = 1.0;
    }
}

/// <summary>The identity's family: runs leave K and Θ as they are, the finite ops copy.</summary>
internal sealed class IdentityFamily : ActivationFamily<IdentityBody>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Identity;

    /// <inheritdoc />
    public override double Mean(in ActivationSpec s, double variance) => 0.0;

    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, double c22, Span<double> k, Span<double> theta)
        => CheckRun(c11, k, theta);

    /// <inheritdoc />
    public override void Run(in ActivationSpec s, ReadOnlySpan<double> c11, ReadOnlySpan<double> c22, Span<double> k, Span<double> theta)
        => CheckRun(c11, c22, k, theta);

    /// <inheritdoc />
    public override void Forward(in ActivationSpec s, ReadOnlySpan<double> z, Span<double> y) => z.CopyTo(y);

    /// <inheritdoc />
    public override void Backward(in ActivationSpec s, ReadOnlySpan<double> z, ReadOnlySpan<double> gy, Span<double> gz) => gy.CopyTo(gz);
}
