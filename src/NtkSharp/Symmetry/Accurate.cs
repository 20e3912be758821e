namespace NtkSharp.Symmetry;

/// <summary>e^x − 1 and log(1 + x) accurate near 0 (Kahan's tricks; .NET's double.ExpM1 is exp(x) − 1).</summary>
internal static class Accurate
{
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
