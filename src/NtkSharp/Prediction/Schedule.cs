namespace NtkSharp.Prediction;

/// <summary>
/// A point of the training trajectory, continuous time t ∈ [0, ∞] or k discrete steps, with the spectral functions
/// of the linearised MSE dynamics in an eigenbasis of the (regularised) train kernel, for eigenvalue λ ≥ 0:
/// decay e(λ) = exp(−ηλt/n) or (1 − ηλ/n)^k, φ(λ) = (1 − e(λ))/λ and ψ(λ) = (1 − e(λ)²)/λ, with their limits
/// ηt/n, 2ηt/n (ηk/n, 2ηk/n) at λ = 0. At t = ∞: e = 0 and φ = ψ = 1/λ for λ &gt; 0, and for λ = 0 (the kernel's
/// null space) e = 1, φ = ψ = 0 (the pseudo-inverse, the t → ∞ limit when the joint kernel is positive
/// semi-definite).
/// </summary>
internal readonly record struct Schedule(double Time, bool Discrete)
{
    public static Schedule Continuous(double t) => new(t, false);

    public static Schedule Steps(int k) => new(k, true);

    public bool IsZero => Time == 0;

    public bool IsInfinite => double.IsPositiveInfinity(Time);

    /// <summary>e(λ), given h = η/n.</summary>
    public double Decay(double lambda, double h)
    {
        if (lambda == 0) return 1;
        if (IsInfinite) return 0;
        return Discrete ? Math.Pow(1 - h * lambda, Time) : Math.Exp(-h * lambda * Time);
    }

    /// <summary>1 − e(λ)^power, accurate for small ηλt/n.</summary>
    public double OneMinusDecay(double lambda, double h, int power = 1)
    {
        if (lambda == 0) return 0;
        if (IsInfinite) return 1;
        if (!Discrete) return -ExpM1(-power * h * lambda * Time);
        double x = h * lambda;
        return x < 1 ? -ExpM1(power * Time * Log1P(-x)) : 1 - Math.Pow(1 - x, power * Time);
    }

    /// <summary>(1 − e(λ)^power)/λ with its λ → 0 limit power·η·t/n (0 at t = ∞).</summary>
    public double Phi(double lambda, double h, int power = 1)
    {
        if (lambda == 0) return IsInfinite ? 0 : power * h * Time;
        return OneMinusDecay(lambda, h, power) / lambda;
    }

    /// <summary>log(1 + x) accurate for small |x| (Goldberg's trick: log(u)·x/(u − 1) with u = 1 ⊕ x).</summary>
    private static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>eˣ − 1 accurate for small |x| (Kahan's trick: (u − 1)·x/log u with u = eˣ); .NET's
    /// <c>double.ExpM1</c> is computed as Exp(x) − 1.</summary>
    private static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        if (um1 == -1 || double.IsPositiveInfinity(u)) return um1;
        return um1 * x / Math.Log(u);
    }
}
