using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels;

/// <summary>
/// The exponential and the error function in plain arithmetic, for the pointwise activations of finite networks on the
/// CPU and inside ILGPU kernels alike (CUDA has no intrinsic for either in double precision, and a library call would
/// leave an unresolved <c>.extern</c> in the PTX).
/// </summary>
/// <remarks>
/// Both follow fdlibm (Sun Microsystems 1993): <c>e_exp.c</c> reduces x = k·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split
/// into a head and a tail), approximates exp(r) by a degree-5 Remez polynomial in r² and scales by 2ᵏ; <c>s_erf.c</c>
/// uses rational approximations on [0, 0.84375), [0.84375, 1.25), and for erfc on [1.25, 1/0.35) and [1/0.35, 6), where
/// erfc(x) = exp(−z² − 0.5625)·exp((z − x)(z + x) + R/S)/x with z = x cut to its high 32 bits, so that z² is exact.
/// Both are within one ulp. The only bit manipulations are <see cref="BitConverter.DoubleToInt64Bits"/> and
/// <see cref="BitConverter.Int64BitsToDouble"/>, which ILGPU compiles to plain register moves.
/// </remarks>
internal static partial class DeviceMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double Erx = 8.45062911510467529297e-01;
    private const double Efx = 1.28379167095512586316e-01;
    private const double Efx8 = 1.02703333676410069053e+00;

    /// <summary>eˣ within one ulp (0 below −745.13, +∞ above 709.78).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.782712893383973096) return double.PositiveInfinity;
        if (x < -745.13321910194110842) return 0.0;
        double ax = Math.Abs(x), hi, lo;
        int k;
        if (ax > 0.34657359027997264) // ln 2 / 2
        {
            if (ax < 1.03972077083991796) k = x < 0.0 ? -1 : 1; // 3 ln 2 / 2
            else k = (int)(InvLn2 * x + (x < 0.0 ? -0.5 : 0.5));
            hi = x - k * Ln2Hi; // exact
            lo = k * Ln2Lo;
            x = hi - lo;
        }
        else
        {
            if (ax < 3.7252902984619140625e-9) return 1.0 + x; // 2^-28
            k = 0;
            hi = 0.0;
            lo = 0.0;
        }
        double t = x * x;
        double c = x - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05
            + t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
        if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
        double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
        if (k > 1023) return y * 2.0 * Pow2(k - 1);
        if (k >= -1021) return y * Pow2(k);
        return y * Pow2(k + 1000) * 9.33263618503218878990e-302; // 2^-1000: gradual underflow
    }

    /// <summary>erf(<paramref name="x"/>) within one ulp (±1 for |x| ≥ 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        if (ax < 0.84375)
        {
            if (ax < 3.7252902984619140625e-9) // 2^-28
                return ax < 2.2250738585072014e-308 ? 0.125 * (8.0 * x + Efx8 * x) : x + Efx * x;
            double z = x * x;
            double r = 1.28379167095512558561e-01 + z * (-3.25042107247001499370e-01 + z * (-2.84817495755985104766e-02
                + z * (-5.77027029648944159157e-03 + z * -2.37630166566501626084e-05)));
            double s = 1.0 + z * (3.97917223959155352819e-01 + z * (6.50222499887672944485e-02 + z * (5.08130628187576562776e-03
                + z * (1.32494738004321644526e-04 + z * -3.96022827877536812320e-06))));
            return x + x * (r / s);
        }
        if (ax < 1.25)
        {
            double s = ax - 1.0;
            double p = -2.36211856075265944077e-03 + s * (4.14856118683748331666e-01 + s * (-3.72207876035701323847e-01
                + s * (3.18346619901161753674e-01 + s * (-1.10894694282396677476e-01 + s * (3.54783043256182359371e-02
                + s * -2.16637559486879084300e-03)))));
            double q = 1.0 + s * (1.06420880400844228286e-01 + s * (5.40397917702171048937e-01 + s * (7.18286544141962662868e-02
                + s * (1.26171219808761642112e-01 + s * (1.36370839120290507362e-02 + s * 1.19844998467991074170e-02)))));
            return x >= 0.0 ? Erx + p / q : -Erx - p / q;
        }
        if (ax >= 6.0) return x > 0.0 ? 1.0 : -1.0;
        double w = 1.0 / (ax * ax), rr, ss;
        if (ax < 2.857142857142857) // 1/0.35
        {
            rr = -9.86494403484714822705e-03 + w * (-6.93858572707181764372e-01 + w * (-1.05586262253232909814e+01
                + w * (-6.23753324503260060396e+01 + w * (-1.62396669462573470355e+02 + w * (-1.84605092906711035994e+02
                + w * (-8.12874355063065934246e+01 + w * -9.81432934416914548592e+00))))));
            ss = 1.0 + w * (1.96512716674392571292e+01 + w * (1.37657754143519042600e+02 + w * (4.34565877475229228821e+02
                + w * (6.45387271733267880336e+02 + w * (4.29008140027567833386e+02 + w * (1.08635005541779435134e+02
                + w * (6.57024977031928170135e+00 + w * -6.04244152148580987438e-02)))))));
        }
        else
        {
            rr = -9.86494292470009928597e-03 + w * (-7.99283237680523006574e-01 + w * (-1.77579549177547519889e+01
                + w * (-1.60636384855821916062e+02 + w * (-6.37566443368389627722e+02 + w * (-1.02509513161107724954e+03
                + w * -4.83519191608651397019e+02)))));
            ss = 1.0 + w * (3.03380607434824582924e+01 + w * (3.25792512996573918826e+02 + w * (1.53672958608443695994e+03
                + w * (3.19985821950859553908e+03 + w * (2.55305040643316442583e+03 + w * (4.74528541206955367215e+02
                + w * -2.24409524465858183362e+01))))));
        }
        double zh = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(ax) & unchecked((long)0xFFFFFFFF00000000UL));
        double e = Exp(-zh * zh - 0.5625) * Exp((zh - ax) * (zh + ax) + rr / ss);
        return x >= 0.0 ? 1.0 - e / ax : e / ax - 1.0;
    }

    /// <summary>2ᵏ for −1022 ≤ k ≤ 1023, from its exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Pow2(int k) => BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);
}
