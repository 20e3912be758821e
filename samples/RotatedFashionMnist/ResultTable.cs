using System.Text;

/// <summary>The result table as markdown, with the paper's numbers beside ours.</summary>
internal static class ResultTable
{
    // Gerken & Kessel (ICML 2024), rotated Fashion-MNIST: mean orbit-same predictions of augmented deep ensembles and E2CNN.
    private static readonly Dictionary<int, (double Ensemble, double E2cnn)> Paper = new() { [4] = (3.85, 4), [8] = (7.72, 7.71), [16] = (15.24, 15.08) };

    public static string Markdown(IReadOnlyList<OrbitRow> rows, ImageSet train, ImageSet test, ImageSet ood, int factor, int seed)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Infinite-width CNN ensemble mean (NTK, t = ∞), N_train = {train.Count}, N_test = {test.Count} Fashion-MNIST, " +
            $"N_OOD = {ood.Count} MNIST, {train.Size}×{train.Size} pixels {(factor > 1 ? $"(average-pooled by {factor})" : "(full resolution)")}, seed {seed}.");
        sb.AppendLine();
        sb.AppendLine("| group | \\|G\\| | rotations | training | orbit-same, Fashion-MNIST test | orbit-same, MNIST (OOD) | test accuracy | accuracy on rotated test | Θᴳ(X,X) asymmetry | paper: ensemble / E2CNN | time (s) |");
        sb.AppendLine("|---|---:|---|---|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in rows)
        {
            string paper = r.Augmented && Paper.TryGetValue(r.Order, out var p) ? $"{p.Ensemble} / {p.E2cnn}" : "";
            sb.AppendLine($"| {r.Group} | {r.Order} | {(r.Exact ? "exact (pixel permutation)" : "bilinear interpolation")} | {r.Route} | " +
                $"{r.FashionSame:F2} / {r.Order} | {r.MnistSame:F2} / {r.Order} | {r.Accuracy:P0} | {r.RotatedAccuracy:P0} | {Asymmetry(r)} | {paper} | {r.Seconds:F0} |");
        }
        sb.AppendLine();
        sb.AppendLine("Θᴳ(X,X) asymmetry = max|Θᴳ − Θᴳᵀ| / max|Θᴳ| of the group-averaged train kernel. It is measured only on the " +
            "symmetrised route (interpolated rotations with --averaged), where Θᴳ is only approximately symmetric; the exact C4 " +
            "route's Θᴳ is symmetric by construction (GroupAveragedKernel refuses it otherwise), and the explicit and " +
            "non-augmented routes use Θ itself.");
        return sb.ToString();
    }

    private static string Asymmetry(OrbitRow r) => r.Route switch
    {
        _ when !r.Augmented => "n/a (no augmentation)",
        _ when r.Route.Contains("symmetrised", StringComparison.Ordinal) => r.TrainAsymmetry.ToString("E1"),
        _ when r.Route.Contains("group-averaged", StringComparison.Ordinal) => "symmetric (checked)",
        _ => "n/a (explicit augmentation)",
    };
}
