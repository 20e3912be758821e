namespace NtkSharp.Layers;

/// <summary>
/// The elements of a <see cref="PlanarGroup"/>'s point group as signed 2×2 integer matrices acting on filter offsets
/// (dh, dw), with their products and inverses. Element 0 is the identity.
/// </summary>
internal sealed class PlanarGroupTable
{
    private static readonly PlanarGroupTable P4Table = new(Build(reflections: false));
    private static readonly PlanarGroupTable P4MTable = new(Build(reflections: true));
    private static readonly PlanarGroupTable TrivialTable = new([(1, 0, 0, 1)]);

    private readonly (int A, int B, int C, int D)[] _m;

    private PlanarGroupTable((int A, int B, int C, int D)[] matrices)
    {
        _m = matrices;
        int n = matrices.Length;
        Product = new int[n, n];
        Inverse = new int[n];
        for (int g = 0; g < n; g++)
        {
            for (int h = 0; h < n; h++)
            {
                Product[g, h] = IndexOf(Multiply(_m[g], _m[h]));
                if (Product[g, h] == 0) Inverse[g] = h;
            }
        }
    }

    /// <summary>The table of <paramref name="group"/>.</summary>
    public static PlanarGroupTable For(PlanarGroup group) => group switch
    {
        PlanarGroup.P4 => P4Table,
        PlanarGroup.P4M => P4MTable,
        PlanarGroup.Trivial => TrivialTable,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Unknown planar group."),
    };

    /// <summary>|G|.</summary>
    public int Order => _m.Length;

    /// <summary>Product[g, h] = index of g·h.</summary>
    public int[,] Product { get; }

    /// <summary>Inverse[g] = index of g⁻¹.</summary>
    public int[] Inverse { get; }

    /// <summary>g·(dh, dw).</summary>
    public (int Dh, int Dw) Apply(int g, int dh, int dw)
    {
        var (a, b, c, d) = _m[g];
        return (a * dh + b * dw, c * dh + d * dw);
    }

    /// <summary>The tap index th·k + tw of g·d for the tap index t = th·k + tw of offset d = (th − k/2, tw − k/2) of a
    /// k×k filter (k odd, so the window is closed under G).</summary>
    public int ApplyToTap(int g, int t, int k)
    {
        int c = k / 2;
        var (dh, dw) = Apply(g, t / k - c, t % k - c);
        return (dh + c) * k + dw + c;
    }

    private int IndexOf((int, int, int, int) m) => Array.IndexOf(_m, m) is var i and >= 0
        ? i
        : throw new InvalidOperationException("The point group is not closed under products.");

    private static (int, int, int, int) Multiply((int A, int B, int C, int D) x, (int A, int B, int C, int D) y)
        => (x.A * y.A + x.B * y.C, x.A * y.B + x.B * y.D, x.C * y.A + x.D * y.C, x.C * y.B + x.D * y.D);

    private static (int, int, int, int)[] Build(bool reflections)
    {
        (int, int, int, int) r = (0, -1, 1, 0), m = (1, 0, 0, -1), e = (1, 0, 0, 1);
        var list = new List<(int, int, int, int)>();
        var rot = e;
        for (int i = 0; i < 4; i++)
        {
            list.Add(rot);
            rot = Multiply(r, rot);
        }
        if (reflections)
        {
            for (int i = 0; i < 4; i++) list.Add(Multiply(list[i], m));
        }
        return [.. list];
    }
}
