using System.Runtime.CompilerServices;

namespace NtkSharp.Kernels.Duals;

/// <summary>
/// The panels of <see cref="QuadratureDual"/>'s composite Gauss–Legendre rules, generated one at a time without a list
/// (so the same code runs on the CPU and inside ILGPU kernels): the cuts are the grid −12.5, −12.25, …, 12.5 (panel
/// width 1/4) merged in ascending order with the refinement cuts centre ± 1/8, centre ± 1/16, … down to 1/50 of
/// <c>scale</c> and centre itself (those strictly inside (−12.5, 12.5)); consecutive cuts closer than 10⁻¹⁵ make no
/// panel. No refinement for scale 0; only the centre for scale ≥ 25/4.
/// </summary>
internal struct QuadraturePanels
{
    /// <summary>The integration range is [−HalfRange, HalfRange].</summary>
    public const double HalfRange = 12.5;

    private const double PanelWidth = 0.25;
    private const int GridCuts = 101; // −12.5 + 0.25·i, i = 0 … 100

    private readonly double _centre;
    private readonly int _levels, _refinements;
    private int _grid, _refinement;
    private double _previous;
    private bool _started;

    /// <summary>The panels refined towards <paramref name="centre"/> down to <paramref name="scale"/>/50.</summary>
    public QuadraturePanels(double centre, double scale)
    {
        _centre = centre;
        int levels = 0;
        if (scale > 0)
        {
            for (double d = PanelWidth / 2; d > scale / 50; d /= 2) levels++;
        }
        _levels = levels;
        _refinements = scale > 0 ? 2 * levels + 1 : 0;
        _grid = 0;
        _refinement = 0;
        _previous = 0.0;
        _started = false;
    }

    /// <summary>The next panel [lo, hi] in ascending order; false when there is none left.</summary>
    public bool Next(out double lo, out double hi)
    {
        if (!_started)
        {
            _started = true;
            if (!NextCut(out _previous))
            {
                lo = hi = 0.0;
                return false;
            }
        }
        while (NextCut(out double cut))
        {
            double from = _previous;
            _previous = cut;
            if (cut - from > 1e-15)
            {
                lo = from;
                hi = cut;
                return true;
            }
        }
        lo = hi = 0.0;
        return false;
    }

    /// <summary>The next cut of the merged ascending sequence.</summary>
    private bool NextCut(out double cut)
    {
        while (_refinement < _refinements && !Inside(_refinement)) _refinement++;
        bool grid = _grid < GridCuts, refinement = _refinement < _refinements;
        if (!grid && !refinement)
        {
            cut = 0.0;
            return false;
        }
        double g = -HalfRange + PanelWidth * _grid; // exact (multiples of 1/4)
        double r = refinement ? Refinement(_refinement) : 0.0;
        if (grid && (!refinement || g <= r))
        {
            cut = g;
            _grid++;
        }
        else
        {
            cut = r;
            _refinement++;
        }
        return true;
    }

    /// <summary>Refinement cut number <paramref name="r"/> in ascending order: centre − dᵣ for r &lt; L, centre for
    /// r = L, centre + d₂ₗ₋ᵣ beyond, with dₘ = 2⁻ᵐ/8 (L = the number of levels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double Refinement(int r)
    {
        if (r == _levels) return _centre;
        int m = r < _levels ? r : 2 * _levels - r;
        double d = PanelWidth / 2;
        for (int i = 0; i < m; i++) d /= 2;
        return r < _levels ? _centre - d : _centre + d;
    }

    private readonly bool Inside(int r)
    {
        double c = Refinement(r);
        if (r == _levels) return c > -HalfRange && c < HalfRange;
        return r < _levels ? c > -HalfRange : c < HalfRange;
    }
}

/// <summary>The 8-point Gauss–Legendre rule on [−1, 1] (nodes in descending order, as Newton's iteration on P₈ from
/// cos(π(i + 3/4)/(8 + 1/2)) gives them), as constants so that device code can read them.</summary>
internal static class GaussLegendre8
{
    /// <summary>Node <paramref name="g"/> (0 ≤ g &lt; 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Node(int g) => g switch
    {
        0 => 0.9602898564975363,
        1 => 0.7966664774136268,
        2 => 0.525532409916329,
        3 => 0.18343464249564978,
        4 => -0.18343464249564978,
        5 => -0.525532409916329,
        6 => -0.7966664774136268,
        _ => -0.9602898564975363,
    };

    /// <summary>Weight <paramref name="g"/> (0 ≤ g &lt; 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Weight(int g) => g switch
    {
        0 or 7 => 0.10122853629037679,
        1 or 6 => 0.22238103445337445,
        2 or 5 => 0.3137066458778874,
        _ => 0.362683783378362,
    };
}
