namespace NtkSharp.Finite.Ensembles;

/// <summary>One cell of a convergence study.</summary>
/// <param name="Width">The hidden width.</param>
/// <param name="Members">The ensemble size M.</param>
/// <param name="Distance">RMS over test inputs and outputs of (ensemble mean after k steps − analytic discrete-time mean).</param>
/// <param name="StandardError">Monte Carlo standard error of the ensemble mean, √(mean over entries of s²/M), with s² the
/// across-member variance of this run (of the largest run at this width when M = 1).</param>
/// <param name="WallTime">Wall time of training this ensemble.</param>
public sealed record ConvergencePoint(int Width, int Members, double Distance, double StandardError, TimeSpan WallTime);
