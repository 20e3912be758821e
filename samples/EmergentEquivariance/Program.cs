using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkSharp;
using NtkSharp.Kernels;
using NtkSharp.Layers;
using NtkSharp.Symmetry;

// Emergent equivariance in deep ensembles (Gerken & Kessel, ICML 2024), checked numerically:
//  1. the infinite-width mean μ_t of an ensemble trained on fully augmented data is equivariant to rounding, at every
//     t, on and off the data (MLP on the circle, CNN on images); without augmentation it is not;
//  2. finite ensembles trained on the same data become equivariant as members are added (≈ 1/√M);
//  3. the paper's toy example: a C_k-invariant target on the circle.
// Usage: EmergentEquivariance [outDir] [--members M] [--steps S] [--width W]
string outDir = Path.Combine("out", "EmergentEquivariance");
int members = 100, steps = 2000, width = 64;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--members": members = int.Parse(args[++i]); break;
        case "--steps": steps = int.Parse(args[++i]); break;
        case "--width": width = int.Parse(args[++i]); break;
        default: outDir = args[i]; break;
    }
}
Directory.CreateDirectory(outDir);
var clock = Stopwatch.StartNew();

Console.WriteLine("Emergent equivariance in deep ensembles — Gerken & Kessel, ICML 2024");
Console.WriteLine($"Relative equivariance error: max over test inputs x and group elements g of ‖μ(ρ_X(g)x) − ρ_Y(g)μ(x)‖ / ‖μ(x)‖.");
Console.WriteLine();

var toy = new ToyProblem(k: 5);
InfiniteWidthTables.Run(toy);
var ensembles = FiniteEnsembles.Run(toy, members, steps, width);
string toyFiles = ToyPlot.Save(toy, ensembles, Path.Combine(outDir, "toy_example"));
string errorFiles = FiniteEnsembles.SaveErrorPlot(ensembles, Path.Combine(outDir, "ensemble_error"));

Console.WriteLine();
Console.WriteLine($"Plots written to {Path.GetFullPath(outDir)} ({toyFiles}, {errorFiles}). Total time {clock.Elapsed.TotalSeconds:F1} s.");
