namespace NtkSharp.Tests.Kernels;

/// <summary>
/// Minimal double-double arithmetic (≈ 106-bit significand, Dekker 1971 / Hida–Li–Bailey QD): an unevaluated sum
/// Hi + Lo with |Lo| ≤ ulp(Hi)/2. Enough to build high-precision references for the near-collinear tests.
/// </summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    /// <summary>π to double-double precision.</summary>
    public static readonly DoubleDouble Pi = new(3.141592653589793, 1.2246467991473532e-16);

    public static implicit operator DoubleDouble(double x) => new(x, 0.0);

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var (s, e) = TwoSum(a.Hi, b.Hi);
        var (t, f) = TwoSum(a.Lo, b.Lo);
        e += t;
        (s, e) = QuickTwoSum(s, e);
        e += f;
        return Normalize(s, e);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        double p = a.Hi * b.Hi;
        double e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p);
        e += a.Hi * b.Lo + a.Lo * b.Hi;
        return Normalize(p, e);
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        double q1 = a.Hi / b.Hi;
        var r = a - b * q1;
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        return Normalize(q1, q2) + q3;
    }

    /// <summary>The exact product of two doubles.</summary>
    public static DoubleDouble Product(double a, double b)
    {
        double p = a * b;
        return new DoubleDouble(p, Math.FusedMultiplyAdd(a, b, -p));
    }

    /// <summary>√a by one Newton step on the double square root (doubles the number of correct bits).</summary>
    public static DoubleDouble Sqrt(DoubleDouble a)
    {
        if (a.Hi <= 0) return 0.0;
        double y = Math.Sqrt(a.Hi);
        var residual = a - Product(y, y);
        return Normalize(y, residual.Hi / (2 * y));
    }

    /// <summary>atan r for 0 ≤ r ≤ 1e-3 by its Taylor series (truncation below r¹⁹).</summary>
    public static DoubleDouble AtanSmall(DoubleDouble r)
    {
        if (r.Hi > 1e-3 || r.Hi < 0) throw new ArgumentOutOfRangeException(nameof(r), "The series is used for 0 ≤ r ≤ 1e-3 only.");
        var r2 = r * r;
        DoubleDouble term = r, sum = 0.0;
        for (int k = 0; k < 9; k++)
        {
            var t = term / (2.0 * k + 1);
            sum = k % 2 == 0 ? sum + t : sum - t;
            term *= r2;
        }
        return sum;
    }

    public static DoubleDouble Abs(DoubleDouble a) => a.Hi < 0 ? -a : a;

    public double ToDouble() => Hi + Lo;

    private static (double S, double E) TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static (double S, double E) QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return (s, b - (s - a));
    }

    private static DoubleDouble Normalize(double a, double b)
    {
        var (s, e) = QuickTwoSum(a, b);
        return new DoubleDouble(s, e);
    }
}
